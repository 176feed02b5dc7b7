package io.redjar.resp;

import io.redjar.testing.SourceDependencies;
import io.redjar.testing.SourceDependencies.Reference;
import io.redjar.testing.SourceDependencies.Source;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RESP module reaches the core only through its public API ({@code io.redjar}) and the SPI
 * ({@code io.redjar.spi}): no source of {@code src/main/java} refers to {@code io.redjar.internal}
 * (imports, static imports, wildcard imports or fully qualified names).
 */
class NoInternalImportsTest {

    private static List<String> internalReferences(List<Source> sources) {
        List<String> out = new ArrayList<>();
        for (Source s : sources) {
            for (Reference r : SourceDependencies.references(s, Set.of())) {
                if (r.pkg().equals("io.redjar.internal") || r.pkg().startsWith("io.redjar.internal.")) {
                    out.add(s.path() + " -> " + r.fqcn());
                }
            }
        }
        return out;
    }

    @Test
    void mainSourcesUseNoInternalPackage() {
        List<Source> sources = SourceDependencies.scan(Path.of("src/main/java"));
        assertTrue(sources.size() >= 8, "scanned " + sources.size() + " sources");
        assertEquals(List.of(), internalReferences(sources));
    }

    @Test
    void everyFormOfReferenceIsSeen() {
        Source s = SourceDependencies.parse(Path.of("X.java"), """
            package io.redjar.resp;
            import io.redjar.internal.Engine;
            import static io.redjar.internal.command.CommandFlag.ADMIN;
            import io.redjar.internal.util.*;
            class X { Object o = io.redjar.internal.server.ServerState.VERSION; /* io.redjar.internal.Hidden */ }
            """);
        assertEquals(List.of("X.java -> io.redjar.internal.util.*", "X.java -> io.redjar.internal.Engine",
            "X.java -> io.redjar.internal.command.CommandFlag", "X.java -> io.redjar.internal.server.ServerState"),
            internalReferences(List.of(s)));
    }
}
