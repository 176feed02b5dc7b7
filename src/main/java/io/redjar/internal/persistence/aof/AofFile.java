package io.redjar.internal.persistence.aof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The few file operations the append-only file's writer needs: positional write, force (Redis's
 * {@code fdatasync}), truncate, size, close. A seam: tests open files that fail on demand (a full
 * disk, an I/O error) through {@link Opener}.
 *
 * <p><b>Thread-safety:</b> as {@link FileChannel}: {@link #force} may run concurrently with
 * {@link #write} (the {@code everysec} background sync does).
 */
public interface AofFile extends AutoCloseable {
    /** Writes all of {@code src} at {@code position}. */
    void write(ByteBuffer src, long position) throws IOException;

    /** Forces the file's data to the storage device (metadata only as needed to read it back). */
    void force() throws IOException;

    /** Cuts the file to {@code size} bytes. */
    void truncate(long size) throws IOException;

    /** @return the file's size in bytes */
    long size() throws IOException;

    @Override
    void close() throws IOException;

    /** Opens (creating if needed) a file for writing. */
    @FunctionalInterface
    interface Opener {
        AofFile open(Path file) throws IOException;

        /** Plain NIO files. */
        Opener NIO = NioFile::new;
    }

    /** An {@link AofFile} over a {@link FileChannel}. */
    final class NioFile implements AofFile {
        private final FileChannel ch;

        public NioFile(Path file) throws IOException {
            this.ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            long p = position;
            while (src.hasRemaining()) {
                p += ch.write(src, p);
            }
        }

        @Override
        public void force() throws IOException {
            ch.force(false);
        }

        @Override
        public void truncate(long size) throws IOException {
            ch.truncate(size);
        }

        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
