package io.redjar.internal.persistence.rdb;

import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.persistence.rdb.RdbStrings.RdbFormatException;
import io.redjar.internal.types.CollectionLimits;
import io.redjar.internal.types.ValueImage;
import io.redjar.internal.types.ValueImages;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Loads an RDB stream (versions 1 to 10, as Redis 7.0's {@code rdbLoadRio}) into a
 * {@link Keyspace}: header, aux fields, function libraries (handed to a consumer), database
 * selectors, expire times, LRU idle / LFU frequency opcodes, and every key/value pair through
 * {@link RdbValueReader} (fully validated before anything is installed) and
 * {@link ValueImages#install}. It reads exactly the RDB bytes, through the 8-byte checksum, and
 * no further: an AOF base file continues after them on the same stream.
 *
 * <p>Checks, each an {@link RdbLoadException} naming the byte offset: the {@code REDIS} magic;
 * the version (Redis 7.0 refuses 11 and later: "Can't handle RDB format version"); every value's
 * structure; a database index below {@link Keyspace#databases()}; no key twice; the CRC64 (when
 * the stored one is not 0 and checking is on). Keys whose expire time has passed are skipped (as
 * a master does; {@link #keepExpired} for an AOF preamble, which keeps them); empty collections
 * are skipped (Redis logs and skips them). Stream and module values are refused.
 *
 * <p>A key is installed under its shard's lock, one key at a time, so the keyspace can be in use
 * while loading (the caller decides whether it is). A failed load leaves the keys installed
 * before the failure: callers that need all-or-nothing load into an empty keyspace and flush it
 * on failure.
 *
 * <p><b>Thread-safety:</b> not thread-safe; one loader per load, on one thread.
 */
public final class RdbLoader {
    /** Told about loading progress. */
    @FunctionalInterface
    public interface Progress {
        /** No reporting. */
        Progress NONE = (bytesRead, totalBytes, keysLoaded) -> { };

        /**
         * Called about every MiB read or 100,000 keys loaded, and at the end.
         *
         * @param totalBytes the size the caller announced (0 when unknown)
         */
        void progress(long bytesRead, long totalBytes, long keysLoaded);
    }

    /** What a load did. */
    public static final class Stats {
        /** Keys installed. */
        public long keysLoaded;
        /** Keys skipped because their expire time had passed. */
        public long expiredSkipped;
        /** Empty collections skipped. */
        public long emptySkipped;
        /** Function libraries handed to the consumer. */
        public long functions;
        /** Bytes read, checksum included. */
        public long bytesRead;
        /** The file's RDB version. */
        public int rdbVersion;
        /** The aux fields, in file order. */
        public final Map<String, String> aux = new LinkedHashMap<>();

        /** @return the aux fields, read-only */
        public Map<String, String> auxFields() {
            return Collections.unmodifiableMap(aux);
        }
    }

    /** A load failure; the message names the byte offset. */
    public static final class RdbLoadException extends IOException {
        private static final long serialVersionUID = 1L;

        RdbLoadException(String message) {
            super(message);
        }
    }

    private static final int PROGRESS_BYTES = 1 << 20;
    private static final int PROGRESS_KEYS = 100_000;

    private final Keyspace ks;
    private final Consumer<String> functionLibraries;
    private final CollectionLimits limits;
    private boolean keepExpired;
    private boolean verifyChecksum = true;
    private boolean lfuPolicy;
    /** The FREQ opcode's counter for the next key, or -1. */
    private int freq = -1;
    private boolean exclusive;

    /**
     * @param ks                the keyspace to load into
     * @param functionLibraries receives each function library's code, in file order (it may throw
     *                          to fail the load, e.g. on a library that already exists)
     * @param limits            the encoding thresholds to convert by
     */
    public RdbLoader(Keyspace ks, Consumer<String> functionLibraries, CollectionLimits limits) {
        this.ks = ks;
        this.functionLibraries = functionLibraries;
        this.limits = limits;
    }

    /** Keeps keys whose expire time has passed (loading an AOF preamble, or as a replica). */
    public RdbLoader keepExpired(boolean keep) {
        this.keepExpired = keep;
        return this;
    }

    /** Whether a non-zero stored checksum is verified ({@code rdbchecksum}; default true). */
    public RdbLoader verifyChecksum(boolean verify) {
        this.verifyChecksum = verify;
        return this;
    }

    /**
     * Whether the eviction policy is an LFU one: then idle times are ignored (RedJar keeps no
     * frequency counter, so frequencies are ignored either way); otherwise an {@code IDLE} opcode
     * sets the key's LRU clock, as Redis's {@code objectSetLRUOrLFU}.
     */
    public RdbLoader lfuPolicy(boolean lfu) {
        this.lfuPolicy = lfu;
        return this;
    }

    /**
     * Holds every shard lock for the whole load instead of one shard lock per key: faster, for a
     * keyspace nobody else uses meanwhile (start-up, DEBUG RELOAD). Default false.
     */
    public RdbLoader exclusive(boolean exclusive) {
        this.exclusive = exclusive;
        return this;
    }

    /**
     * Loads one RDB stream.
     *
     * @param in         the bytes; read exactly up to the end of the checksum (pass a buffered stream)
     * @param totalBytes the size of the RDB part if known (a bound for untrusted lengths, and the
     *                   progress total), else 0
     * @throws RdbLoadException on any format error, naming the offset
     */
    public Stats load(InputStream in, long totalBytes, Progress progress) throws IOException {
        RdbInput r = new RdbInput(in, totalBytes);
        Stats st = new Stats();
        if (exclusive) {
            ks.lockAll();
        }
        try {
            run(r, totalBytes, progress == null ? Progress.NONE : progress, st);
        } catch (RdbFormatException e) {
            throw new RdbLoadException("Bad RDB data: " + e.getMessage());
        } finally {
            if (exclusive) {
                ks.unlockAll();
            }
        }
        st.bytesRead = r.offset();
        return st;
    }

    private void run(RdbInput r, long totalBytes, Progress progress, Stats st) throws RdbFormatException, RdbLoadException {
        byte[] magic = r.readBytes(9);
        String head = new String(magic, StandardCharsets.US_ASCII);
        if (!head.startsWith("REDIS")) {
            throw new RdbLoadException("Wrong signature trying to load DB from file (at offset 0)");
        }
        int version = atoi(head.substring(5));
        if (version < 1 || version > RdbWriter.RDB_VERSION) {
            throw new RdbLoadException("Can't handle RDB format version " + version + " (at offset 5)");
        }
        st.rdbVersion = version;
        int db = 0;
        long expireAt = -1;
        long idle = -1;
        long now = ks.clock().millis();
        int clock = Keyspace.lruClock(now);
        long lastReport = 0;
        long lastKeys = 0;
        while (true) {
            long typeAt = r.offset();
            int type = r.readByte();
            switch (type) {
                case RdbWriter.OPCODE_EXPIRETIME:
                    expireAt = (r.readIntLE() & 0xFFFFFFFFL) * 1000;
                    continue;
                case RdbWriter.OPCODE_EXPIRETIME_MS:
                    expireAt = r.readLongLE();
                    continue;
                case RdbWriter.OPCODE_FREQ:
                    freq = r.readByte() & 0xFF; // the LFU counter of the next key
                    continue;
                case RdbWriter.OPCODE_IDLE:
                    idle = r.readLength();
                    continue;
                case RdbWriter.OPCODE_SELECTDB: {
                    long id = r.readLength();
                    if (id >= ks.databases()) {
                        throw new RdbLoadException("Data file was created with a server configured to handle more than "
                            + ks.databases() + " databases (SELECTDB " + id + " at offset " + typeAt + ")");
                    }
                    db = (int) id;
                    continue;
                }
                case RdbWriter.OPCODE_RESIZEDB:
                    r.readLength();
                    r.readLength();
                    continue;
                case RdbWriter.OPCODE_AUX: {
                    String k = new String(r.readString(), StandardCharsets.UTF_8);
                    String v = new String(r.readString(), StandardCharsets.UTF_8);
                    st.aux.put(k, v);
                    continue;
                }
                case 247: // RDB_OPCODE_MODULE_AUX
                    throw new RdbLoadException("module aux data is not supported (at offset " + typeAt + ")");
                case 246: // RDB_OPCODE_FUNCTION (7.0 release candidates)
                    throw new RdbLoadException("pre-release function data (opcode 246) is not supported (at offset " + typeAt + ")");
                case RdbWriter.OPCODE_FUNCTION2: {
                    String code = new String(r.readString(), StandardCharsets.UTF_8);
                    try {
                        functionLibraries.accept(code);
                    } catch (RuntimeException e) {
                        throw new RdbLoadException("function library at offset " + typeAt + " failed to load: " + e.getMessage());
                    }
                    st.functions++;
                    continue;
                }
                case RdbWriter.OPCODE_EOF:
                    break;
                default:
                    if (!RdbValueReader.isValueType(type)) {
                        throw new RdbLoadException("Unknown RDB type or opcode " + type + " at offset " + typeAt);
                    }
                    loadPair(r, type, typeAt, db, expireAt, idle, now, clock, st);
                    expireAt = -1;
                    idle = -1;
                    freq = -1;
                    if (r.offset() - lastReport >= PROGRESS_BYTES || st.keysLoaded - lastKeys >= PROGRESS_KEYS) {
                        lastReport = r.offset();
                        lastKeys = st.keysLoaded;
                        progress.progress(r.offset(), totalBytes, st.keysLoaded);
                    }
                    continue;
            }
            break;
        }
        if (version >= 5) {
            long expected = r.crc();
            long stored = r.readLongLE();
            if (verifyChecksum && stored != 0 && stored != expected) {
                throw new RdbLoadException("RDB CRC error: expected " + Long.toHexString(expected) + ", got "
                    + Long.toHexString(stored) + " (checksum at offset " + (r.offset() - 8) + ")");
            }
        }
        progress.progress(r.offset(), totalBytes, st.keysLoaded);
    }

    private void loadPair(RdbInput r, int type, long typeAt, int db, long expireAt, long idle, long now, int clock, Stats st)
        throws RdbFormatException, RdbLoadException {
        byte[] key = r.readString();
        ValueImage img;
        try {
            img = RdbValueReader.read(type, r, limits);
        } catch (RdbValueReader.EmptyKeyException e) {
            st.emptySkipped++;
            return;
        }
        if (!keepExpired && expireAt != -1 && expireAt < now) {
            st.expiredSkipped++;
            return;
        }
        int lru = -1;
        if (!lfuPolicy && idle >= 0) {
            lru = lruFromIdle(clock, idle);
        } else if (lfuPolicy && freq >= 0) {
            lru = (io.redjar.internal.eviction.access.Lfu.minutes(now) << 8) | freq; // Redis's objectSetLRUOrLFU
        }
        Shard s = ks.shardOf(key);
        if (!exclusive) {
            s.lock();
        }
        try {
            long hash = Keyspace.hash(key);
            if (s.table(db).find(key, 0, key.length, hash) >= 0) {
                throw new RdbLoadException("RDB has duplicated key '" + printable(key) + "' in DB " + db + " (at offset " + typeAt + ")");
            }
            ValueImages.install(ks, s, db, key, hash, img, expireAt == -1 ? Keyspace.NO_TTL : expireAt, lru, limits.listMaxListpackSize);
        } finally {
            if (!exclusive) {
                s.unlock();
            }
        }
        st.keysLoaded++;
    }

    /** Redis's {@code objectSetLRUOrLFU} for an idle time in seconds at LRU clock {@code clock}. */
    static int lruFromIdle(int clock, long idleSeconds) {
        long max = io.redjar.internal.keyspace.EntryDescriptor.LRU_MAX;
        long abs = clock - idleSeconds;
        if (abs < 0) {
            abs = (clock + max / 2) % max;
        }
        return (int) abs;
    }

    private static int atoi(String s) {
        int v = 0;
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && v < 100000) {
            v = v * 10 + (s.charAt(i++) - '0');
        }
        return v;
    }

    private static String printable(byte[] key) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < key.length && i < 64; i++) {
            int c = key[i] & 0xFF;
            b.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return b.toString();
    }
}
