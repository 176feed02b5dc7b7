package io.redjar;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Source excerpts in the docs (fenced as {@code ```java excerpt <path>}) must still be in that
 * file: every non-blank line of the excerpt, trimmed, appears in the file in the same order, on
 * consecutive non-blank lines. Runnable examples ({@code ```java}) are {@link DocsExamplesTest}'s.
 */
class DocsExcerptsTest {
    private static final Pattern BLOCK = Pattern.compile("```java excerpt (\\S+)\\n(.*?)```", Pattern.DOTALL);

    @TestFactory
    Stream<DynamicTest> everyExcerptIsInItsSource() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            for (Path md : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                Matcher m = BLOCK.matcher(Files.readString(md, StandardCharsets.UTF_8));
                while (m.find()) {
                    String path = m.group(1);
                    String body = m.group(2);
                    tests.add(DynamicTest.dynamicTest(md.getFileName() + ": " + path, () -> check(md, Path.of(path), body)));
                }
            }
        }
        assertFalse(tests.isEmpty(), "docs have source excerpts");
        return tests.stream();
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    private static void check(Path md, Path source, String excerpt) throws IOException {
        if (!Files.exists(source)) {
            fail(md + " quotes " + source + ", which does not exist");
        }
        List<String> want = lines(excerpt);
        List<String> have = lines(Files.readString(source, StandardCharsets.UTF_8));
        for (int start = 0; start + want.size() <= have.size(); start++) {
            if (have.subList(start, start + want.size()).equals(want)) {
                return;
            }
        }
        fail(md + ": this excerpt is no longer in " + source + " (update the doc):\n" + excerpt);
    }
}
