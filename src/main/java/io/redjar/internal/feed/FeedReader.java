package io.redjar.internal.feed;

import io.redjar.OffsetDiscardedException;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * A cursor over the {@link FeedLog}: the visible records with offsets from {@code next} on, in
 * order, segment after segment.
 *
 * <p><b>Design.</b> The cursor finds the segment holding its start offset, reads records from the
 * segment's beginning and skips those before it; at the end of a sealed segment it moves to the
 * successor (by sequence number, so a segment deleted by retention in between is noticed, never
 * skipped). A record is checked (length, CRC-32C, command form) before it is returned: a bad one
 * is an {@link IOException}, not silently skipped.
 *
 * <p><b>Thread-safety:</b> not thread-safe: one subscription's delivery loop at a time.
 */
final class FeedReader implements AutoCloseable {
    private final FeedLog log;
    private long next;
    private Segment seg;
    private Segment.Source src;
    private long pos;
    private final byte[] header = new byte[FeedRecords.HEADER];
    private byte[] payload = new byte[256];

    /** @param from the offset of the first record wanted */
    FeedReader(FeedLog log, long from) {
        this.log = log;
        this.next = from;
    }

    /** @return the offset of the next record wanted */
    long next() {
        return next;
    }

    /**
     * @return the next visible record, or null while there is none yet
     * @throws OffsetDiscardedException if retention discarded the records wanted
     * @throws IOException              a read error, or a corrupt record
     */
    FeedRecord poll() throws IOException {
        try {
            return read();
        } catch (NoSuchFileException e) {
            throw new OffsetDiscardedException(next, log.firstOffset());
        }
    }

    private FeedRecord read() throws IOException {
        for (;;) {
            if (seg == null) {
                Segment s = log.segmentFor(next);
                if (s == null) {
                    return null;
                }
                open(s);
                pos = s.seek(next); // the sparse index: skip most records before the start
            }
            boolean sealed = seg.sealed(); // before visible: a sealed segment's visible is final
            long vis = seg.visible();
            if (pos + FeedRecords.HEADER <= vis) {
                src.read(pos, header, FeedRecords.HEADER, vis);
                int len = FeedRecords.getInt(header, 0);
                if (len < FeedRecords.FIXED || len > vis - pos - FeedRecords.HEADER) {
                    throw corrupt("bad record length " + len);
                }
                if (payload.length < len) {
                    payload = new byte[len];
                }
                src.read(pos + FeedRecords.HEADER, payload, len, vis);
                if (!FeedRecords.crcMatches(payload, len, FeedRecords.getInt(header, 4))) {
                    throw corrupt("checksum mismatch");
                }
                FeedRecord r = FeedRecords.decode(payload, len);
                if (r == null) {
                    throw corrupt("malformed record");
                }
                pos += FeedRecords.HEADER + len;
                if (r.offset() < next) {
                    continue;
                }
                next = r.offset() + 1;
                return r;
            }
            if (!sealed) {
                return null;
            }
            Segment s = log.successor(seg, next);
            if (s == null) {
                return null;
            }
            open(s);
        }
    }

    private void open(Segment s) throws IOException {
        close();
        src = s.reader();
        seg = s;
        pos = 0;
    }

    private IOException corrupt(String why) {
        return new IOException("corrupt change feed record in " + seg + " at byte " + pos + ": " + why);
    }

    @Override
    public void close() {
        if (src != null) {
            src.close();
            src = null;
        }
    }
}
