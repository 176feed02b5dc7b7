package io.redjar.internal.command;

import io.redjar.Lists;
import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.server.CommandStats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CallPath}: typed and textual calls take the same path (gates, stats, after-call work). */
class CallPathTest {

    private static String commandstat(Store store, String name) {
        String info = store.execute("INFO", "commandstats").toString();
        for (String line : info.split("\r\n")) {
            if (line.startsWith("cmdstat_" + name + ":")) {
                return line;
            }
        }
        return null;
    }

    @Test
    void typedAndTextualCallsAreCountedTogether() {
        try (Store store = Store.open()) {
            for (int i = 0; i < 100; i++) {
                store.strings().set("k" + i, "v");
            }
            store.execute("SET", "x", "y");
            CommandSpec set = io.redjar.internal.Internals.engine(store).table().lookup("set");
            assertEquals(101, set.stats().calls());
            assertTrue(commandstat(store, "set").startsWith("cmdstat_set:calls=101,"), commandstat(store, "set"));
            // a subcommand's typed call counts against the subcommand's row
            store.keys().objectEncoding("x");
            assertTrue(commandstat(store, "object|encoding").startsWith("cmdstat_object|encoding:calls=1,"));
            // the typed calls were timed (a sample, scaled): 100 calls of SET take some time
            for (int i = 0; i < 10_000; i++) {
                store.strings().get("k1");
            }
            assertTrue(io.redjar.internal.Internals.engine(store).table().lookup("get").stats().usec() > 0);
        }
    }

    @Test
    void typedErrorsAreFailedCallsAndErrorStats() {
        try (Store store = Store.open()) {
            store.strings().set("s", "abc");
            assertThrows(RedJarException.class, () -> store.strings().incr("s"));
            store.execute("INCR", "s");
            CommandStats st = io.redjar.internal.Internals.engine(store).table().lookup("incr").stats();
            assertEquals(2, st.calls());
            assertEquals(2, st.failedCalls());
            assertEquals(2L, io.redjar.internal.Internals.engine(store).server().errorCounts().get("ERR"));
        }
    }

    @Test
    void aTypedPushWakesAClientBlockedByExecute() throws Exception {
        try (Store store = Store.open()) {
            Session s = store.newSession();
            CompletableFuture<Reply> f = s.executeAsync("BLPOP", "q", "0");
            assertFalse(f.isDone());
            store.lists().rpush("q", "a");
            assertEquals("[$\"q\", $\"a\"]", f.get(10, TimeUnit.SECONDS).toString());
        }
    }

    @Test
    void anExecutePushWakesATypedBlockedPop() throws Exception {
        try (Store store = Store.open()) {
            CompletableFuture<Lists.Popped> f = store.lists().blpopAsync(Duration.ZERO, "q");
            assertFalse(f.isDone());
            store.execute("RPUSH", "q", "a");
            assertEquals(new Lists.Popped("q", "a"), f.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aTypedRenameWakesAClientBlockedOnTheNewName() throws Exception {
        try (Store store = Store.open()) {
            store.lists().rpush("src", "a");
            CompletableFuture<Reply> f = store.newSession().executeAsync("BLPOP", "dst", "0");
            store.keys().rename("src", "dst");
            assertEquals("[$\"dst\", $\"a\"]", f.get(10, TimeUnit.SECONDS).toString());
        }
    }

    @Test
    void gatesRunInSlotOrderForBothKindsOfCall() {
        try (Store store = Store.open()) {
            CallPath path = io.redjar.internal.Internals.engine(store).callPath();
            List<String> seen = new ArrayList<>();
            // installed out of order: they must still run in slot order
            path.install(CallGate.Slot.MULTI_QUEUE, (spec, ctx, db, argv) -> {
                seen.add("multi:" + spec.fullName() + ":" + (argv == null ? "typed" : "text"));
                return null;
            });
            path.install(CallGate.Slot.ACL, (spec, ctx, db, argv) -> {
                seen.add("acl:" + spec.fullName() + ":" + (argv == null ? "typed" : "text"));
                return null;
            });
            store.strings().set("a", "1");
            store.execute("GET", "a");
            assertEquals(List.of("acl:set:typed", "multi:set:typed", "acl:get:text", "multi:get:text"), seen);
            path.install(CallGate.Slot.ACL, null);
            path.install(CallGate.Slot.MULTI_QUEUE, null);
            seen.clear();
            store.strings().get("a");
            assertEquals(List.of(), seen);
        }
    }

    @Test
    void aGateCanRefuseBothKindsOfCallBeforeTheyRun() {
        try (Store store = Store.open()) {
            CallPath path = io.redjar.internal.Internals.engine(store).callPath();
            List<String> later = new ArrayList<>();
            path.install(CallGate.Slot.OOM, (spec, ctx, db, argv) -> spec.has(CommandFlag.WRITE)
                ? Reply.error("OOM command not allowed when used memory > 'maxmemory'.") : null);
            path.install(CallGate.Slot.MULTI_QUEUE, (spec, ctx, db, argv) -> {
                later.add(spec.fullName());
                return null;
            });
            RedJarException e = assertThrows(RedJarException.class, () -> store.strings().set("a", "1"));
            assertEquals("OOM command not allowed when used memory > 'maxmemory'.", e.getMessage());
            assertEquals(Reply.error("OOM command not allowed when used memory > 'maxmemory'."), store.execute("SET", "a", "1"));
            assertNull(store.strings().get("a")); // neither ran; reads pass
            assertEquals(List.of("get"), later); // a refusal stops the later gates
            CommandStats set = io.redjar.internal.Internals.engine(store).table().lookup("set").stats();
            assertEquals(0, set.calls());
            assertEquals(2, set.rejectedCalls());
            assertEquals(2L, io.redjar.internal.Internals.engine(store).server().errorCounts().get("OOM"));
        }
    }

    @Test
    void timedTypedCallsReachTheSlowLogByNameAndOnlyTextualCallsFeedMonitor() {
        try (Store store = Store.builder().config("slowlog-log-slower-than", "0").open()) {
            List<String> monitored = new ArrayList<>();
            io.redjar.internal.Internals.engine(store).dispatcher().listener((ctx, argv, micros) -> monitored.add(new String(argv[0])));
            for (int i = 0; i < 200; i++) {
                store.strings().get("k"); // one in CallPath.TYPED_SAMPLE is timed: P(none of 200) < 1e-11
            }
            assertEquals(List.of(), monitored, "MONITOR shows what clients send, not typed calls");
            String log = store.execute("SLOWLOG", "GET", "1").toString();
            assertTrue(log.contains("$\"GET\""), log);
            store.execute("GET", "k");
            assertEquals(List.of("GET"), monitored);
        }
    }
}
