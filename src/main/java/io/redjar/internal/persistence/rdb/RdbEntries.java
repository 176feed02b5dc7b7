package io.redjar.internal.persistence.rdb;

import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.KeyTable;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;

/**
 * Writes the entries of one shard into an RDB stream, as Redis's {@code rdbSaveDb} /
 * {@code rdbSaveKeyValuePair} do for a database: for every database with keys in the shard,
 * {@code SELECTDB}, {@code RESIZEDB} (the shard's counts), then per entry the
 * {@code EXPIRETIME_MS} opcode when it has a TTL, {@code IDLE} when the writer saves LRU
 * information ({@link RdbWriter#evictionInfo}), the type, the key and the value
 * ({@link RdbValueWriter}). Keys whose TTL has passed but that nobody has removed yet are written
 * too (as Redis does); a loader that is a master skips them.
 *
 * <p>A snapshot of several shards repeats {@code SELECTDB} per shard: loaders (Redis's included)
 * accept any number of selectors, and the RESIZEDB hints then describe one shard's part.
 *
 * <p><b>Thread-safety:</b> stateless; {@link #writeShard} runs with the shard's lock held and only
 * reads the shard.
 */
public final class RdbEntries {
    private RdbEntries() {
    }

    /**
     * Writes every entry of {@code s}. Caller holds the shard's lock.
     */
    public static void writeShard(Keyspace ks, Shard s, RdbWriter w) {
        boolean idle = w.evictionInfo() == RdbWriter.EvictionInfo.LRU;
        boolean freq = w.evictionInfo() == RdbWriter.EvictionInfo.LFU;
        long now = ks.clock().millis();
        int clock = Keyspace.lruClock(now);
        int decay = ks.accessTracking().decayTime();
        for (int db = 0; db < ks.databases(); db++) {
            KeyTable t = s.table(db);
            if (t.size() == 0) {
                continue;
            }
            w.selectDb(db);
            w.resizeDb(t.size(), t.expires());
            int cap = t.capacity();
            for (int slot = 0; slot < cap; slot++) {
                if (t.isLive(slot)) {
                    long e = t.entry(slot);
                    writeEntry(w, e, idle, clock,
                        freq ? io.redjar.internal.eviction.access.Lfu.decrAndReturn(EntryDescriptor.lru(e), now, decay) : -1);
                }
            }
        }
    }

    /**
     * The bytes {@link #writeShard} writes for {@code s}, on their own (a snapshot's per-shard
     * image, later copied into the file with {@link RdbWriter#raw}, which checksums it there).
     * Caller holds the shard's lock.
     *
     * @param compression {@code rdbcompression}
     * @param info        which access information to save per key
     */
    public static byte[] encodeShard(Keyspace ks, Shard s, boolean compression, RdbWriter.EvictionInfo info) {
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(bos, compression, false).evictionInfo(info);
        writeShard(ks, s, w);
        w.flush();
        return bos.toByteArray();
    }

    /** Writes one key/value pair with its expire time and (when {@code idle}) its idle time. */
    static void writeEntry(RdbWriter w, long e, boolean idle, int clock) {
        writeEntry(w, e, idle, clock, -1);
    }

    /**
     * Writes one key/value pair with its expire time, its idle time (when {@code idle}) and its
     * LFU counter (when {@code freq} is not -1: Redis's {@code RDB_OPCODE_FREQ} under LFU policies).
     */
    static void writeEntry(RdbWriter w, long e, boolean idle, int clock, int freq) {
        if (EntryDescriptor.hasExpire(e)) {
            w.writeByte(RdbWriter.OPCODE_EXPIRETIME_MS);
            w.writeLongLE(EntryDescriptor.expireAt(e));
        }
        if (idle) {
            int lru = EntryDescriptor.lru(e);
            long secs = clock >= lru ? clock - lru : clock + (EntryDescriptor.LRU_MAX - lru);
            w.writeByte(RdbWriter.OPCODE_IDLE);
            w.writeLength(secs);
        }
        if (freq >= 0) {
            w.writeByte(RdbWriter.OPCODE_FREQ);
            w.writeByte(freq);
        }
        int type = RdbValueWriter.rdbType(e);
        // RdbValueWriter.write writes the type itself; the key goes between type and value
        w.writeByte(type);
        w.writeString(EntryDescriptor.keyAddress(e), EntryDescriptor.keyLength(e));
        RdbValueWriter.writeValue(w, e);
    }
}
