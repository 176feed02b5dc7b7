package io.redjar;

import io.redjar.internal.Engine;
import io.redjar.internal.command.CallPath;
import io.redjar.internal.blocking.BlockingPops;
import io.redjar.internal.types.ListOps;
import io.redjar.internal.util.Preconditions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * List commands on one database, called directly (no parsing): {@code LPUSH}, {@code LRANGE},
 * {@code LMOVE} and the rest of Redis's list family, including the blocking pops ({@code BLPOP},
 * {@code BRPOP}, {@code BLMOVE}, {@code BLMPOP}) as blocking methods and as futures. Methods have a
 * {@code String} form (UTF-8 for keys and elements) and, for the common ones, a {@code byte[]} form.
 *
 * <pre>{@code
 * Lists lists = store.lists();
 * lists.rpush("queue", "a", "b", "c");                   // 3
 * List<String> all = lists.lrange("queue", 0, -1);        // [a, b, c]
 * Lists.Popped p = lists.blpop(Duration.ofSeconds(1), "queue");   // (queue, a)
 * }</pre>
 *
 * <p>Errors are Redis's, as exceptions: {@link WrongTypeException} when a key holds another type,
 * {@link RedJarException} otherwise, with Redis's text.
 *
 * <p>Blocking pops wait with no lock held, in the same queues as the {@code BLPOP} command (a push
 * through this handle, a command or another handle serves them in arrival order). A timeout of
 * {@link Duration#ZERO} waits forever; a negative one is rejected with
 * {@link IllegalArgumentException} ({@code "timeout must not be negative: PT-1S"}) before anything is
 * popped (the {@code BLPOP} command keeps Redis's {@code ERR timeout is negative}).
 * The blocking methods throw {@link InterruptedException} when the thread is interrupted while
 * waiting (or on entry), and then take nothing. Cancelling an async future unblocks the pop, which
 * then takes nothing.
 *
 * <p><b>Arguments:</b> a null argument, or a null element of an array or map argument, is
 * rejected with {@link NullPointerException} naming it ({@code "key must not be null"},
 * {@code "members[1] must not be null"}) before the store is touched; a {@code Duration} or
 * {@code Instant} whose milliseconds overflow a {@code long} with {@link IllegalArgumentException}.
 * Values that Redis itself judges (negative counts, zero expiries, ...) get Redis's error.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is one atomic command.
 */
public final class Lists {
    /** An end of a list: {@code LEFT} is the head (index 0), {@code RIGHT} the tail. */
    public enum End {
        /** The head. */
        LEFT,
        /** The tail. */
        RIGHT;

        boolean head() {
            return this == LEFT;
        }
    }

    /** Where {@link #linsert} puts the element, relative to the pivot. */
    public enum Position {
        /** Before the pivot. */
        BEFORE,
        /** After the pivot. */
        AFTER
    }

    /**
     * One element popped by {@link #blpop}/{@link #brpop}: the key it came from and the element.
     *
     * @param key   the list's key
     * @param value the element
     */
    public record Popped(String key, String value) {
    }

    /**
     * Binary form of {@link Popped}. Arrays are compared by identity (records do not look inside
     * arrays); compare {@code key()} and {@code value()} with {@link Arrays#equals(byte[], byte[])}.
     *
     * @param key   the list's key
     * @param value the element
     */
    public record PoppedBytes(byte[] key, byte[] value) {
    }

    /**
     * The elements popped by {@link #lmpop}/{@link #blmpop}, in pop order, and their key.
     *
     * @param key    the list's key
     * @param values the elements (at least one), unmodifiable
     */
    public record MultiPopped(String key, List<String> values) {
    }

    private final CallPath path;
    private final int db;

    Lists(Engine engine, int db) {
        this.path = engine.callPath();
        this.db = db;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static byte[][] bs(String... values) {
        byte[][] out = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = b(values[i]);
        }
        return out;
    }

    private static List<String> strings(List<byte[]> values) {
        if (values == null) {
            return null;
        }
        List<String> out = new ArrayList<>(values.size());
        for (byte[] v : values) {
            out.add(s(v));
        }
        return out;
    }

    private static void checkArgs(int n, String command) {
        if (n == 0) {
            throw new RedJarException("ERR wrong number of arguments for '" + command + "' command");
        }
    }

    private long push(byte[] key, boolean head, boolean onlyIfExists, byte[][] values, String command) {
        checkArgs(values.length, command);
        long n = path.call(command, db, o -> o.lists().push(db, key, head, onlyIfExists, values));
        return n;
    }

    // ---- push / pop --------------------------------------------------------------------------

    /** LPUSH: inserts the values at the head, one after the other; returns the new length. */
    public long lpush(byte[] key, byte[]... values) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(values, "values");
        return push(key, true, false, values, "lpush");
    }

    /** LPUSH. */
    public long lpush(String key, String... values) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(values, "values");
        return push(b(key), true, false, bs(values), "lpush");
    }

    /** RPUSH: appends the values; returns the new length. */
    public long rpush(byte[] key, byte[]... values) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(values, "values");
        return push(key, false, false, values, "rpush");
    }

    /** RPUSH. */
    public long rpush(String key, String... values) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(values, "values");
        return push(b(key), false, false, bs(values), "rpush");
    }

    /** LPUSHX: LPUSH only if the list exists; returns the new length (0 if it does not). */
    public long lpushx(String key, String... values) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(values, "values");
        return push(b(key), true, true, bs(values), "lpushx");
    }

    /** RPUSHX: RPUSH only if the list exists; returns the new length (0 if it does not). */
    public long rpushx(String key, String... values) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(values, "values");
        return push(b(key), false, true, bs(values), "rpushx");
    }

    /** LPOP: the first element, or null if the list does not exist. */
    public byte[] lpop(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("lpop", db, o -> o.lists().pop(db, key, true));
    }

    /** LPOP. */
    public String lpop(String key) {
        Preconditions.notNull(key, "key");
        return s(path.call("lpop", db, o -> o.lists().pop(db, b(key), true)));
    }

    /** RPOP: the last element, or null if the list does not exist. */
    public byte[] rpop(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("rpop", db, o -> o.lists().pop(db, key, false));
    }

    /** RPOP. */
    public String rpop(String key) {
        Preconditions.notNull(key, "key");
        return s(path.call("rpop", db, o -> o.lists().pop(db, b(key), false)));
    }

    /**
     * LPOP key count: up to {@code count} elements from the head, or null if the list does not
     * exist. @throws RedJarException {@code ERR value is out of range, must be positive} if negative
     */
    public List<String> lpop(String key, long count) {
        Preconditions.notNull(key, "key");
        return strings(popCount(b(key), true, count));
    }

    /** RPOP key count: up to {@code count} elements from the tail, or null if the list does not exist. */
    public List<String> rpop(String key, long count) {
        Preconditions.notNull(key, "key");
        return strings(popCount(b(key), false, count));
    }

    private List<byte[]> popCount(byte[] key, boolean head, long count) {
        if (count < 0) {
            throw new RedJarException("ERR value is out of range, must be positive");
        }
        return path.call(head ? "lpop" : "rpop", db, o -> o.lists().pop(db, key, head, count));
    }

    /**
     * LMPOP: pops up to {@code count} elements from the first non-empty list among {@code keys}.
     *
     * @return the key and elements, or null when every key is missing
     */
    public MultiPopped lmpop(End end, long count, String... keys) {
        Preconditions.notNull(end, "end");
        Preconditions.noNullElements(keys, "keys");
        checkMultiPop(count, keys);
        return multi(path.call("lmpop", db, o -> o.lists().mpop(db, bs(keys), 0, keys.length, end.head(), count)));
    }

    private static void checkMultiPop(long count, String... keys) {
        if (keys.length == 0) {
            throw new RedJarException("ERR numkeys should be greater than 0");
        }
        if (count < 1) {
            throw new RedJarException("ERR count should be greater than 0");
        }
    }

    private static MultiPopped multi(ListOps.Popped p) {
        return p == null ? null : new MultiPopped(s(p.key()), List.copyOf(strings(p.elements())));
    }

    // ---- reads -------------------------------------------------------------------------------

    /** LLEN: the length, 0 if the list does not exist. */
    public long llen(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("llen", db, o -> o.lists().llen(db, key));
    }

    /** LLEN. */
    public long llen(String key) {
        Preconditions.notNull(key, "key");
        return path.call("llen", db, o -> o.lists().llen(db, b(key)));
    }

    /** LRANGE with Redis's inclusive, negative-from-the-end indexes ({@code 0, -1} is everything). */
    public List<byte[]> lrange(byte[] key, long start, long stop) {
        Preconditions.notNull(key, "key");
        return path.call("lrange", db, o -> o.lists().range(db, key, start, stop));
    }

    /** LRANGE. */
    public List<String> lrange(String key, long start, long stop) {
        Preconditions.notNull(key, "key");
        return strings(path.call("lrange", db, o -> o.lists().range(db, b(key), start, stop)));
    }

    /** LINDEX: the element at {@code index} (negative from the end), or null. */
    public String lindex(String key, long index) {
        Preconditions.notNull(key, "key");
        return s(path.call("lindex", db, o -> o.lists().index(db, b(key), () -> index)));
    }

    /**
     * LSET. @throws RedJarException {@code ERR no such key} or {@code ERR index out of range}
     */
    public void lset(String key, long index, String value) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(value, "value");
        path.run("lset", db, o -> o.lists().set(db, b(key), () -> index, b(value)));
    }

    /**
     * LINSERT: inserts {@code value} before or after the first {@code pivot}.
     *
     * @return the new length, -1 if the pivot was not found, 0 if the list does not exist
     */
    public long linsert(String key, Position where, String pivot, String value) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(where, "where");
        Preconditions.notNull(pivot, "pivot");
        Preconditions.notNull(value, "value");
        return path.call("linsert", db, o -> o.lists().insert(db, b(key), where == Position.AFTER, b(pivot), b(value)));
    }

    /**
     * LREM: removes up to {@code |count|} occurrences of {@code value} (from the head if positive,
     * the tail if negative; all if 0). @return how many were removed
     */
    public long lrem(String key, long count, String value) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(value, "value");
        return path.call("lrem", db, o -> o.lists().remove(db, b(key), count, b(value)));
    }

    /** LTRIM: keeps only the range (same indexes as {@link #lrange}). */
    public void ltrim(String key, long start, long stop) {
        Preconditions.notNull(key, "key");
        path.run("ltrim", db, o -> o.lists().trim(db, b(key), start, stop));
    }

    /** LPOS: the index of the first occurrence of {@code element}, or null. */
    public Long lpos(String key, String element) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(element, "element");
        long[] found = path.call("lpos", db, o -> o.lists().pos(db, b(key), b(element), 1, -1, 0));
        return found == null || found.length == 0 ? null : found[0];
    }

    /**
     * LPOS with RANK, COUNT and MAXLEN.
     *
     * @param rank   which match to start from: 1 the first, -1 the last (not 0)
     * @param count  how many matches at most, 0 for all
     * @param maxlen how many elements to compare at most, 0 for all
     * @return the indexes (empty if none)
     */
    public List<Long> lpos(String key, String element, long rank, long count, long maxlen) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(element, "element");
        if (rank == 0) {
            throw new RedJarException("ERR RANK can't be zero: use 1 to start from the first match, "
                + "2 from the second ... or use negative to start from the end of the list");
        }
        if (count < 0) {
            throw new RedJarException("ERR COUNT can't be negative");
        }
        if (maxlen < 0) {
            throw new RedJarException("ERR MAXLEN can't be negative");
        }
        long[] found = path.call("lpos", db, o -> o.lists().pos(db, b(key), b(element), rank, count, maxlen));
        List<Long> out = new ArrayList<>();
        if (found != null) {
            for (long f : found) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * LMOVE: pops from the {@code from} end of {@code source} and pushes onto the {@code to} end of
     * {@code destination} (the same key rotates the list).
     *
     * @return the element moved, or null if {@code source} does not exist
     */
    public String lmove(String source, String destination, End from, End to) {
        Preconditions.notNull(source, "source");
        Preconditions.notNull(destination, "destination");
        Preconditions.notNull(from, "from");
        Preconditions.notNull(to, "to");
        byte[] v = path.call("lmove", db, o -> o.lists().move(db, b(source), b(destination), from.head(), to.head(), false));
        return s(v);
    }

    // ---- blocking pops -----------------------------------------------------------------------

    private BlockingPops.Outcome<ListOps.Popped> bpop(byte[][] keys, boolean head, long count, Duration timeout) {
        long ms = BlockingCalls.timeoutMillis(timeout);
        if (keys.length == 0) {
            throw new RedJarException("ERR wrong number of arguments for '" + (head ? "blpop" : "brpop") + "' command");
        }
        return path.call(head ? "blpop" : "brpop", db, o -> BlockingPops.listPop(o.engine(), db, keys, head, count, ms, p -> p, null));
    }

    private static Popped popped(ListOps.Popped p) {
        return new Popped(s(p.key()), s(p.elements().get(0)));
    }

    private static PoppedBytes poppedBytes(ListOps.Popped p) {
        return new PoppedBytes(p.key(), p.elements().get(0));
    }

    /**
     * BLPOP: pops the first element of the first non-empty list among {@code keys}, waiting up to
     * {@code timeout} (zero: forever) for one to be pushed.
     *
     * @return the key and element, or null on timeout
     * @throws InterruptedException if interrupted while waiting; nothing is taken (should an
     *                              element be handed over at that very moment, it is returned and
     *                              the thread's interrupt flag is set instead)
     * @throws WrongTypeException   if the first existing key is not a list
     */
    public Popped blpop(Duration timeout, String... keys) throws InterruptedException {
        Preconditions.notNull(timeout, "timeout");
        Preconditions.noNullElements(keys, "keys");
        BlockingCalls.checkInterrupt();
        return BlockingCalls.await(path.blockingRegistry(), bpop(bs(keys), true, -1, timeout), Lists::popped);
    }

    /** BLPOP with binary keys (see {@link #blpop(Duration, String...)}). */
    public PoppedBytes blpop(Duration timeout, byte[]... keys) throws InterruptedException {
        Preconditions.notNull(timeout, "timeout");
        Preconditions.noNullElements(keys, "keys");
        BlockingCalls.checkInterrupt();
        return BlockingCalls.await(path.blockingRegistry(), bpop(keys.clone(), true, -1, timeout), Lists::poppedBytes);
    }

    /** BRPOP: as {@link #blpop(Duration, String...)} from the tail. */
    public Popped brpop(Duration timeout, String... keys) throws InterruptedException {
        Preconditions.notNull(timeout, "timeout");
        Preconditions.noNullElements(keys, "keys");
        BlockingCalls.checkInterrupt();
        return BlockingCalls.await(path.blockingRegistry(), bpop(bs(keys), false, -1, timeout), Lists::popped);
    }

    /** BRPOP with binary keys. */
    public PoppedBytes brpop(Duration timeout, byte[]... keys) throws InterruptedException {
        Preconditions.notNull(timeout, "timeout");
        Preconditions.noNullElements(keys, "keys");
        BlockingCalls.checkInterrupt();
        return BlockingCalls.await(path.blockingRegistry(), bpop(keys.clone(), false, -1, timeout), Lists::poppedBytes);
    }

    /**
     * BLPOP without blocking the caller: the future completes with the key and element when one
     * is available, or with null on timeout. Cancelling it unblocks the pop, which takes nothing
     * ({@code cancel} returns false if an element had already been handed over: the future then
     * holds it). Errors found at once (wrong type, negative timeout) are thrown, not put in the future.
     */
    public CompletableFuture<Popped> blpopAsync(Duration timeout, String... keys) {
        Preconditions.notNull(timeout, "timeout");
        Preconditions.noNullElements(keys, "keys");
        return BlockingCalls.async(path.blockingRegistry(), bpop(bs(keys), true, -1, timeout), Lists::popped);
    }

    /** BRPOP without blocking the caller (see {@link #blpopAsync}). */
    public CompletableFuture<Popped> brpopAsync(Duration timeout, String... keys) {
        Preconditions.notNull(timeout, "timeout");
        Preconditions.noNullElements(keys, "keys");
        return BlockingCalls.async(path.blockingRegistry(), bpop(bs(keys), false, -1, timeout), Lists::popped);
    }

    /**
     * BLMPOP: as {@link #lmpop}, waiting up to {@code timeout} (zero: forever) for one of the lists
     * to be pushed to.
     *
     * @return the key and elements, or null on timeout
     * @throws InterruptedException as {@link #blpop(Duration, String...)}
     */
    public MultiPopped blmpop(Duration timeout, End end, long count, String... keys) throws InterruptedException {
        Preconditions.notNull(timeout, "timeout");
        Preconditions.notNull(end, "end");
        Preconditions.noNullElements(keys, "keys");
        BlockingCalls.checkInterrupt();
        return BlockingCalls.await(path.blockingRegistry(), bmpop(timeout, end, count, keys), Lists::multi);
    }

    /** BLMPOP without blocking the caller (see {@link #blpopAsync}). */
    public CompletableFuture<MultiPopped> blmpopAsync(Duration timeout, End end, long count, String... keys) {
        Preconditions.notNull(timeout, "timeout");
        Preconditions.notNull(end, "end");
        Preconditions.noNullElements(keys, "keys");
        return BlockingCalls.async(path.blockingRegistry(), bmpop(timeout, end, count, keys), Lists::multi);
    }

    private BlockingPops.Outcome<ListOps.Popped> bmpop(Duration timeout, End end, long count, String... keys) {
        long ms = BlockingCalls.timeoutMillis(timeout);
        checkMultiPop(count, keys);
        return path.call("blmpop", db, o -> BlockingPops.listPop(o.engine(), db, bs(keys), end.head(), count, ms, p -> p, null));
    }

    /**
     * BLMOVE: as {@link #lmove}, waiting up to {@code timeout} (zero: forever) for {@code source}
     * to be pushed to.
     *
     * @return the element moved, or null on timeout
     * @throws InterruptedException as {@link #blpop(Duration, String...)}
     * @throws WrongTypeException   if {@code source} or {@code destination} holds another type
     *                              (also when found only once served: the element then stays in
     *                              {@code source})
     */
    public String blmove(String source, String destination, End from, End to, Duration timeout) throws InterruptedException {
        Preconditions.notNull(source, "source");
        Preconditions.notNull(destination, "destination");
        Preconditions.notNull(from, "from");
        Preconditions.notNull(to, "to");
        Preconditions.notNull(timeout, "timeout");
        BlockingCalls.checkInterrupt();
        String v = BlockingCalls.await(path.blockingRegistry(), bmove(source, destination, from, to, timeout), Lists::moved);
        return v;
    }

    /** BLMOVE without blocking the caller (see {@link #blpopAsync}). */
    public CompletableFuture<String> blmoveAsync(String source, String destination, End from, End to, Duration timeout) {
        Preconditions.notNull(source, "source");
        Preconditions.notNull(destination, "destination");
        Preconditions.notNull(from, "from");
        Preconditions.notNull(to, "to");
        Preconditions.notNull(timeout, "timeout");
        CompletableFuture<String> f = BlockingCalls.async(path.blockingRegistry(), bmove(source, destination, from, to, timeout), Lists::moved);
        return f;
    }

    /** A served BLMOVE's result: the element, or the error its destination gave. */
    private BlockingPops.Outcome<Object> bmove(String source, String destination, End from, End to, Duration timeout) {
        long ms = BlockingCalls.timeoutMillis(timeout);
        return path.call("blmove", db, o -> BlockingPops.listMove(o.engine(), db, b(source), b(destination), from.head(),
            to.head(), false, ms, v -> v, e -> e, null));
    }

    private static String moved(Object r) {
        if (r instanceof RedJarException e) {
            throw e;
        }
        return s((byte[]) r);
    }
}
