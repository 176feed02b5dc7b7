package io.redjar.internal.feed;

import io.redjar.OffsetDiscardedException;
import io.redjar.internal.persistence.aof.AofFile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The change feed's storage: an append-only sequence of {@link Segment}s of
 * {@link FeedRecords records}, in files under {@code <dir>/changefeed/} or in memory.
 *
 * <p><b>Design.</b> The writer appends one delivery round at a time ({@link #append}) to the last
 * segment, creating it at the first round after a roll (named after the round's first offset, so
 * a segment's name is its first record's offset). A segment that reaches {@code segmentBytes} is
 * forced and sealed at the end of the round that filled it, so a batch never spans two segments.
 * Retention deletes whole segments, oldest first, while the total exceeds {@code retentionBytes};
 * the newest segment always stays.
 *
 * <p><b>Recovery</b> ({@link #open}): the newest segment is scanned record by record and cut after
 * the last record that ends a complete batch whose records all check out (length, CRC-32C,
 * command form), which drops a torn tail and a half-written batch; an empty result is deleted and
 * the scan moves to the segment before. Older segments were forced when sealed and are trusted.
 * After an open, writing starts a new segment.
 *
 * <p><b>Thread-safety:</b> thread-safe. {@link #append}, {@link #sync} and {@link #close} take
 * {@code lock}; readers use the volatile segment list and the segments' volatile bounds without
 * locking.
 */
final class FeedLog {
    private static final System.Logger LOG = System.getLogger("io.redjar");
    private static final Segment[] NONE = new Segment[0];

    /** The segment directory; null for the in-memory feed. */
    private final Path dir;
    private final long segmentBytes;
    /** Opens segment files for writing (a seam: tests inject failing files). */
    private final AofFile.Opener opener;
    private final long retentionBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Segment[] segments = NONE;
    /** The segment appended to; null until the next round (after a roll or an open). Written under lock. */
    private volatile Segment active;
    private long nextSeq;
    /** Offset of the last visible record (or of the last offset never to be used again). */
    private volatile long lastOffset;
    private volatile boolean closed;

    private FeedLog(Path dir, long segmentBytes, long retentionBytes, AofFile.Opener opener) {
        this.dir = dir;
        this.opener = opener;
        this.segmentBytes = segmentBytes;
        this.retentionBytes = retentionBytes;
    }

    /** @return an empty in-memory log, offsets from 1 */
    static FeedLog memory(long segmentBytes, long retentionBytes) {
        return new FeedLog(null, segmentBytes, retentionBytes, null);
    }

    /**
     * Opens (creating) the log in {@code dir}, recovering from a crash: see the class note.
     *
     * @param floor offsets up to this one must never be assigned again (the highest offset a
     *              consumer committed: it may have seen changes a crash lost)
     */
    static FeedLog open(Path dir, long segmentBytes, long retentionBytes, long floor, AofFile.Opener opener)
        throws IOException {
        Files.createDirectories(dir);
        FeedLog log = new FeedLog(dir, segmentBytes, retentionBytes, opener);
        List<Long> bases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                if (n.matches("[0-9]{20}\\.seg")) {
                    bases.add(Long.parseLong(n.substring(0, 20)));
                }
            }
        }
        bases.sort(null);
        long last = 0;
        long lastSize = 0;
        while (!bases.isEmpty()) {
            long base = bases.get(bases.size() - 1);
            Path p = dir.resolve(Segment.fileName(base));
            long[] scan = scan(p);
            long size = Files.size(p);
            if (scan[0] < size) {
                LOG.log(System.Logger.Level.WARNING, "change feed segment " + p + ": dropping a torn tail of "
                    + (size - scan[0]) + " bytes (" + size + " -> " + scan[0] + ")");
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    ch.truncate(scan[0]);
                    ch.force(true);
                }
            }
            if (scan[0] > 0) {
                last = scan[1];
                lastSize = scan[0];
                break;
            }
            Files.delete(p);
            bases.remove(bases.size() - 1);
        }
        Segment[] segs = new Segment[bases.size()];
        for (int i = 0; i < segs.length; i++) {
            long base = bases.get(i);
            Path p = dir.resolve(Segment.fileName(base));
            boolean newest = i == segs.length - 1;
            long size = newest ? lastSize : Files.size(p);
            long lastOf = newest ? last : bases.get(i + 1) - 1;
            segs[i] = Segment.recovered(base, log.nextSeq++, p, size, lastOf);
        }
        log.segments = segs;
        log.lastOffset = Math.max(last, floor);
        log.lock.lock();
        try {
            log.retain();
        } finally {
            log.lock.unlock();
        }
        return log;
    }

    /** @return {validEnd, lastOffset}: the end of the last whole batch of valid records, its last offset */
    private static long[] scan(Path p) throws IOException {
        long validEnd = 0;
        long last = 0;
        long prev = 0;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 0;
            byte[] header = new byte[FeedRecords.HEADER];
            byte[] payload = new byte[256];
            while (pos + FeedRecords.HEADER <= size) {
                readFully(ch, pos, header, FeedRecords.HEADER);
                int len = FeedRecords.getInt(header, 0);
                if (len < FeedRecords.FIXED || len > size - pos - FeedRecords.HEADER) {
                    break;
                }
                if (payload.length < len) {
                    payload = new byte[len];
                }
                readFully(ch, pos + FeedRecords.HEADER, payload, len);
                if (!FeedRecords.crcMatches(payload, len, FeedRecords.getInt(header, 4))) {
                    break;
                }
                FeedRecord r = FeedRecords.decode(payload, len);
                if (r == null || r.offset() <= prev) {
                    break;
                }
                prev = r.offset();
                pos += FeedRecords.HEADER + len;
                if (r.batchIndex() == r.batchSize() - 1) {
                    validEnd = pos;
                    last = r.offset();
                }
            }
        }
        return new long[] {validEnd, last};
    }

    private static void readFully(FileChannel ch, long pos, byte[] dst, int len) throws IOException {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(dst, 0, len);
        long p = pos;
        while (bb.hasRemaining()) {
            int n = ch.read(bb, p);
            if (n < 0) {
                throw new IOException("unexpected end of " + ch);
            }
            p += n;
        }
    }

    /** @return the offset of the last record written (or never to be reused) */
    long lastOffset() {
        return lastOffset;
    }

    /** @return the oldest offset still held; {@link #lastOffset()} + 1 while nothing is */
    long firstOffset() {
        Segment[] s = segments;
        return s.length == 0 ? lastOffset + 1 : s[0].base;
    }

    /** @return the total bytes held */
    long bytes() {
        long t = 0;
        for (Segment s : segments) {
            t += s.visible();
        }
        return t;
    }

    /** @return how many segments are held */
    int segmentCount() {
        return segments.length;
    }

    /**
     * Appends a round's records ({@code first..last}) and makes them visible; forces them first
     * when {@code force}. On failure nothing becomes visible and the caller keeps the bytes.
     */
    void append(byte[] b, int len, long first, long last, boolean force) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IOException("change feed closed");
            }
            Segment a = active;
            if (a == null) {
                a = dir == null ? Segment.memory(first, nextSeq) : Segment.file(first, nextSeq, dir.resolve(Segment.fileName(first)), opener);
                nextSeq++;
                if (dir != null) {
                    syncDir();
                }
                Segment[] s = Arrays.copyOf(segments, segments.length + 1);
                s[s.length - 1] = a;
                segments = s;
                active = a;
            }
            try {
                a.indexRound(first);
                if (force && a.path != null) {
                    a.appendUnpublished(b, len);
                    a.force();
                    a.publish(len, last);
                } else {
                    a.append(b, len, last);
                }
            } catch (IOException e) {
                try {
                    a.truncate();
                } catch (IOException ignored) {
                    // the next append writes at the visible end anyway
                }
                throw e;
            }
            lastOffset = last;
            if (a.visible() >= segmentBytes) {
                roll(a);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds lock: forces and seals the active segment; the next round starts a new one. */
    private void roll(Segment a) throws IOException {
        a.force();
        a.seal();
        a.closeChannel();
        active = null;
        retain();
    }

    /** Caller holds lock: deletes the oldest segments while over retention (the newest stays). */
    private void retain() {
        Segment[] s = segments;
        long total = 0;
        for (Segment x : s) {
            total += x.visible();
        }
        int drop = 0;
        while (drop < s.length - 1 && total > retentionBytes) {
            total -= s[drop].visible();
            try {
                s[drop].delete();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "change feed: could not delete " + s[drop].path + ": " + e.getMessage());
            }
            drop++;
        }
        if (drop > 0) {
            segments = Arrays.copyOfRange(s, drop, s.length);
        }
    }

    private void syncDir() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the segment's own sync still happens
        }
    }

    /** {@code everysec}: forces the active segment's written bytes. */
    void sync() throws IOException {
        Segment a = active; // racy read is fine: a rolled segment was forced when sealed
        if (a != null && a.dirty()) {
            try {
                a.force();
            } catch (java.nio.channels.ClosedChannelException e) {
                // rolled meanwhile: forced then
            }
        }
    }

    /**
     * @return the segment to start reading {@code offset} from (the newest whose base is not
     *         after it), or null while nothing is held
     * @throws OffsetDiscardedException if {@code offset} is older than everything held
     */
    Segment segmentFor(long offset) {
        Segment[] s = segments;
        if (offset < firstOffset()) {
            throw new OffsetDiscardedException(offset, firstOffset());
        }
        for (int i = s.length - 1; i >= 0; i--) {
            if (s[i].base <= offset) {
                return s[i];
            }
        }
        return s.length == 0 ? null : s[0];
    }

    /**
     * @return the segment after {@code seg}, or null while there is none yet
     * @throws OffsetDiscardedException if retention deleted it ({@code next}: the reader's offset)
     */
    Segment successor(Segment seg, long next) {
        Segment[] s = segments;
        for (Segment x : s) {
            if (x.seq == seg.seq + 1) {
                return x;
            }
        }
        if (s.length > 0 && s[0].seq > seg.seq + 1) {
            throw new OffsetDiscardedException(next, firstOffset());
        }
        return null;
    }

    /** Forces and closes every file; readers of the in-memory log keep working. */
    void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            Segment a = active;
            if (a != null) {
                try {
                    a.force();
                } finally {
                    a.closeChannel();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "FeedLog[" + (dir == null ? "memory" : dir) + ", " + Arrays.toString(segments) + "]";
    }
}
