package io.redjar;

import io.redjar.internal.Engine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public API ({@code io.redjar}, every public type there and its public nested types) exposes
 * no {@code io.redjar.internal} type: not as a supertype, nor in the signature (generic types
 * included) of a public or protected field, constructor or method.
 */
class PublicApiTest {

    @Test
    void publicApiExposesNoInternalType() throws Exception {
        List<Class<?>> api = publicApiClasses();
        assertTrue(api.size() > 20, "found " + api.size() + " public API classes");
        assertTrue(api.contains(Store.class) && api.contains(Reply.Bulk.class), "nested types are included");
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : api) {
            leaks.addAll(leaks(c));
        }
        assertEquals(List.of(), leaks, "public API members that expose internal types");
    }

    @Test
    void checkerSeesALeak() {
        // the check can fail: each of these exposes Engine in one way
        assertEquals(4, leaks(Leaky.class).size(), leaks(Leaky.class).toString());
        assertEquals(List.of(), leaks(Sealed.class), "non-public members are not API");
    }

    /** Every public top-level type of io.redjar (from the sources) and, recursively, its public nested types. */
    private static List<Class<?>> publicApiClasses() throws IOException, ClassNotFoundException {
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/redjar"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java")).sorted().toList()) {
                String name = p.getFileName().toString();
                collect(Class.forName("io.redjar." + name.substring(0, name.length() - 5)), out);
            }
        }
        return out;
    }

    private static void collect(Class<?> c, List<Class<?>> out) {
        if (!Modifier.isPublic(c.getModifiers())) {
            return;
        }
        out.add(c);
        for (Class<?> nested : c.getDeclaredClasses()) {
            collect(nested, out);
        }
    }

    /** @return a description of each place where {@code c}'s public surface names an internal type */
    static List<String> leaks(Class<?> c) {
        List<String> out = new ArrayList<>();
        check(c.getGenericSuperclass(), c.getName() + " extends", out);
        for (Type i : c.getGenericInterfaces()) {
            check(i, c.getName() + " implements", out);
        }
        for (Field f : c.getDeclaredFields()) {
            if (visible(f)) {
                check(f.getGenericType(), c.getName() + "." + f.getName(), out);
            }
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (visible(k) && !k.isSynthetic()) {
                for (Type t : k.getGenericParameterTypes()) {
                    check(t, c.getName() + "(constructor)", out);
                }
            }
        }
        for (Method m : c.getDeclaredMethods()) {
            if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
                String where = c.getName() + "." + m.getName() + "()";
                check(m.getGenericReturnType(), where + " returns", out);
                for (Type t : m.getGenericParameterTypes()) {
                    check(t, where + " takes", out);
                }
                for (Type t : m.getGenericExceptionTypes()) {
                    check(t, where + " throws", out);
                }
            }
        }
        return out;
    }

    private static boolean visible(Member m) {
        return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
    }

    private static void check(Type t, String where, List<String> out) {
        Set<Type> seen = new HashSet<>();
        walk(t, where, out, seen);
    }

    private static void walk(Type t, String where, List<String> out, Set<Type> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        if (t instanceof Class<?> k) {
            while (k.isArray()) {
                k = k.getComponentType();
            }
            if (k.getName().startsWith("io.redjar.internal.") || k.getName().startsWith("io.redjar.internal$")) {
                out.add(where + " " + k.getName());
            }
        } else if (t instanceof ParameterizedType p) {
            walk(p.getRawType(), where, out, seen);
            walk(p.getOwnerType(), where, out, seen);
            for (Type a : p.getActualTypeArguments()) {
                walk(a, where, out, seen);
            }
        } else if (t instanceof GenericArrayType g) {
            walk(g.getGenericComponentType(), where, out, seen);
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                walk(b, where, out, seen);
            }
            for (Type b : w.getLowerBounds()) {
                walk(b, where, out, seen);
            }
        } else if (t instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                walk(b, where, out, seen);
            }
        }
    }

    /** A class with four leaks: a field, a return type, a parameter inside a generic, an array. */
    public static final class Leaky {
        public Engine field;

        public Engine engine() {
            return null;
        }

        public void take(List<? extends Engine> engines) {
        }

        protected Engine[] many() {
            return null;
        }
    }

    /** Internal types in private and package-private members only: not part of the API. */
    public static final class Sealed {
        private Engine engine;

        Engine engine() {
            return engine;
        }
    }
}
