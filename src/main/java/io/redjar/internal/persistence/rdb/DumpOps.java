package io.redjar.internal.persistence.rdb;

import io.redjar.RedJarException;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.persistence.rdb.RdbStrings.RdbFormatException;
import io.redjar.internal.types.CollectionLimits;
import io.redjar.internal.types.ValueImage;
import io.redjar.internal.types.ValueImages;
import io.redjar.internal.util.Numbers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * DUMP and RESTORE (Redis 7.0's {@code dumpCommand} / {@code restoreCommand} in
 * {@code cluster.c}). A payload is the value as the RDB codec writes it (type id and value,
 * {@link RdbValueWriter}), the RDB version as two little-endian bytes, and the CRC64 of all that,
 * little endian: so payloads move between RedJar and redis-server both ways.
 *
 * <p>RESTORE checks, in Redis's order: the key is absent unless REPLACE ({@code BUSYKEY}), the TTL
 * is an integer &ge; 0, the payload's version is at most 10 and its checksum right ("DUMP payload
 * version or checksum are wrong"), the value is well formed ("Bad data format", after the deep
 * validation of {@link RdbValueReader}; an empty collection or a stream value too). The payload is
 * decoded before the shard is locked; the structures are built and the key installed under the
 * lock only once everything has passed, so a bad payload never leaves a half-installed key. A TTL
 * already past creates nothing (an old key REPLACE removed is reported and propagated as a
 * {@code DEL}). The command is propagated as Redis rewrites it: a relative TTL becomes absolute
 * with {@code ABSTTL} appended.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call locks the key's shard.
 */
public final class DumpOps {
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ABSTTL = "ABSTTL".getBytes(StandardCharsets.US_ASCII);
    private static final String BUSYKEY = io.redjar.ErrorPrefix.BUSYKEY.line("Target key name already exists.");

    private final Keyspace ks;
    private final CollectionLimits limits;
    private final BooleanSupplier compression;
    private final BooleanSupplier lfuPolicy;

    /**
     * @param compression {@code rdbcompression}
     * @param lfuPolicy   whether {@code maxmemory-policy} is an LFU one (IDLETIME is then ignored)
     */
    public DumpOps(Keyspace ks, CollectionLimits limits, BooleanSupplier compression, BooleanSupplier lfuPolicy) {
        this.ks = ks;
        this.limits = limits;
        this.compression = compression;
        this.lfuPolicy = lfuPolicy;
    }

