package io.redjar.hitratio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Replays a {@link Trace} against one RESP server the way a read-through cache uses it: {@code GET
 * key}; on a miss {@code SET key value} (with {@code EX} for the volatile-* policies, so every key
 * is evictable). A hit is a GET that returned a value; the first {@code warmup} requests are
 * replayed but not counted.
 *
 * <p>Design note: pipelined, one round trip per batch, and still in trace order for every key. A
 * batch is the longest run of requests (at most {@code maxBatch}) with no key twice; its GETs go
 * out in one write, preceded by the SETs for the previous batch's misses. So a key's SET always
 * reaches the server before its next GET, exactly as if each request were sent on its own, and a
 * repeated key never counts as a miss only because its SET was still in flight.
 *
 * <p>Thread-safety: none; one replay per instance at a time.
 */
final class Replayer {
    /** What one replay counted. */
    record Result(long lookups, long hits, long setErrors, String firstError, long nanos) {
        double ratio() {
            return lookups == 0 ? 0 : (double) hits / lookups;
        }
    }

    private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EX = "EX".getBytes(StandardCharsets.US_ASCII);
    /** TTL of the volatile-* runs' keys: far longer than any replay, so nothing expires meanwhile. */
    private static final byte[] TTL = "86400".getBytes(StandardCharsets.US_ASCII);

    private final byte[][] keyBytes;
    private final byte[] value;
    private final int maxBatch;

    /**
     * @param idBound  one more than the largest key id that will be replayed
     * @param value    the value every SET writes
     * @param maxBatch the most requests per round trip
     */
    Replayer(int idBound, byte[] value, int maxBatch) {
        keyBytes = new byte[idBound][];
        for (int i = 0; i < idBound; i++) {
            keyBytes[i] = key(i);
        }
        this.value = value;
        this.maxBatch = maxBatch;
    }

    /** @return the key name of id {@code id} ({@code key:<id>}) */
    static byte[] key(int id) {
        return ("key:" + id).getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes keys {@code 0..count-1} (pipelined) and reads the replies; for sizing the cache. */
    long fill(RespPipe pipe, int count, boolean withTtl) throws IOException {
        long errors = 0;
        for (int from = 0; from < count; from += maxBatch) {
            int to = Math.min(count, from + maxBatch);
            for (int i = from; i < to; i++) {
                sendSet(pipe, i < keyBytes.length ? keyBytes[i] : key(i), withTtl);
            }
            pipe.flush();
            for (int i = from; i < to; i++) {
                if (pipe.read(false) == RespPipe.Kind.ERROR) {
                    errors++;
                }
            }
        }
        return errors;
    }

    /** Replays {@code trace}, counting hits from request {@code warmup} on. */
    Result replay(RespPipe pipe, Trace trace, int warmup, boolean withTtl) throws IOException {
        int[] keys = trace.keys();
        int[] stamp = new int[keyBytes.length];
        int[] pending = new int[maxBatch];
        int pendingCount = 0;
        long lookups = 0;
        long hits = 0;
        long setErrors = 0;
        String firstError = null;
        int batchNo = 0;
        long start = System.nanoTime();
        int i = 0;
        while (i < keys.length || pendingCount > 0) {
            batchNo++;
            for (int p = 0; p < pendingCount; p++) {
                sendSet(pipe, keyBytes[pending[p]], withTtl);
            }
            int from = i;
            while (i < keys.length && i - from < maxBatch && stamp[keys[i]] != batchNo) {
                stamp[keys[i]] = batchNo;
                pipe.send(GET, keyBytes[keys[i]]);
                i++;
            }
            pipe.flush();
            for (int p = 0; p < pendingCount; p++) {
                if (pipe.read(firstError == null) == RespPipe.Kind.ERROR) {
                    setErrors++;
                    if (firstError == null) {
                        firstError = pipe.text();
                    }
                }
            }
            pendingCount = 0;
            for (int r = from; r < i; r++) {
                RespPipe.Kind kind = pipe.read(false);
                if (kind == RespPipe.Kind.ERROR) {
                    throw new IOException("GET failed: " + pipe.text());
                }
                boolean hit = kind == RespPipe.Kind.BULK;
                if (r >= warmup) {
                    lookups++;
                    if (hit) {
                        hits++;
                    }
                }
                if (!hit) {
                    pending[pendingCount++] = keys[r];
                }
            }
        }
        return new Result(lookups, hits, setErrors, firstError, System.nanoTime() - start);
    }

    private void sendSet(RespPipe pipe, byte[] key, boolean withTtl) throws IOException {
        if (withTtl) {
            pipe.send(SET, key, value, EX, TTL);
        } else {
            pipe.send(SET, key, value);
        }
    }
}
