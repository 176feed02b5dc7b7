package io.redjar.internal.persistence.rdb;

import io.redjar.internal.persistence.rdb.RdbStrings.RdbFormatException;
import io.redjar.internal.types.CollectionLimits;
import io.redjar.internal.types.ValueImage;
import io.redjar.internal.util.Numbers;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.redjar.internal.persistence.rdb.RdbValueWriter.*;

/**
 * Reads one value (after its type id) as Redis 7.0's {@code rdbLoadObject} does with
 * {@code sanitize-dump-payload yes}, into a validated {@link ValueImage}: every type id Redis 7.0
 * loads except modules (0-5, 9-19; streams in {@link RdbStreams}), with the same conversions (zipmaps and
 * ziplists become listpacks; a collection takes the compact or the full encoding by the current
 * {@link CollectionLimits} exactly where Redis decides it), and the same refusals: duplicate set
 * members, hash fields or sorted-set members, NaN scores, odd pair counts, malformed blobs. In
 * addition a compact sorted set must be in (score, member) order, which RedJar's listpack
 * operations rely on.
 *
 * <p>An empty collection is {@link EmptyKeyException} (a file load skips the key, RESTORE answers
 * Bad data format). Nothing is allocated off-heap here; nothing is installed.
 *
 * <p><b>Thread-safety:</b> stateless; safe from any thread.
 */
final class RdbValueReader {
    /** A collection with no elements (Redis's {@code RDB_LOAD_ERR_EMPTY_KEY}). */
    static final class EmptyKeyException extends RdbFormatException {
        private static final long serialVersionUID = 1L;

        EmptyKeyException(String message) {
            super(message);
        }
    }

    private static final int LP_SAFETY = 1 << 30;

    private RdbValueReader() {
    }

    /** @return whether {@code type} is a value type id this reader knows */
    static boolean isValueType(int type) {
        return (type >= 0 && type <= 5) || (type >= 9 && type <= 14) || (type >= 16 && type <= 18)
            || type == TYPE_MODULE || type == TYPE_MODULE_2 || type == TYPE_STREAM_LISTPACKS || type == TYPE_STREAM_LISTPACKS_2;
    }

    static ValueImage read(int type, RdbInput in, CollectionLimits limits) throws RdbFormatException {
        long at = in.offset();
        try {
            return readValue(type, in, limits);
        } catch (EmptyKeyException e) {
            throw e;
        } catch (RdbFormatException e) {
            String m = e.getMessage();
            throw m.contains(" at offset ") ? e : new RdbFormatException(m + " in a value of type " + type + " at offset " + at);
        }
    }

