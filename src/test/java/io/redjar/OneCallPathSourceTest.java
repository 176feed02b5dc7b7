package io.redjar;

import io.redjar.internal.command.CallPath;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Source scan: the typed handles reach the type operations only through {@link CallPath} (a
 * lambda over {@code Operations}), so no typed call can skip the gates, the stats or the
 * after-call work. Each rule names the file and line that breaks it.
 */
class OneCallPathSourceTest {
    /** The typed handles: every class whose methods stand for commands. */
    static final List<String> HANDLES = List.of("Strings", "Keys", "Hashes", "Sets", "Lists", "SortedSets",
        "StringValue", "Database", "BlockingCalls");

    private static final Path SRC = Path.of("src/main/java/io/redjar");

    private record Rule(String why, Pattern bad) {
    }

    private static final List<Rule> RULES = List.of(
        new Rule("constructs an ops class", Pattern.compile("new \\w+Ops\\(")),
        new Rule("holds an ops field", Pattern.compile("private\\s+(final\\s+)?\\w+Ops\\s+\\w+\\s*;")),
        new Rule("calls a static method of an ops class", Pattern.compile("\\b\\w+Ops\\.[a-z]\\w*\\(")),
        new Rule("calls an ops object outside a CallPath lambda", Pattern.compile("(?<![\\w.])ops\\.\\w+\\(")),
        new Rule("does after-call work itself", Pattern.compile("serveBlocked|serveReady")),
        new Rule("reaches the engine for something other than its CallPath",
            Pattern.compile("\\bengine\\.(?!callPath\\(\\))\\w+")),
        new Rule("runs textual commands (the handles are the typed path)", Pattern.compile("dispatcher\\(\\)")));

    private static final Pattern BLOCKING_POPS = Pattern.compile("BlockingPops\\.\\w+\\(");
    private static final Pattern COMMAND = Pattern.compile("path\\.(?:call|run|callLong)\\(\"([^\"]+)\"");

    private static List<String> lines(String handle) throws IOException {
        return Files.readAllLines(SRC.resolve(handle + ".java"));
    }

    @Test
    void noHandleCallsAnOpsClassDirectly() throws IOException {
        List<String> broken = new ArrayList<>();
        for (String h : HANDLES) {
            List<String> src = lines(h);
            for (int i = 0; i < src.size(); i++) {
                String line = src.get(i);
                if (line.trim().startsWith("*") || line.trim().startsWith("//")) {
                    continue;
                }
                for (Rule r : RULES) {
                    if (r.bad.matcher(line).find()) {
                        broken.add(h + ".java:" + (i + 1) + " " + r.why + ": " + line.trim());
                    }
                }
                if (BLOCKING_POPS.matcher(line).find() && !line.contains("path.call(")) {
                    broken.add(h + ".java:" + (i + 1) + " starts a blocking pop outside a CallPath lambda: " + line.trim());
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void everyTypedCallNamesACommandOfTheTable() throws IOException {
        int names = 0;
        try (Store store = Store.open()) {
            CallPath path = io.redjar.internal.Internals.engine(store).callPath();
            for (String h : HANDLES) {
                for (String line : lines(h)) {
                    Matcher m = COMMAND.matcher(line);
                    while (m.find()) {
                        path.spec(m.group(1)); // throws for a name the table lacks
                        names++;
                    }
                }
            }
        }
        assertTrue(names > 100, "the scan found the handles' calls: " + names);
    }

    @Test
    void theRulesCatchWhatTheyAreFor() {
        // each rule on a line that breaks it, so a rule that never matches cannot pass silently
        String[] bad = {
            "this.x = new HashOps(engine.keyspace(), engine.limits());",
            "    private final ListOps ops;",
            "ZSetOps.of(engine)",
            "return ops.get(db, key);",
            "engine.serveBlocked();",
            "engine.keyspace().databases()",
            "engine.dispatcher().dispatch(ctx, argv)",
        };
        for (int i = 0; i < RULES.size(); i++) {
            assertTrue(RULES.get(i).bad.matcher(bad[i]).find(), RULES.get(i).why);
        }
        assertTrue(!RULES.get(5).bad.matcher("this.path = engine.callPath();").find());
        assertTrue(!RULES.get(3).bad.matcher("path.call(\"get\", db, o -> o.strings().get(db, key))").find());
    }
}