    /** DUMP: the payload, or null when the key is missing. */
    public byte[] dump(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            int slot = ks.lookup(s, db, key, Keyspace.hash(key), ks.now(), true);
            if (slot < 0) {
                return null;
            }
            return payload(s.table(db).entry(slot), compression.getAsBoolean());
        } finally {
            s.unlock();
        }
    }

    /** @return the DUMP payload of the live entry {@code e}. Caller holds its shard's lock. */
    public static byte[] payload(long e, boolean compression) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(bos, compression, false);
        RdbValueWriter.write(w, e);
        w.writeByte(RdbWriter.RDB_VERSION & 0xFF);
        w.writeByte((RdbWriter.RDB_VERSION >>> 8) & 0xFF);
        long crc = w.crcSoFar();
        w.writeLongLE(crc);
        w.flush();
        return bos.toByteArray();
    }

    /** RESTORE's options, parsed (Redis parses them before anything else). */
    public record RestoreOptions(boolean replace, boolean absttl, long idleTime, long freq) {
    }

    /**
     * Parses RESTORE's options from {@code argv[4..]}, with Redis's errors.
     *
     * @throws RedJarException on a bad IDLETIME/FREQ value or a syntax error
     */
    public static RestoreOptions parseOptions(byte[][] argv) {
        boolean replace = false;
        boolean absttl = false;
        long idle = -1;
        long freq = -1;
        for (int j = 4; j < argv.length; j++) {
            int additional = argv.length - j - 1;
            String opt = new String(argv[j], StandardCharsets.ISO_8859_1);
            if (opt.equalsIgnoreCase("replace")) {
                replace = true;
            } else if (opt.equalsIgnoreCase("absttl")) {
                absttl = true;
            } else if (opt.equalsIgnoreCase("idletime") && additional >= 1 && freq == -1) {
                idle = Numbers.parseLong(argv[j + 1]);
                if (idle < 0) {
                    throw new RedJarException("ERR Invalid IDLETIME value, must be >= 0");
                }
                j++;
            } else if (opt.equalsIgnoreCase("freq") && additional >= 1 && idle == -1) {
                freq = Numbers.parseLong(argv[j + 1]);
                if (freq < 0 || freq > 255) {
                    throw new RedJarException("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
                j++;
            } else {
                throw new RedJarException("ERR syntax error");
            }
        }
        return new RestoreOptions(replace, absttl, idle, freq);
    }

    /**
     * RESTORE {@code key ttl payload [options]}: {@code argv} is the whole command (propagated,
     * rewritten as Redis does).
     *
     * @throws RedJarException with Redis's error replies
     */
    public void restore(int db, byte[][] argv) {
        RestoreOptions opt = parseOptions(argv);
        byte[] key = argv[1];
        byte[] payload = argv[3];
        // decode outside the lock; report its errors in Redis's order below
        String payloadError = null;
        ValueImage img = null;
        if (!verifyPayload(payload)) {
            payloadError = "ERR DUMP payload version or checksum are wrong";
        } else {
            try {
                img = decode(payload, limits);
            } catch (RdbFormatException e) {
                payloadError = "ERR Bad data format";
            }
        }
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long now = ks.now();
            long hash = Keyspace.hash(key);
            int slot = ks.lookup(s, db, key, hash, now, false);
            if (!opt.replace() && slot >= 0) {
                throw new RedJarException(BUSYKEY);
            }
            long ttl = Numbers.parseLong(argv[2]);
            if (ttl < 0) {
                throw new RedJarException("ERR Invalid TTL value, must be >= 0");
            }
            if (payloadError != null) {
                throw new RedJarException(payloadError);
            }
            boolean deleted = false;
            if (opt.replace() && slot >= 0) {
                ks.delete(s, db, slot);
                deleted = true;
            }
            if (ttl != 0 && !opt.absttl()) {
                ttl += now;
            }
            if (ttl != 0 && ttl <= now) {
                if (deleted) {
                    ks.propagate(db, DEL, key);
                    ks.modified(db, key, KeyEvent.DEL);
                }
                return;
            }
            int lru = -1;
            if (opt.idleTime() >= 0 && !lfuPolicy.getAsBoolean()) {
                lru = RdbLoader.lruFromIdle(Keyspace.lruClock(ks.clock().millis()), opt.idleTime());
            } else if (opt.freq() >= 0 && lfuPolicy.getAsBoolean()) {
                // Redis's objectSetLRUOrLFU: the counter as given, decremented from now
                lru = (io.redjar.internal.eviction.access.Lfu.minutes(ks.clock().millis()) << 8) | (int) opt.freq();
            }
            ValueImages.install(ks, s, db, key, img, ttl, lru, limits.listMaxListpackSize);
            byte[][] prop = argv;
            if (ttl != 0 && !opt.absttl()) {
                prop = Arrays.copyOf(argv, argv.length + 1);
                prop[2] = Numbers.formatLong(ttl);
                prop[argv.length] = ABSTTL;
            }
            ks.modified(db, key, KeyEvent.RESTORE);
            ks.propagate(db, prop);
        } finally {
            s.unlock();
        }
    }

    /** Redis's {@code verifyDumpPayload}: at least 10 bytes, version &le; 10, the CRC64 right. */
    static boolean verifyPayload(byte[] p) {
        int len = p.length;
        if (len < 10) {
            return false;
        }
        int version = (p[len - 10] & 0xFF) | (p[len - 9] & 0xFF) << 8;
        if (version > RdbWriter.RDB_VERSION) {
            return false;
        }
        long crc = Crc64.update(0, p, 0, len - 8);
        long stored = 0;
        for (int i = 7; i >= 0; i--) {
            stored = (stored << 8) | (p[len - 8 + i] & 0xFF);
        }
        return crc == stored;
    }

    /** Decodes a verified payload's value. @throws RdbFormatException when it is not a well-formed, non-empty value */
    static ValueImage decode(byte[] payload, CollectionLimits limits) throws RdbFormatException {
        RdbInput in = new RdbInput(payload, payload.length - 10);
        int type = in.readByte();
        if (!RdbValueReader.isValueType(type)) {
            throw in.corrupt("unknown type " + type);
        }
        return RdbValueReader.read(type, in, limits);
    }
}
