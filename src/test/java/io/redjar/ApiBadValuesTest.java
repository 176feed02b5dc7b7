package io.redjar;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The typed API on bad values: Durations and Instants that overflow, negative blocking timeouts,
 * SetOptions conflicts, extreme counts. Java-side limits give {@link IllegalArgumentException} /
 * {@link IllegalStateException} naming the parameter; values Redis judges give Redis's error; never
 * an exception from inside, and never a changed store after a rejected call.
 */
class ApiBadValuesTest {
    private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);
    private static final long NOW = 1_700_000_000_000L;

    private Store store;
    private ManualClock clock;

    @BeforeEach
    void open() {
        clock = new ManualClock(NOW);
        store = Store.builder().clock(clock).activeExpire(false).open();
        ApiPreconditionsTest.seed(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Runs {@code call}, expecting {@code type} with {@code message}, and the store unchanged. */
    private <T extends Throwable> T rejects(Class<T> type, String message, Executable call) {
        String before = ApiPreconditionsTest.snapshot(store);
        T e = assertThrows(type, call);
        if (message != null) {
            assertEquals(message, e.getMessage());
        }
        assertEquals(before, ApiPreconditionsTest.snapshot(store), "store changed");
        return e;
    }

    // ---- Durations and Instants ------------------------------------------------------------

    @Test
    void durationsWhoseMillisOverflowAreIllegalArguments() {
        String ttl = "ttl is out of range: " + HUGE;
        rejects(IllegalArgumentException.class, ttl, () -> store.strings().set("s", "x", HUGE));
        rejects(IllegalArgumentException.class, ttl, () -> store.strings().getEx("s", HUGE));
        rejects(IllegalArgumentException.class, ttl, () -> store.strings().getEx("s".getBytes(), HUGE));
        rejects(IllegalArgumentException.class, ttl, () -> store.keys().pexpire("s", HUGE));
        rejects(IllegalArgumentException.class, "ttl is out of range: " + HUGE.negated(),
            () -> store.keys().pexpire("s", HUGE.negated(), Keys.ExpireCondition.GT));
        rejects(IllegalArgumentException.class, ttl, () -> store.string("s").set("x", HUGE));
        rejects(IllegalArgumentException.class, ttl, () -> SetOptions.none().ttl(HUGE));
        rejects(IllegalArgumentException.class, "at is out of range: " + Instant.MAX, () -> store.keys().pexpireAt("s", Instant.MAX));
        rejects(IllegalArgumentException.class, "at is out of range: " + Instant.MIN, () -> SetOptions.none().expireAt(Instant.MIN));
    }

    @Test
    void expiriesRedisJudgesKeepRedisErrors() {
        rejects(RedJarException.class, "ERR invalid expire time in 'set' command", () -> store.strings().set("s", "x", Duration.ZERO));
        rejects(RedJarException.class, "ERR invalid expire time in 'set' command", () -> store.strings().set("s", "x", Duration.ofMillis(-5)));
        // fits a long, but now + ttl does not
        rejects(RedJarException.class, "ERR invalid expire time in 'set' command",
            () -> store.strings().set("s", "x", Duration.ofMillis(Long.MAX_VALUE)));
        rejects(RedJarException.class, "ERR invalid expire time in 'set' command",
            () -> store.strings().set("s", "x", SetOptions.none().ex(Long.MAX_VALUE)));
        rejects(RedJarException.class, "ERR invalid expire time in 'set' command",
            () -> store.strings().set("s", "x", SetOptions.none().ex(Long.MIN_VALUE)));
        rejects(RedJarException.class, "ERR invalid expire time in 'getex' command",
            () -> store.strings().getEx("s", Duration.ofMillis(Long.MAX_VALUE)));
        rejects(RedJarException.class, "ERR invalid expire time in 'pexpire' command",
            () -> store.keys().pexpire("s", Duration.ofMillis(Long.MAX_VALUE)));
        // a negative time to live deletes the key, as PEXPIRE k -5 does
        assertTrue(store.keys().pexpire("s", Duration.ofMillis(-5)));
        assertEquals(0, store.keys().exists("s"));
    }

    @Test
    void manualClockRejectsOverflowAndStaysPut() {
        ManualClock c = new ManualClock(Long.MAX_VALUE - 10);
        assertThrows(IllegalArgumentException.class, () -> c.advance(HUGE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.advance(Duration.ofMillis(11)));
        assertTrue(e.getMessage().startsWith("duration PT0.011S"), e.getMessage());
        assertEquals(Long.MAX_VALUE - 10, c.millis());
        c.advance(Duration.ofMillis(10));
        assertEquals(Long.MAX_VALUE, c.millis());
    }

    // ---- blocking timeouts -----------------------------------------------------------------

    @Test
    void negativeTimeoutsAreIllegalArgumentsNamingTheTimeout() {
        Duration neg = Duration.ofSeconds(-1);
        String msg = "timeout must not be negative: PT-1S";
        Lists l = store.lists();
        SortedSets z = store.sortedSets();
        rejects(IllegalArgumentException.class, msg, () -> l.blpop(neg, "l"));
        rejects(IllegalArgumentException.class, msg, () -> l.blpop(neg, "l".getBytes()));
        rejects(IllegalArgumentException.class, msg, () -> l.brpop(neg, "l"));
        rejects(IllegalArgumentException.class, msg, () -> l.brpop(neg, "l".getBytes()));
        rejects(IllegalArgumentException.class, msg, () -> l.blpopAsync(neg, "l"));
        rejects(IllegalArgumentException.class, msg, () -> l.brpopAsync(neg, "l"));
        rejects(IllegalArgumentException.class, msg, () -> l.blmpop(neg, Lists.End.LEFT, 1, "l"));
        rejects(IllegalArgumentException.class, msg, () -> l.blmpopAsync(neg, Lists.End.LEFT, 1, "l"));
        rejects(IllegalArgumentException.class, msg, () -> l.blmove("l", "l2", Lists.End.LEFT, Lists.End.LEFT, neg));
        rejects(IllegalArgumentException.class, msg, () -> l.blmoveAsync("l", "l2", Lists.End.LEFT, Lists.End.LEFT, neg));
        rejects(IllegalArgumentException.class, msg, () -> z.bzpopmin(neg, "z"));
        rejects(IllegalArgumentException.class, msg, () -> z.bzpopmax(neg, "z"));
        rejects(IllegalArgumentException.class, msg, () -> z.bzpopminAsync(neg, "z"));
        rejects(IllegalArgumentException.class, msg, () -> z.bzpopmaxAsync(neg, "z"));
        rejects(IllegalArgumentException.class, msg, () -> z.bzmpop(neg, SortedSets.End.MIN, 1, "z"));
        rejects(IllegalArgumentException.class, msg, () -> z.bzmpopAsync(neg, SortedSets.End.MIN, 1, "z"));
        rejects(IllegalArgumentException.class, "timeout must not be negative: PT-0.000000001S",
            () -> l.blpop(Duration.ofNanos(-1), "l"));
        // the command keeps Redis's text
        assertEquals(Reply.error("ERR timeout is negative"), store.execute("BLPOP", "l", "-1"));
    }

    @Test
    void hugeTimeoutsServeAtOnceOrWaitWithoutOverflow() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertEquals(new Lists.Popped("l", "l"), store.lists().blpop(HUGE, "l"));
            assertEquals("z", store.sortedSets().bzpopmin(HUGE, "z").member());
            CompletableFuture<Lists.Popped> f = store.lists().blpopAsync(HUGE, "empty");
            assertFalse(f.isDone());
            store.lists().rpush("empty", "x");
            assertEquals(new Lists.Popped("empty", "x"), f.get());
            CompletableFuture<SortedSets.Popped> g = store.sortedSets().bzpopmaxAsync(Duration.ofMillis(Long.MAX_VALUE), "nothing");
            assertTrue(g.cancel(true));
        });
    }

    // ---- SetOptions ------------------------------------------------------------------------

    @Test
    void setOptionsRejectConflictsWhenBuilt() {
        SetOptions nx = SetOptions.none().nx();
        IllegalStateException e = assertThrows(IllegalStateException.class, nx::xx);
        assertTrue(e.getMessage().startsWith("XX conflicts with NX"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> SetOptions.none().xx().nx());
        assertThrows(IllegalStateException.class, () -> SetOptions.none().keepTtl().ex(10));
        assertThrows(IllegalStateException.class, () -> SetOptions.none().keepTtl().ttl(Duration.ofSeconds(1)));
        assertThrows(IllegalStateException.class, () -> SetOptions.none().keepTtl().expireAt(Instant.ofEpochMilli(NOW + 1000)));
        assertThrows(IllegalStateException.class, () -> SetOptions.none().px(10).keepTtl());
        assertThrows(IllegalStateException.class, () -> SetOptions.none().ex(10).px(10));
        assertThrows(IllegalStateException.class, () -> SetOptions.none().exAt(10).pxAt(10));
        assertThrows(IllegalStateException.class, () -> SetOptions.none().ttl(Duration.ofSeconds(1)).exAt(10));
        // the conflicting call leaves the original untouched
        assertEquals(SetOptions.Condition.NX, nx.condition());
    }

    @Test
    void setOptionsRepeatsReplaceAsRedisDoes() {
        // SET k v EX 1 EX 2 and SET k v NX NX are accepted by Redis: the later value wins
        assertThrows(IllegalStateException.class, () -> SetOptions.none().ex(1).keepTtl());
        assertEquals(20, SetOptions.none().ex(1).ex(20).expiryValue());
        assertEquals(SetOptions.Condition.NX, SetOptions.none().nx().nx().condition());
        assertEquals(SetOptions.Expiry.KEEPTTL, SetOptions.none().keepTtl().keepTtl().expiry());
        assertTrue(SetOptions.none().get().get().isGet());
        assertTrue(store.strings().set("fresh", "v", SetOptions.none().nx().ex(1).ex(20).get()));
        assertEquals(20_000, store.keys().pttl("fresh"));
    }

    @Test
    void addOptionsConflictsGetRedisErrorsAtUseAndScoreRangesRejectNaN() {
        rejects(RedJarException.class, "ERR XX and NX options at the same time are not compatible",
            () -> store.sortedSets().zadd("z", 5, "new", SortedSets.AddOptions.none().nx().xx()));
        rejects(RedJarException.class, "ERR GT, LT, and/or NX options at the same time are not compatible",
            () -> store.sortedSets().zadd("z", java.util.Map.of("n", 1.0), SortedSets.AddOptions.none().gt().lt()));
        rejects(RedJarException.class, "ERR GT, LT, and/or NX options at the same time are not compatible",
            () -> store.sortedSets().zadd("z".getBytes(), 5, "z".getBytes(), SortedSets.AddOptions.none().nx().gt()));
        rejects(IllegalArgumentException.class, "min must not be NaN", () -> SortedSets.ScoreRange.closed(Double.NaN, 1));
        rejects(IllegalArgumentException.class, "max must not be NaN", () -> SortedSets.ScoreRange.atMost(Double.NaN));
        rejects(RedJarException.class, "ERR min or max not valid string range item", () -> SortedSets.LexRange.parse("a", "b"));
    }

    // ---- counts and indexes ----------------------------------------------------------------

    @Test
    void repeatedRandomPicksBeyondAListAreIllegalArguments() {
        String msg = "count is out of range: -2147483648 asks for more elements than a list holds (2147483639)";
        rejects(IllegalArgumentException.class, msg, () -> store.hashes().hrandfield("h", Integer.MIN_VALUE));
        rejects(IllegalArgumentException.class, msg, () -> store.hashes().hrandfield("h".getBytes(), Integer.MIN_VALUE));
        rejects(IllegalArgumentException.class, msg, () -> store.hashes().hrandfieldWithValues("h", Integer.MIN_VALUE));
        rejects(IllegalArgumentException.class, msg, () -> store.sets().srandmember("set", Integer.MIN_VALUE));
        rejects(IllegalArgumentException.class, msg, () -> store.sets().srandmember("set".getBytes(), Integer.MIN_VALUE));
        rejects(IllegalArgumentException.class, msg, () -> store.sortedSets().zrandmember("z", Integer.MIN_VALUE));
        rejects(IllegalArgumentException.class, msg, () -> store.sortedSets().zrandmemberWithScores("z", Integer.MIN_VALUE));
        rejects(IllegalArgumentException.class, null, () -> store.sets().srandmember("set", -Long.MAX_VALUE));
        assertEquals(5, store.sets().srandmember("set", -5).size());
    }

    @Test
    void setRangeOffsetsThatOverflowGetRedisError() {
        String msg = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
        rejects(RedJarException.class, msg, () -> store.strings().setrange("s", Long.MAX_VALUE, "x"));
        rejects(RedJarException.class, msg, () -> store.strings().setrange("s", Long.MAX_VALUE - 1, "xy"));
        rejects(RedJarException.class, msg, () -> store.strings().setrange("new", Long.MAX_VALUE, "x"));
        rejects(RedJarException.class, "ERR offset is out of range", () -> store.strings().setrange("s", Long.MIN_VALUE, "x"));
        assertEquals(5, store.strings().setrange("s", Long.MAX_VALUE, ""));
    }

    /**
     * Every public method of the data handles, with each {@code long}, {@code int}, {@code double},
     * {@code Duration} and {@code Instant} parameter in turn set to an extreme (others valid, keys seeded): the
     * call returns, or throws Redis's error or {@link IllegalArgumentException}; a rejected call
     * leaves the store unchanged. Nothing else (ArithmeticException, NegativeArraySizeException,
     * IndexOutOfBounds, a hang, a crash) may come out.
     */
    @Test
    void extremeNumbersGiveValuesOrCleanErrors() throws Exception {
        long[] longs = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -Long.MAX_VALUE / 2 - 1, Integer.MIN_VALUE, -1, 0, Long.MAX_VALUE};
        double[] doubles = {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.0, Double.MAX_VALUE, Double.MIN_VALUE};
        Duration[] durations = {HUGE, Duration.ofSeconds(Long.MIN_VALUE), Duration.ofMillis(Long.MAX_VALUE),
            Duration.ofMillis(Long.MIN_VALUE), Duration.ofNanos(-1), Duration.ofNanos(1)};
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "extreme-args");
            t.setDaemon(true);
            return t;
        });
        List<String> bad = new java.util.ArrayList<>();
        int calls = 0;
        try {
            for (Class<?> c : List.of(Strings.class, Keys.class, Hashes.class, Lists.class, Sets.class, SortedSets.class)) {
                for (java.lang.reflect.Method m : ApiPreconditionsTest.publicMethods(c)) {
                    Class<?>[] pt = m.getParameterTypes();
                    for (int i = 0; i < pt.length; i++) {
                        List<Object> values = new java.util.ArrayList<>();
                        if (pt[i] == long.class) {
                            for (long v : longs) {
                                values.add(v);
                            }
                        } else if (pt[i] == int.class) {
                            for (long v : longs) {
                                values.add((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v)));
                            }
                        } else if (pt[i] == double.class) {
                            for (double v : doubles) {
                                values.add(v);
                            }
                        } else if (pt[i] == Duration.class) {
                            values.addAll(List.of(durations));
                        } else if (pt[i] == Instant.class) {
                            values.addAll(List.of(Instant.MAX, Instant.MIN, Instant.ofEpochMilli(Long.MAX_VALUE),
                                Instant.ofEpochMilli(Long.MIN_VALUE), Instant.EPOCH));
                        }
                        for (Object v : values) {
                            calls++;
                            store.keys().flushDB();
                            ApiPreconditionsTest.seed(store);
                            String before = ApiPreconditionsTest.snapshot(store);
                            Object[] args = ApiPreconditionsTest.dummies(m, c);
                            args[i] = v;
                            Object receiver = ApiPreconditionsTest.handle(store, c);
                            java.util.concurrent.Future<Object> f = pool.submit(() -> {
                                Object r = m.invoke(receiver, args);
                                if (r instanceof java.util.Iterator<?> it) {
                                    for (int n = 0; n < 100 && it.hasNext(); n++) {
                                        it.next();
                                    }
                                }
                                return r;
                            });
                            String what = c.getSimpleName() + "." + m.getName() + java.util.Arrays.toString(pt) + " arg" + i + "=" + v;
                            try {
                                f.get(10, java.util.concurrent.TimeUnit.SECONDS);
                            } catch (java.util.concurrent.TimeoutException e) {
                                fail("hangs: " + what); // the pool thread is stuck: stop here
                            } catch (java.util.concurrent.ExecutionException e) {
                                Throwable t = e.getCause() instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e.getCause();
                                if (!(t instanceof RedJarException) && !(t instanceof IllegalArgumentException)) {
                                    bad.add(what + " -> " + t);
                                } else if (!before.equals(ApiPreconditionsTest.snapshot(store))) {
                                    bad.add(what + " -> " + t + " changed the store");
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(calls > 500, "calls: " + calls);
        assertEquals(List.of(), bad);
    }

    /** An empty array or map where Redis needs at least one item: Redis's arity error, never an index exception. */
    @Test
    void emptyArraysAndMaps() {
        List<String> bad = new java.util.ArrayList<>();
        for (Class<?> c : ApiPreconditionsTest.CLASSES) {
            for (java.lang.reflect.Method m : ApiPreconditionsTest.publicMethods(c)) {
                Class<?>[] pt = m.getParameterTypes();
                for (int i = 0; i < pt.length; i++) {
                    Object empty = pt[i] == String[].class ? new String[0] : pt[i] == byte[][].class ? new byte[0][]
                        : pt[i] == java.util.Map.class ? java.util.Map.of() : null;
                    if (empty == null) {
                        continue;
                    }
                    store.keys().flushDB();
                    ApiPreconditionsTest.seed(store);
                    String before = ApiPreconditionsTest.snapshot(store);
                    Object[] args = ApiPreconditionsTest.dummies(m, c);
                    args[i] = empty;
                    String what = c.getSimpleName() + "." + m.getName() + java.util.Arrays.toString(pt) + " arg" + i + " empty";
                    try {
                        Object r = m.invoke(java.lang.reflect.Modifier.isStatic(m.getModifiers()) ? null : ApiPreconditionsTest.handle(store, c), args);
                        if (r instanceof Reply.ErrorReply e && !e.toString().contains("ERR")) {
                            bad.add(what + " -> " + r);
                        }
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        Throwable t = e.getCause();
                        if (!(t instanceof RedJarException)) {
                            bad.add(what + " -> " + t);
                        } else if (!before.equals(ApiPreconditionsTest.snapshot(store))) {
                            bad.add(what + " changed the store");
                        }
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void redisCountErrorsKeepRedisText() {
        rejects(RedJarException.class, "ERR value is out of range, must be positive", () -> store.lists().lpop("l", Long.MIN_VALUE));
        rejects(RedJarException.class, "ERR value is out of range, must be positive", () -> store.sets().spop("set", Long.MIN_VALUE));
        rejects(RedJarException.class, "ERR value is out of range, must be positive", () -> store.sortedSets().zpopmin("z", Long.MIN_VALUE));
        rejects(RedJarException.class, "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
            () -> store.sets().srandmember("set", Long.MIN_VALUE));
        rejects(RedJarException.class, "ERR decrement would overflow", () -> store.strings().decrBy("n", Long.MIN_VALUE));
        rejects(RedJarException.class, "ERR count should be greater than 0", () -> store.lists().lmpop(Lists.End.LEFT, Long.MIN_VALUE, "l"));
        rejects(RedJarException.class, "ERR count should be greater than 0", () -> store.sortedSets().zmpop(SortedSets.End.MIN, 0, "z"));
        rejects(RedJarException.class, "ERR LIMIT can't be negative", () -> store.sets().sintercard(Long.MIN_VALUE, "set"));
        rejects(RedJarException.class, "ERR DB index is out of range", () -> store.keys().move("s", Integer.MIN_VALUE));
        rejects(IllegalArgumentException.class, "count must be positive", () -> store.keys().scan("*", Integer.MIN_VALUE, null));
        rejects(IllegalArgumentException.class, null, () -> store.database(Integer.MIN_VALUE));
        String longRange = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
        rejects(RedJarException.class, longRange, () -> store.hashes().hrandfield("h", Long.MIN_VALUE));
        rejects(RedJarException.class, longRange, () -> store.hashes().hrandfieldWithValues("h", Long.MIN_VALUE));
        rejects(RedJarException.class, longRange, () -> store.sortedSets().zrandmember("z", Long.MIN_VALUE));
        rejects(RedJarException.class, longRange, () -> store.sortedSets().zrandmemberWithScores("z", Long.MIN_VALUE));
        rejects(RedJarException.class, "ERR value is out of range", () -> store.hashes().hrandfieldWithValues("h", Long.MAX_VALUE / 2 + 1));
        rejects(RedJarException.class, "ERR value is out of range", () -> store.sortedSets().zrandmemberWithScores("z", -Long.MAX_VALUE / 2 - 1));
        assertEquals(2, store.hashes().hrandfieldWithValues("h", Long.MAX_VALUE / 2).size());
        assertEquals(2, store.sortedSets().zrandmember("z", Long.MAX_VALUE).size());
        assertEquals(List.of("l", "b", "c"), store.lists().lrange("l", Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals("hello", store.strings().getrange("s", Long.MIN_VALUE, Long.MAX_VALUE));
    }
}
