package io.redjar;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the README's quick start compiling, running, and in sync with the README. */
class ReadmeQuickStartTest {

    @Test
    void quickStartRuns() {
        // --- begin quick start (copied verbatim into README.md) ---
        try (Store store = Store.open()) {
            store.strings().set("greeting", "hello");
            String greeting = store.strings().get("greeting");               // "hello"
            long visits = store.strings().incrBy("visits", 5);                // 5
            store.strings().set("session", "data", SetOptions.none().nx().ex(60));
            long ttl = store.keys().ttl("session");                           // 60
            StringValue<Long> hits = store.string("hits", Codec.LONG);
            hits.set(41L);
            long answer = hits.increment(1);                                  // 42
            Reply reply = store.execute("MGET", "greeting", "missing");       // [$"hello", $-1]
        // --- end quick start ---
            assertEquals("hello", greeting);
            assertEquals(5, visits);
            assertEquals(60, ttl);
            assertEquals(42, answer);
            assertEquals(Reply.array(Reply.bulk("hello"), Reply.NULL), reply);
        }
    }

    @Test
    void readmeShowsTheSameCode() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("## Quick start\\s+```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README has a Quick start java block");
        String source = Files.readString(Path.of("src/test/java/io/redjar/ReadmeQuickStartTest.java"), StandardCharsets.UTF_8);
        String between = source.substring(source.indexOf("verbatim into README.md) ---") + "verbatim into README.md) ---".length(),
            source.indexOf("        // --- end quick start ---"));
        List<String> codeLines = between.strip().lines().map(String::strip).toList();
        List<String> readmeLines = m.group(1).strip().lines().map(String::strip).filter(l -> !l.equals("}")).toList();
        assertEquals(codeLines, readmeLines.subList(0, codeLines.size()), "README quick start differs from the tested code");
        assertEquals(codeLines.size() + 0, readmeLines.size(), "README quick start has extra lines");
    }
}
