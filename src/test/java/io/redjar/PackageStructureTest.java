package io.redjar;

import io.redjar.testing.SourceDependencies;
import io.redjar.testing.SourceDependencies.Source;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layering of {@code src/main/java}, read from the sources: no dependency cycles among the
 * {@code io.redjar.*} packages.
 *
 * <p>Each package below the facade ({@code io.redjar.internal}, {@code .internal.command},
 * {@code .internal.server}, {@code .spi}, ...) is one node. The root package {@code io.redjar} is
 * taken type by type, because it holds two layers by design: the facade ({@code Store},
 * {@code Strings}, ...), which sits on top of the internals, and the API's value types
 * ({@code Reply}, {@code RedJarException}, {@code Clock}, ...), which the internals use. A cycle
 * through the root package therefore means that internal code reaches a type that reaches back
 * into internal code (for instance a command adapter using {@code Store}).
 *
 * <p>{@link #ALLOWED_CYCLES} is the allow-list of known cycles; it is empty and must stay so.
 * Public signatures are checked by {@link PublicApiTest}.
 */
class PackageStructureTest {
    /** Known cycles still to be broken, each as its sorted node list joined by " <-> ". Empty. */
    private static final Set<String> ALLOWED_CYCLES = Set.of();

    private static final Function<String, String> NODE = fqcn -> {
        String pkg = fqcn.substring(0, fqcn.lastIndexOf('.'));
        return pkg.equals("io.redjar") ? fqcn : pkg;
    };

    @Test
    void noPackageCycles() {
        List<Source> sources = SourceDependencies.scan(Path.of("src/main/java"));
        assertTrue(sources.size() > 50, "scanned " + sources.size() + " sources");
        Map<String, Set<String>> g = SourceDependencies.graph(sources, NODE);
        Set<String> found = new TreeSet<>();
        for (List<String> cycle : SourceDependencies.cycles(g)) {
            found.add(String.join(" <-> ", cycle));
        }
        List<String> unexpected = new ArrayList<>(found);
        unexpected.removeAll(ALLOWED_CYCLES);
        assertEquals(List.of(), unexpected, "package cycles (see PackageStructureTest's design note)");
        List<String> stale = new ArrayList<>(ALLOWED_CYCLES);
        stale.removeAll(found);
        assertEquals(List.of(), stale, "allow-listed cycles that are gone: remove them from ALLOWED_CYCLES");
    }

    @Test
    void layersAreAsDocumented() {
        Map<String, Set<String>> g = SourceDependencies.graph(SourceDependencies.scan(Path.of("src/main/java")), NODE);
        // the lower packages reach the composition root only through the interfaces they define
        for (String lower : List.of("io.redjar.internal.types", "io.redjar.internal.command",
            "io.redjar.internal.blocking", "io.redjar.internal.server", "io.redjar.internal.keyspace")) {
            assertFalse(g.getOrDefault(lower, Set.of()).contains("io.redjar.internal"), lower + " depends on io.redjar.internal (Engine)");
        }
        // the server subsystems do not depend on the command framework
        assertFalse(g.getOrDefault("io.redjar.internal.server", Set.of()).contains("io.redjar.internal.command"),
            "io.redjar.internal.server depends on io.redjar.internal.command");
        // no internal package uses the facade (Store, Session, the handles)
        for (Map.Entry<String, Set<String>> e : g.entrySet()) {
            if (e.getKey().startsWith("io.redjar.internal")) {
                for (String to : e.getValue()) {
                    assertFalse(List.of("io.redjar.Store", "io.redjar.Session", "io.redjar.Database").contains(to),
                        e.getKey() + " uses the facade type " + to);
                }
            }
        }
    }

    /** The composition root builds the one instance of each type's operations; nothing else constructs one. */
    @Test
    void opsAreBuiltOnlyByTheCompositionRoot() {
        java.util.regex.Pattern construct = java.util.regex.Pattern.compile("new (String|Key|List|Hash|Set|ZSet|Sort)Ops\\(");
        List<String> found = new ArrayList<>();
        for (Source s : SourceDependencies.scan(Path.of("src/main/java"))) {
            if (!s.fqcn().equals("io.redjar.internal.Engine") && construct.matcher(s.code()).find()) {
                found.add(s.fqcn());
            }
        }
        assertEquals(List.of(), found, "construct ops only in io.redjar.internal.Engine; take them from it");
        assertTrue(construct.matcher(SourceDependencies.parse(Path.of("X.java"), "class X { Object o = new ZSetOps(ks, l); }").code()).find(),
            "the check can fail");
    }

    @Test
    void detectorFindsACycle() {
        // the checks above can fail: two sources that import each other's package form a cycle
        Source a = SourceDependencies.parse(Path.of("A.java"),
            "package io.redjar.internal.a;\nimport io.redjar.internal.b.B; // io.redjar.internal.c.C\nclass A { String s = \"io.redjar.internal.c.C\"; }");
        Source b = SourceDependencies.parse(Path.of("B.java"),
            "package io.redjar.internal.b;\nclass B { io.redjar.internal.a.A a; }");
        Source c = SourceDependencies.parse(Path.of("C.java"),
            "package io.redjar.internal.c;\nimport io.redjar.internal.a.*;\nclass C { }");
        Map<String, Set<String>> g = SourceDependencies.graph(List.of(a, b, c), NODE);
        assertEquals(Set.of("io.redjar.internal.b"), g.get("io.redjar.internal.a"), "comments and strings are not references");
        assertEquals(Set.of("io.redjar.internal.a"), g.get("io.redjar.internal.c"), "wildcard imports are references");
        assertEquals(List.of(List.of("io.redjar.internal.a", "io.redjar.internal.b")), SourceDependencies.cycles(g));
    }
}
