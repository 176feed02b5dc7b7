package io.redjar.internal.feed;

import io.redjar.internal.persistence.aof.AofFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One segment of the change feed: records with offsets from {@link #base} on, in a file
 * ({@code <dir>/changefeed/<base, 20 digits>.seg}) or, for the in-memory feed, a byte array.
 *
 * <p><b>Design.</b> Only the last segment is written, by the feed's one writer, always at its end.
 * Readers see bytes below {@link #visible()}, which moves only after the bytes are written, and a
 * segment is {@link #sealed()} (no more bytes ever) only after its final {@code visible}: a reader
 * that reads {@code sealed} and then {@code visible} knows when it has read everything. Bytes below
 * {@code visible} never change, so readers need no lock; a file segment deleted by retention stays
 * readable through a channel opened before.
 *
 * <p><b>Thread-safety:</b> {@link #append}, {@link #force}, {@link #truncate} and {@link #seal} by
 * the writer (under the log's lock; {@link #force} also by the sync task); {@link #reader()} and
 * the volatile getters by any thread.
 */
final class Segment {
    final long base;
    /** Position in the log's list of segments since open (successors have {@code seq + 1}). */
    final long seq;
    /** The file; null for an in-memory segment. */
    final Path path;
    /** The writer's file (the append-only file's file seam); null in memory and once closed. */
    private final AofFile ch;
    private volatile byte[] mem;
    private volatile long visible;
    private volatile boolean sealed;
    private volatile long lastOffset;
    /** Bytes known forced (file segments). */
    private volatile long forced;
    private volatile boolean deleted;
    /** Bytes between two entries of the sparse index. */
    static final long INDEX_EVERY = 64 * 1024;
    /**
     * A sparse index, (offset, position) pairs of record starts, one per round that begins at
     * least {@link #INDEX_EVERY} bytes after the previous entry: the writer fills
     * {@code index[2 * indexCount ..]} and then publishes {@code indexCount}; a reader reads the
     * count, then the array (a grown array holds every published entry).
     */
    private volatile long[] index = new long[16];
    private volatile int indexCount;

    private Segment(long base, long seq, Path path, AofFile ch, long size, long lastOffset) {
        this.base = base;
        this.seq = seq;
        this.path = path;
        this.ch = ch;
        this.visible = size;
        this.forced = size;
        this.lastOffset = lastOffset;
        this.mem = path == null ? new byte[4096] : null;
    }

    /** A new file segment at {@code path} (created), opened for writing through {@code opener}. */
    static Segment file(long base, long seq, Path path, AofFile.Opener opener) throws IOException {
        return new Segment(base, seq, path, opener.open(path), 0, base - 1);
    }

    /** A sealed file segment found at open: {@code size} bytes, read only. */
    static Segment recovered(long base, long seq, Path path, long size, long lastOffset) {
        Segment s = new Segment(base, seq, path, null, size, lastOffset);
        s.sealed = true;
        return s;
    }

    /** An empty in-memory segment. */
    static Segment memory(long base, long seq) {
        return new Segment(base, seq, null, null, 0, base - 1);
    }

    /** @return the file name of the segment starting at {@code base} */
    static String fileName(long base) {
        return String.format("%020d.seg", base);
    }

    /** Writer: appends {@code b[0..len)} (records ending at offset {@code last}) and makes them visible. */
    void append(byte[] b, int len, long last) throws IOException {
        appendUnpublished(b, len);
        publish(len, last);
    }

    /** Writer: writes {@code b[0..len)} after the visible bytes, not visible yet. */
    void appendUnpublished(byte[] b, int len) throws IOException {
        long at = visible;
        if (ch != null) {
            ch.write(ByteBuffer.wrap(b, 0, len), at);
        } else if (path != null) {
            throw new IOException("segment " + path + " is sealed");
        } else {
            byte[] m = mem;
            long need = at + len;
            if (need > Integer.MAX_VALUE - 16) {
                throw new IOException("in-memory change feed segment over 2 GiB");
            }
            if (need > m.length) {
                m = Arrays.copyOf(m, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, (long) m.length * 2)));
            }
            System.arraycopy(b, 0, m, (int) at, len);
            mem = m;
        }
    }

    /** Writer: a round starting with offset {@code first} is about to be written at {@link #visible()}. */
    void indexRound(long first) {
        int n = indexCount;
        long at = visible;
        long[] ix = index;
        if (n > 0 && at - ix[2 * n - 1] < INDEX_EVERY) {
            return;
        }
        if (2 * n + 2 > ix.length) {
            ix = Arrays.copyOf(ix, ix.length * 2);
            index = ix;
        }
        ix[2 * n] = first;
        ix[2 * n + 1] = at;
        indexCount = n + 1;
    }

    /** @return the position of a record start at or before the record with offset {@code offset} */
    long seek(long offset) {
        int n = indexCount;
        long[] ix = index;
        int lo = 0;
        int hi = n - 1;
        long pos = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ix[2 * mid] <= offset) {
                pos = ix[2 * mid + 1];
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return pos;
    }

    /** Writer: makes the {@code len} bytes written by {@link #appendUnpublished} visible. */
    void publish(int len, long last) {
        lastOffset = last;
        visible = visible + len;
    }

    /** Writer (or the sync task): forces the file's written bytes to disk. */
    void force() throws IOException {
        if (ch == null) {
            return;
        }
        long v = visible;
        ch.force();
        if (forced < v) {
            forced = v;
        }
    }

    /** @return whether bytes were written and not yet forced */
    boolean dirty() {
        return ch != null && forced < visible;
    }

    /** Writer: cuts a partial write off the file (after a failed write). */
    void truncate() throws IOException {
        if (ch != null) {
            ch.truncate(visible);
        }
    }

    /** Writer: no more records will be appended. */
    void seal() {
        sealed = true;
    }

    /** Retention (or close): closes the writer's channel and deletes the file. */
    void delete() throws IOException {
        deleted = true;
        closeChannel();
        if (path != null) {
            java.nio.file.Files.deleteIfExists(path);
        } else {
            mem = new byte[0];
        }
    }

    void closeChannel() throws IOException {
        if (ch != null) {
            ch.close();
        }
    }

    long visible() {
        return visible;
    }

    boolean sealed() {
        return sealed;
    }

    boolean deleted() {
        return deleted;
    }

    /** @return the offset of the last visible record ({@code base - 1} when empty) */
    long lastOffset() {
        return lastOffset;
    }

    /** Random access to the segment's bytes for one reader. */
    interface Source extends AutoCloseable {
        /**
         * Reads exactly {@code len} bytes at {@code pos} into {@code dst}; {@code limit} is the
         * visible size the caller read ({@code pos + len <= limit}): nothing at or after it is
         * read ahead, since those bytes may still be being written.
         */
        void read(long pos, byte[] dst, int len, long limit) throws IOException;

        @Override
        void close();
    }

    /**
     * @return a source over this segment's bytes
     * @throws NoSuchFileException if retention deleted the file
     */
    Source reader() throws IOException {
        if (path == null) {
            return new Source() {
                @Override
                public void read(long pos, byte[] dst, int len, long limit) throws IOException {
                    byte[] m = mem; // read after visible: holds every visible byte
                    if (pos + len > m.length) {
                        throw new NoSuchFileException("in-memory segment " + base + " was discarded");
                    }
                    System.arraycopy(m, (int) pos, dst, 0, len);
                }

                @Override
                public void close() {
                }
            };
        }
        if (deleted) {
            throw new NoSuchFileException(path.toString());
        }
        FileChannel rc = FileChannel.open(path, StandardOpenOption.READ);
        return new Source() {
            /** Read-ahead window: file bytes {@code [at, at + n)}, all below a visible limit. */
            private final byte[] window = new byte[64 * 1024];
            private long at;
            private int n;

            @Override
            public void read(long pos, byte[] dst, int len, long limit) throws IOException {
                if (pos >= at && pos + len <= at + n) {
                    System.arraycopy(window, (int) (pos - at), dst, 0, len);
                    return;
                }
                if (len > window.length) {
                    fill(pos, dst, len);
                    return;
                }
                int want = (int) Math.min(window.length, limit - pos);
                fill(pos, window, want);
                at = pos;
                n = want;
                System.arraycopy(window, 0, dst, 0, len);
            }

            private void fill(long pos, byte[] dst, int len) throws IOException {
                ByteBuffer bb = ByteBuffer.wrap(dst, 0, len);
                long p = pos;
                while (bb.hasRemaining()) {
                    int r = rc.read(bb, p);
                    if (r < 0) {
                        throw new IOException("unexpected end of " + path);
                    }
                    p += r;
                }
            }

            @Override
            public void close() {
                try {
                    rc.close();
                } catch (IOException ignored) {
                    // read-only channel
                }
            }
        };
    }

    @Override
    public String toString() {
        return "Segment[" + base + ".." + lastOffset + ", " + visible + " bytes" + (sealed ? ", sealed" : "") + "]";
    }
}