    private static ValueImage readValue(int type, RdbInput in, CollectionLimits limits) throws RdbFormatException {
        switch (type) {
            case TYPE_STRING:
                return ValueImage.string(in.readString());
            case TYPE_LIST: {
                long n = nonEmpty(in.readCount(1));
                List<byte[]> els = list(n);
                for (long i = 0; i < n; i++) {
                    els.add(in.readString());
                }
                return ValueImage.list(els);
            }
            case TYPE_SET: {
                long n = nonEmpty(in.readCount(1));
                List<byte[]> ms = list(n);
                Set<ByteBuffer> seen = new HashSet<>();
                boolean ints = n <= Math.min(limits.setMaxIntsetEntries, 1 << 30);
                for (long i = 0; i < n; i++) {
                    byte[] m = in.readString();
                    if (!seen.add(ByteBuffer.wrap(m))) {
                        throw in.corrupt("Duplicate set members detected");
                    }
                    ints = ints && Numbers.isLong(m);
                    ms.add(m);
                }
                return ValueImage.set(ms, ints);
            }
            case TYPE_ZSET:
            case TYPE_ZSET_2: {
                long n = nonEmpty(in.readCount(type == TYPE_ZSET ? 2 : 9));
                List<byte[]> ms = list(n);
                double[] scores = new double[(int) Math.min(n, 1024)];
                Set<ByteBuffer> seen = new HashSet<>();
                long maxLen = 0;
                long total = 0;
                for (long i = 0; i < n; i++) {
                    byte[] m = in.readString();
                    double score = type == TYPE_ZSET_2 ? in.readBinaryDouble() : in.readTextDouble();
                    if (Double.isNaN(score)) {
                        throw in.corrupt("Zset with NAN score detected");
                    }
                    if (!seen.add(ByteBuffer.wrap(m))) {
                        throw in.corrupt("Duplicate zset fields detected");
                    }
                    maxLen = Math.max(maxLen, m.length);
                    total += m.length;
                    if (i == scores.length) {
                        scores = Arrays.copyOf(scores, (int) Math.min(n, scores.length * 2L));
                    }
                    scores[(int) i] = score;
                    ms.add(m);
                }
                boolean listpack = n <= limits.zsetMaxListpackEntries && maxLen <= limits.zsetMaxListpackValue && total < LP_SAFETY;
                return zset(ms, scores, listpack, true);
            }
            case TYPE_HASH: {
                long n = nonEmpty(in.readCount(2));
                List<byte[]> fv = list(n * 2);
                Set<ByteBuffer> seen = new HashSet<>();
                boolean listpack = n <= limits.hashMaxListpackEntries;
                long total = 0;
                for (long i = 0; i < n; i++) {
                    byte[] f = in.readString();
                    byte[] v = in.readString();
                    if (!seen.add(ByteBuffer.wrap(f))) {
                        throw in.corrupt("Duplicate hash fields detected");
                    }
                    total += f.length + v.length;
                    if (f.length > limits.hashMaxListpackValue || v.length > limits.hashMaxListpackValue || total >= LP_SAFETY) {
                        listpack = false;
                    }
                    fv.add(f);
                    fv.add(v);
                }
                return ValueImage.hash(fv, listpack);
            }
            case TYPE_LIST_QUICKLIST:
            case TYPE_LIST_QUICKLIST_2: {
                long nodes = nonEmpty(in.readCount(2));
                List<byte[]> els = new ArrayList<>();
                for (long i = 0; i < nodes; i++) {
                    long container = 2;
                    if (type == TYPE_LIST_QUICKLIST_2) {
                        container = in.readLength();
                        if (container != 1 && container != 2) {
                            throw in.corrupt("Quicklist integrity check failed.");
                        }
                    }
                    byte[] data = in.readString();
                    if (data.length == 0) {
                        throw in.corrupt("empty quicklist node");
                    }
                    if (container == 1) {
                        els.add(data);
                    } else if (type == TYPE_LIST_QUICKLIST_2) {
                        els.addAll(blob(in, () -> RdbBlobs.listpack(data), "Listpack integrity check failed."));
                    } else {
                        els.addAll(blob(in, () -> RdbBlobs.ziplist(data), "Ziplist integrity check failed."));
                    }
                }
                return ValueImage.list(nonEmpty(els));
            }
            case TYPE_HASH_ZIPMAP: {
                byte[] data = in.readString();
                List<byte[]> fv = blob(in, () -> RdbBlobs.zipmap(data), "Zipmap integrity check failed.");
                checkPairs(in, fv, "Hash zipmap with dup elements");
                long maxLen = 0;
                for (byte[] x : fv) {
                    maxLen = Math.max(maxLen, x.length);
                }
                nonEmpty(fv);
                return ValueImage.hash(fv, fv.size() / 2 <= limits.hashMaxListpackEntries && maxLen <= limits.hashMaxListpackValue);
            }
            case TYPE_LIST_ZIPLIST: {
                byte[] data = in.readString();
                return ValueImage.list(nonEmpty(blob(in, () -> RdbBlobs.ziplist(data), "List ziplist integrity check failed.")));
            }
            case TYPE_SET_INTSET: {
                byte[] data = in.readString();
                long[] vs;
                try {
                    vs = RdbBlobs.intset(data);
                } catch (RdbFormatException e) {
                    throw in.corrupt("Intset integrity check failed (" + e.getMessage() + ")");
                }
                List<byte[]> ms = new ArrayList<>(vs.length);
                for (long v : vs) {
                    ms.add(Numbers.formatLong(v));
                }
                return ValueImage.set(ms, vs.length <= limits.setMaxIntsetEntries);
            }
            case TYPE_ZSET_ZIPLIST:
            case TYPE_ZSET_LISTPACK: {
                byte[] data = in.readString();
                List<byte[]> pairs = type == TYPE_ZSET_LISTPACK
                    ? blob(in, () -> RdbBlobs.listpack(data), "Zset listpack integrity check failed.")
                    : blob(in, () -> RdbBlobs.ziplist(data), "Zset ziplist integrity check failed.");
                checkPairs(in, pairs, "Zset listpack with dup elements");
                nonEmpty(pairs);
                int n = pairs.size() / 2;
                List<byte[]> ms = new ArrayList<>(n);
                double[] scores = new double[n];
                for (int i = 0; i < n; i++) {
                    ms.add(pairs.get(2 * i));
                    Double d = RdbBlobs.parseDouble(new String(pairs.get(2 * i + 1), java.nio.charset.StandardCharsets.US_ASCII));
                    if (d == null) {
                        throw in.corrupt("Zset listpack with an invalid score");
                    }
                    scores[i] = d;
                }
                return zset(ms, scores, n <= limits.zsetMaxListpackEntries, false);
            }
            case TYPE_HASH_ZIPLIST:
            case TYPE_HASH_LISTPACK: {
                byte[] data = in.readString();
                List<byte[]> fv = type == TYPE_HASH_LISTPACK
                    ? blob(in, () -> RdbBlobs.listpack(data), "Hash listpack integrity check failed.")
                    : blob(in, () -> RdbBlobs.ziplist(data), "Hash ziplist integrity check failed.");
                checkPairs(in, fv, "Hash listpack with dup elements");
                nonEmpty(fv);
                return ValueImage.hash(fv, fv.size() / 2 <= limits.hashMaxListpackEntries);
            }
            case TYPE_STREAM_LISTPACKS:
            case TYPE_STREAM_LISTPACKS_2:
                return RdbStreams.read(type, in);
            case TYPE_MODULE:
            case TYPE_MODULE_2:
                throw in.corrupt("module values (RDB type " + type + ") are not supported");
            default:
                throw in.corrupt("Unknown RDB encoding type " + type);
        }
    }

