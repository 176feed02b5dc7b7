package io.redjar.internal.persistence.aof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real file that fails on demand (a full disk) and can model a slow device's sync; counts
 * writes and forces and records how much of the file was forced.
 */
public final class FaultyFile implements AofFile {
    /** Shared switches for every file an opener made. */
    public static final class Faults {
        public volatile boolean full;
        volatile long forceMicros;
        final AtomicLong writes = new AtomicLong();
        final AtomicLong forces = new AtomicLong();

        public AofFile.Opener opener() {
            return p -> new FaultyFile(p, this);
        }
    }

    private final AofFile.NioFile real;
    private final Faults faults;
    private volatile long written;
    volatile long forced;

    FaultyFile(Path p, Faults faults) throws IOException {
        this.real = new AofFile.NioFile(p);
        this.faults = faults;
        this.written = real.size();
    }

    @Override
    public void write(ByteBuffer src, long position) throws IOException {
        if (faults.full) {
            // a partial write first, as a filling disk does, then the error
            int half = src.remaining() / 2;
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + half);
            real.write(part, position);
            throw new IOException("No space left on device");
        }
        faults.writes.incrementAndGet();
        real.write(src, position);
        written = Math.max(written, position + 0L + (src.position()));
    }

    @Override
    public void force() throws IOException {
        if (faults.full) {
            throw new IOException("No space left on device");
        }
        long micros = faults.forceMicros;
        if (micros > 0) {
            // a device's sync latency: the thread waits off-CPU, as in a real fdatasync
            long end = System.nanoTime() + micros * 1000;
            while (System.nanoTime() < end) {
                java.util.concurrent.locks.LockSupport.parkNanos(end - System.nanoTime());
            }
        }
        real.force();
        faults.forces.incrementAndGet();
        forced = real.size();
    }

    @Override
    public void truncate(long size) throws IOException {
        real.truncate(size);
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public void close() throws IOException {
        real.close();
    }
}
