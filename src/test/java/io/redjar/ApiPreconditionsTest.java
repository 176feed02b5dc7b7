package io.redjar;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every public method of every public handle and options class, called with null in each
 * reference parameter (and a null element in each array or map parameter), valid dummies
 * elsewhere: it must throw {@link NullPointerException} whose message names that parameter, and
 * leave the store exactly as it was.
 */
class ApiPreconditionsTest {
    /** The only parameters documented as nullable. */
    private static final Set<String> NULLABLE = Set.of("Keys.scan.pattern", "Keys.scan.type",
        "Hashes.hscan.pattern", "Sets.sscan.pattern", "SortedSets.zscan.pattern", "Streams.readGroup.block");

    /** The classes under test; each one's public methods are all called. */
    static final List<Class<?>> CLASSES = List.of(Store.class, Store.Builder.class, Database.class, Strings.class,
        Keys.class, Hashes.class, Lists.class, Sets.class, SortedSets.class, StringValue.class, Session.class,
        SetOptions.class, SortedSets.AddOptions.class, SortedSets.ScoreRange.class, SortedSets.LexRange.class,
        Codec.class, ManualClock.class, Geo.class, Streams.class, Bitmaps.class, HyperLogLogs.class);

    private Store store;

    @BeforeEach
    void open() {
        store = Store.builder().clock(new ManualClock(1_700_000_000_000L)).activeExpire(false).open();
        seed(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** One key of each type; every dummy argument names one of them, so a write would show. */
    static void seed(Store s) {
        s.strings().set("s", "hello");
        s.keys().pexpire("s", Duration.ofHours(1));
        s.hashes().hset("h", Map.of("h", "v", "g", "w"));
        s.lists().rpush("l", "l", "b", "c");
        s.sets().sadd("set", "set", "b", "c");
        s.sortedSets().zadd("z", Map.of("z", 1.0, "b", 2.0));
    }

    /** Every key with its type, content and time to live, in key order. */
    static String snapshot(Store s) {
        StringBuilder sb = new StringBuilder();
        List<String> keys = s.keys().keys("*");
        keys.sort(Comparator.naturalOrder());
        for (String k : keys) {
            String type = s.keys().type(k);
            sb.append(k).append(' ').append(type).append(' ').append(s.keys().pttl(k)).append(' ');
            switch (type) {
                case "string" -> sb.append(s.strings().get(k));
                case "hash" -> sb.append(new java.util.TreeMap<>(s.hashes().hgetAll(k)));
                case "list" -> sb.append(s.lists().lrange(k, 0, -1));
                case "set" -> sb.append(new java.util.TreeSet<>(s.sets().smembers(k)));
                case "zset" -> sb.append(s.sortedSets().zrangeWithScores(k, 0, -1));
                default -> sb.append('?');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The receiver for {@code c}'s instance methods (null for static-only classes). */
    static Object handle(Store s, Class<?> c) {
        if (c == Store.class) {
            return s;
        } else if (c == Store.Builder.class) {
            return Store.builder();
        } else if (c == Database.class) {
            return s.database(0);
        } else if (c == Strings.class) {
            return s.strings();
        } else if (c == Keys.class) {
            return s.keys();
        } else if (c == Hashes.class) {
            return s.hashes();
        } else if (c == Lists.class) {
            return s.lists();
        } else if (c == Sets.class) {
            return s.sets();
        } else if (c == SortedSets.class) {
            return s.sortedSets();
        } else if (c == Geo.class) {
            return s.geo();
        } else if (c == Streams.class) {
            return s.streams();
        } else if (c == Bitmaps.class) {
            return s.bitmaps();
        } else if (c == HyperLogLogs.class) {
            return s.hyperLogLogs();
        } else if (c == StringValue.class) {
            return s.string("s");
        } else if (c == Session.class) {
            return s.newSession();
        } else if (c == SetOptions.class) {
            return SetOptions.none();
        } else if (c == SortedSets.AddOptions.class) {
            return SortedSets.AddOptions.none();
        } else if (c == SortedSets.ScoreRange.class) {
            return SortedSets.ScoreRange.all();
        } else if (c == SortedSets.LexRange.class) {
            return SortedSets.LexRange.all();
        } else if (c == Codec.class) {
            return Codec.STRING;
        } else if (c == ManualClock.class) {
            return new ManualClock(0);
        }
        throw new AssertionError(c);
    }

    /** The key of the seeded type a family works on. */
    private static String keyFor(Class<?> c) {
        if (c == Hashes.class) {
            return "h";
        } else if (c == Lists.class) {
            return "l";
        } else if (c == Sets.class) {
            return "set";
        } else if (c == SortedSets.class || c == Geo.class) {
            return "z";
        }
        return "s";
    }

    /** Valid arguments for {@code m}, naming the family's seeded key. */
    static Object[] dummies(Method m, Class<?> c) {
        String key = keyFor(c);
        byte[] bkey = key.getBytes(StandardCharsets.UTF_8);
        Class<?>[] types = m.getParameterTypes();
        Type[] generic = m.getGenericParameterTypes();
        Object[] a = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t == long.class) {
                a[i] = 1L;
            } else if (t == int.class) {
                a[i] = 1;
            } else if (t == double.class) {
                a[i] = 1.0;
            } else if (t == boolean.class) {
                a[i] = false;
            } else if (t == String.class) {
                a[i] = key;
            } else if (t == byte[].class) {
                a[i] = bkey.clone();
            } else if (t == String[].class) {
                a[i] = new String[] {key};
            } else if (t == byte[][].class) {
                a[i] = new byte[][] {bkey.clone()};
            } else if (t == Duration.class) {
                a[i] = Duration.ofMillis(1);
            } else if (t == Instant.class) {
                a[i] = Instant.ofEpochMilli(1_700_000_000_000L + 3_600_000L);
            } else if (t == Map.class) {
                Type[] kv = ((ParameterizedType) generic[i]).getActualTypeArguments();
                if (kv[0] == byte[].class) {
                    Map<byte[], byte[]> mm = new LinkedHashMap<>();
                    mm.put(bkey.clone(), bkey.clone());
                    a[i] = mm;
                } else if (kv[1] == Double.class) {
                    a[i] = Map.of(key, 1.0);
                } else {
                    a[i] = Map.of(key, key);
                }
            } else if (t == SetOptions.class) {
                a[i] = SetOptions.none();
            } else if (t == SortedSets.AddOptions.class) {
                a[i] = SortedSets.AddOptions.none();
            } else if (t == SortedSets.ScoreRange.class) {
                a[i] = SortedSets.ScoreRange.all();
            } else if (t == SortedSets.LexRange.class) {
                a[i] = SortedSets.LexRange.all();
            } else if (t.isEnum()) {
                a[i] = t.getEnumConstants()[0];
            } else if (t == Codec.class) {
                a[i] = Codec.STRING;
            } else if (t == Bitmaps.Type.class) {
                a[i] = Bitmaps.Type.unsigned(8);
            } else if (t == java.nio.file.Path.class) {
                a[i] = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
            } else if (t == Clock.class) {
                a[i] = Clock.system();
            } else if (t == PropagationSink.class) {
                a[i] = PropagationSink.NONE;
            } else if (t == Function.class) {
                a[i] = Function.identity();
            } else if (t == java.util.function.Consumer.class) {
                a[i] = (java.util.function.Consumer<Object>) x -> { };
            } else if (t == java.util.Collection.class) {
                a[i] = List.of(bkey.clone());
            } else if (t == java.nio.file.Path.class) {
                a[i] = java.nio.file.Path.of("."); // Store.Builder.dataDir
            } else if (t == Object.class) {
                a[i] = "v"; // StringValue<String>'s T
            } else {
                throw new AssertionError("no dummy for " + t + " in " + m);
            }
        }
        return a;
    }

    /** The public methods a caller can reach, with a stable order for the test names. */
    static List<Method> publicMethods(Class<?> c) {
        List<Method> out = new ArrayList<>();
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge() && !m.getName().equals("equals")) {
                out.add(m);
            }
        }
        out.sort(Comparator.comparing(Method::toGenericString));
        return out;
    }

    private static boolean isReference(Class<?> t) {
        return !t.isPrimitive();
    }

    private static String label(Class<?> c, Method m) {
        return c.getSimpleName() + "." + m.getName();
    }

    /** Calls {@code m} and returns what it threw (the invoke wrapper removed), or null. */
    private static Throwable thrown(Method m, Object receiver, Object[] args) {
        try {
            Object r = m.invoke(Modifier.isStatic(m.getModifiers()) ? null : receiver, args);
            if (r instanceof java.util.concurrent.CompletableFuture<?> f) {
                f.cancel(true);
            }
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void parameterNamesAreCompiledIn() {
        for (Class<?> c : CLASSES) {
            for (Method m : publicMethods(c)) {
                for (Parameter p : m.getParameters()) {
                    assertTrue(p.isNamePresent(), "compile with -parameters: " + m);
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> nullInEachReferenceParameterIsNamed() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Class<?> c : CLASSES) {
            for (Method m : publicMethods(c)) {
                Parameter[] ps = m.getParameters();
                for (int i = 0; i < ps.length; i++) {
                    if (!isReference(ps[i].getType()) || NULLABLE.contains(label(c, m) + "." + ps[i].getName())) {
                        continue;
                    }
                    int at = i;
                    String name = ps[i].getName();
                    tests.add(DynamicTest.dynamicTest(label(c, m) + Arrays.toString(m.getParameterTypes()) + " " + name + "=null", () -> {
                        String before = snapshot(store);
                        Object[] args = dummies(m, c);
                        args[at] = null;
                        Throwable t = thrown(m, handle(store, c), args);
                        assertNotNull(t, "no exception for null " + name + " in " + m);
                        assertInstanceOf(NullPointerException.class, t, m + ": " + t);
                        assertEquals(name + " must not be null", t.getMessage(), m.toString());
                        assertEquals(before, snapshot(store), "state changed by " + m);
                    }));
                }
            }
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> nullElementInEachArrayOrMapIsNamed() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Class<?> c : CLASSES) {
            for (Method m : publicMethods(c)) {
                Parameter[] ps = m.getParameters();
                for (int i = 0; i < ps.length; i++) {
                    Class<?> t = ps[i].getType();
                    if (t != String[].class && t != byte[][].class && t != Map.class) {
                        continue;
                    }
                    int at = i;
                    String name = ps[i].getName();
                    tests.add(DynamicTest.dynamicTest(label(c, m) + Arrays.toString(m.getParameterTypes()) + " " + name + " with a null", () -> {
                        String before = snapshot(store);
                        Object[] args = dummies(m, c);
                        String expected;
                        if (t == String[].class) {
                            args[at] = new String[] {keyFor(c), null};
                            expected = name + "[1] must not be null";
                        } else if (t == byte[][].class) {
                            args[at] = new byte[][] {keyFor(c).getBytes(StandardCharsets.UTF_8), null};
                            expected = name + "[1] must not be null";
                        } else {
                            Map<Object, Object> mm = new HashMap<>((Map<?, ?>) args[at]);
                            Object k = mm.keySet().iterator().next();
                            mm.put(k, null);
                            args[at] = mm;
                            expected = name + " must not contain null keys or values";
                        }
                        Throwable thrown = thrown(m, handle(store, c), args);
                        assertNotNull(thrown, "no exception for a null element of " + name + " in " + m);
                        assertInstanceOf(NullPointerException.class, thrown, m + ": " + thrown);
                        assertEquals(expected, thrown.getMessage(), m.toString());
                        assertEquals(before, snapshot(store), "state changed by " + m);
                    }));
                }
            }
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    @Test
    void documentedNullablesAreAccepted() {
        assertTrue(store.keys().scan(null, 10, null).hasNext());
        assertTrue(store.hashes().hscan("h", null, 10).hasNext());
        assertTrue(store.sets().sscan("set", null, 10).hasNext());
        assertTrue(store.sortedSets().zscan("z", null, 10).hasNext());
    }

    @Test
    void everyPublicMethodIsCovered() {
        // a new public method with a reference parameter is tested automatically; this guards the
        // class list against a handle being forgotten
        for (Method m : Database.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !m.getReturnType().isPrimitive()
                && m.getReturnType().getPackageName().equals("io.redjar") && !m.getReturnType().equals(Reply.class)) {
                assertTrue(CLASSES.contains(m.getReturnType()), "not covered: " + m.getReturnType());
            }
        }
        if (CLASSES.size() < 10) {
            fail("class list shrank");
        }
    }
}