    /** A sorted set image; listpack members are put in (score, member) order or, when {@code mayReorder} is false, must be in it. */
    private static ValueImage zset(List<byte[]> ms, double[] scores, boolean listpack, boolean mayReorder) throws RdbFormatException {
        int n = ms.size();
        if (!listpack) {
            return ValueImage.zset(ms, scores.length == n ? scores : Arrays.copyOf(scores, n), false);
        }
        Integer[] order = new Integer[n];
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            if (i > 0 && compare(scores[i - 1], ms.get(i - 1), scores[i], ms.get(i)) > 0) {
                sorted = false;
            }
        }
        if (sorted) {
            return ValueImage.zset(ms, scores.length == n ? scores : Arrays.copyOf(scores, n), true);
        }
        if (!mayReorder) {
            throw new RdbFormatException("Zset listpack not in (score, member) order");
        }
        Arrays.sort(order, (a, b) -> compare(scores[a], ms.get(a), scores[b], ms.get(b)));
        List<byte[]> sm = new ArrayList<>(n);
        double[] ss = new double[n];
        for (int i = 0; i < n; i++) {
            sm.add(ms.get(order[i]));
            ss[i] = scores[order[i]];
        }
        return ValueImage.zset(sm, ss, true);
    }

    private static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        int c = Double.compare(s1 == 0.0 ? 0.0 : s1, s2 == 0.0 ? 0.0 : s2);
        return c != 0 ? c : Arrays.compareUnsigned(m1, m2);
    }

    private interface BlobDecoder {
        List<byte[]> decode() throws RdbFormatException;
    }

    private static List<byte[]> blob(RdbInput in, BlobDecoder d, String what) throws RdbFormatException {
        try {
            return d.decode();
        } catch (RdbFormatException e) {
            throw in.corrupt(what + " (" + e.getMessage() + ")");
        }
    }

    /** Pairs: an even count and no key twice ({@code lpPairsValidateIntegrityAndDups}). */
    private static void checkPairs(RdbInput in, List<byte[]> pairs, String what) throws RdbFormatException {
        if ((pairs.size() & 1) != 0) {
            throw in.corrupt(what + " (odd element count)");
        }
        Set<ByteBuffer> seen = new HashSet<>();
        for (int i = 0; i < pairs.size(); i += 2) {
            if (!seen.add(ByteBuffer.wrap(pairs.get(i)))) {
                throw in.corrupt(what);
            }
        }
    }

    private static long nonEmpty(long n) throws EmptyKeyException {
        if (n == 0) {
            throw new EmptyKeyException("empty key");
        }
        return n;
    }

    private static List<byte[]> nonEmpty(List<byte[]> l) throws EmptyKeyException {
        if (l.isEmpty()) {
            throw new EmptyKeyException("empty key");
        }
        return l;
    }

    private static List<byte[]> list(long n) {
        return new ArrayList<>((int) Math.min(n, 1024));
    }
}
