package io.redjar.diff;

import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.command.CommandFlag;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.CommandTable;
import io.redjar.internal.command.GetKeysProc;
import io.redjar.internal.command.KeyExtractor;
import io.redjar.internal.command.KeyFlag;
import io.redjar.internal.command.KeyRefs;
import io.redjar.internal.command.KeySpec;
import io.redjar.internal.command.LegacyKeyRange;
import io.redjar.testing.ReplyAssert;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Key specs against redis-server 7.0, three ways.
 *
 * <ol>
 *   <li>{@code COMMAND INFO} of every command and subcommand in RedJar's table equals Redis's,
 *       all but the ACL categories: flags (movablekeys included), first/last/step, tips, key
 *       specs, subcommands. A row added without Redis's key specs fails here.</li>
 *   <li>{@code COMMAND GETKEYS} and {@code GETKEYSANDFLAGS} over every command of the table, with
 *       hand-picked edge cases (numkeys 0, negative, unparsable, too big; SORT ... STORE; wrong
 *       arity; no keys; unknown commands and subcommands) and seeded random calls, equal Redis's
 *       replies exactly, errors included.</li>
 *   <li>Every command Redis 7.0 has (not only RedJar's): its key specs are read back from
 *       Redis's {@code COMMAND} reply into {@link KeySpec}s, and then {@link LegacyKeyRange}
 *       must give Redis's first/last/step and movablekeys, and {@link KeyExtractor} (with the
 *       command's {@link GetKeysProc}, if Redis has one) must find the keys and flags Redis's
 *       {@code GETKEYSANDFLAGS} reports on seeded random calls. This covers the spec shapes no
 *       RedJar command has yet: keyword begin searches, ranges with a limit, incomplete specs.</li>
 * </ol>
 */
@RequiresRedis
class KeySpecsDifferentialTest {
    /** Rows of RedJar's table that redis-server 7.0 does not know (Redis 7.2 subcommands). */
    private static final Set<String> NOT_IN_REDIS_7_0 = Set.of("client|no-touch", "client|setinfo");

    /** Redis 7.0's getkeys_proc of each command (src/commands.c), as RedJar's procedures. */
    static final Map<String, GetKeysProc> REDIS_PROCS = new HashMap<>();

    static {
        REDIS_PROCS.put("sort", GetKeysProc.SORT);
        REDIS_PROCS.put("sort_ro", GetKeysProc.SORT_RO);
        REDIS_PROCS.put("set", GetKeysProc.SET);
        REDIS_PROCS.put("bitfield", GetKeysProc.BITFIELD);
        REDIS_PROCS.put("migrate", GetKeysProc.MIGRATE);
        REDIS_PROCS.put("georadius", GetKeysProc.GEORADIUS);
        REDIS_PROCS.put("georadiusbymember", GetKeysProc.GEORADIUS);
        REDIS_PROCS.put("xread", GetKeysProc.XREAD);
        REDIS_PROCS.put("xreadgroup", GetKeysProc.XREAD);
        for (String n : List.of("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro", "blmpop", "bzmpop")) {
            REDIS_PROCS.put(n, GetKeysProc.NUMKEYS_AT_2);
        }
        for (String n : List.of("sintercard", "zunion", "zinter", "zdiff", "zintercard", "lmpop", "zmpop")) {
            REDIS_PROCS.put(n, GetKeysProc.NUMKEYS_AT_1);
        }
        for (String n : List.of("zunionstore", "zinterstore", "zdiffstore")) {
            REDIS_PROCS.put(n, GetKeysProc.STORE_NUMKEYS);
        }
    }

    private static final String[] WORDS = {
        "k1", "k2", "{t}k3", "", "store", "STORE", "storedist", "limit", "LIMIT", "get", "GET", "by", "set", "incrby",
        "overflow", "streams", "STREAMS", "keys", "KEYS", "auth", "auth2", "copy", "replace", "block", "count",
        "group", "noack", "withscores", "left", "right", "min", "max", "asc", "store\0x", "get\0", "m1", "v",
    };
    private static final String[] NUMBERS = {
        "0", "1", "2", "3", "5", "-1", "-2", "01", " 2", "+2", "2abc", "abc", "-0", "10",
        "4294967297", "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    };

    @Test
    void commandInfoOfEveryCommandMatchesRedis(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            int compared = 0;
            for (CommandSpec s : everyCommand(io.redjar.internal.Internals.engine(store).table())) {
                assertFalse(s.legacyDeclared(), s.fullName() + " declares keys(first, last, step): declare Redis's key specs");
                Reply expected = first(redis.call("COMMAND", "INFO", s.fullName()));
                Reply actual = first(session.execute("COMMAND", "INFO", s.fullName()));
                if (NOT_IN_REDIS_7_0.contains(s.fullName())) {
                    assertTrue(isNull(expected), s.fullName() + " is in Redis 7.0 after all: take it off NOT_IN_REDIS_7_0");
                    continue;
                }
                assertFalse(isNull(expected), s.fullName() + " is not a Redis 7.0 command");
                ReplyAssert.assertSameReply("COMMAND INFO " + s.fullName() + " (ACL categories aside)",
                    withoutCategories(expected), withoutCategories(actual));
                GetKeysProc proc = s.getKeysProc();
                assertEquals(REDIS_PROCS.get(s.fullName()), proc, s.fullName() + ": Redis's getkeys_proc");
                compared++;
            }
            assertTrue(compared > 150, "compared " + compared);
        }
    }

    @Test
    void getkeysEdgeCasesMatchRedis(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            List<String[]> cases = List.of(
                new String[] {"COMMAND", "GETKEYS"},
                new String[] {"COMMAND", "GETKEYS", "get"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "get"},
                new String[] {"COMMAND", "GETKEYS", "nosuch", "a"},
                new String[] {"COMMAND", "GETKEYS", "get", "a", "b"},
                new String[] {"COMMAND", "GETKEYS", "ping", "x"},
                new String[] {"COMMAND", "GETKEYS", "object", "nosuch", "k"},
                new String[] {"COMMAND", "GETKEYS", "OBJECT", "Encoding", "k"},
                new String[] {"COMMAND", "GETKEYS", "object", "encoding"},
                new String[] {"COMMAND", "GETKEYS", "client", "list"},
                new String[] {"COMMAND", "GETKEYS", "command", "getkeys", "get", "k"},
                new String[] {"COMMAND", "GETKEYS", "zunionstore", "d", "0", "a"},
                new String[] {"COMMAND", "GETKEYS", "zunionstore", "d", "-1", "a"},
                new String[] {"COMMAND", "GETKEYS", "zunionstore", "d", "3", "a", "b"},
                new String[] {"COMMAND", "GETKEYS", "zunionstore", "d", "2", "a", "b", "weights", "1", "2"},
                new String[] {"COMMAND", "GETKEYS", "zunionstore", "d", "2abc", "a", "b"},
                new String[] {"COMMAND", "GETKEYS", "zunionstore", "d", " 2", "a", "b"},
                new String[] {"COMMAND", "GETKEYS", "zunionstore", "d", "4294967297", "a", "b"},
                new String[] {"COMMAND", "GETKEYS", "zunion", "0", "a"},
                new String[] {"COMMAND", "GETKEYS", "zinter", "2", "a", "b", "withscores"},
                new String[] {"COMMAND", "GETKEYS", "zdiff", "3", "a", "b"},
                new String[] {"COMMAND", "GETKEYS", "zintercard", "2", "a", "b", "limit", "1"},
                new String[] {"COMMAND", "GETKEYS", "sintercard", "1", "a"},
                new String[] {"COMMAND", "GETKEYS", "sintercard", "x", "a"},
                new String[] {"COMMAND", "GETKEYS", "lmpop", "2", "a", "b", "left"},
                new String[] {"COMMAND", "GETKEYS", "lmpop", "0", "a", "left"},
                new String[] {"COMMAND", "GETKEYS", "blmpop", "0", "2", "a", "b", "left"},
                new String[] {"COMMAND", "GETKEYS", "blmpop", "0", "9", "a", "b", "left"},
                new String[] {"COMMAND", "GETKEYS", "zmpop", "1", "a", "min"},
                new String[] {"COMMAND", "GETKEYS", "bzmpop", "1", "1", "a", "max", "count", "2"},
                new String[] {"COMMAND", "GETKEYS", "sort", "abc", "store", "def"},
                new String[] {"COMMAND", "GETKEYS", "sort_ro", "abc"},
                new String[] {"COMMAND", "GETKEYS", "sort", "abc", "store", "invalid", "store", "stillbad", "store", "def"},
                new String[] {"COMMAND", "GETKEYS", "sort", "abc", "limit", "store", "x", "store"},
                new String[] {"COMMAND", "GETKEYS", "sort", "abc", "by", "store", "get", "store", "store"},
                new String[] {"COMMAND", "GETKEYS", "sort", "abc", "STORE\0junk", "d"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "sort", "k1", "store", "k2"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "set", "k1", "v1"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "set", "k1", "v1", "get"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "set", "k1", "v1", "ex", "10", "GeT"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "mset", "k1", "v1", "k2", "v2"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "mset", "k1", "v1", "k2"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "LMOVE", "k1", "k2", "left", "right"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "blpop", "k1", "k2", "0"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "rename", "k1", "k2"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "copy", "k1", "k2", "db", "1"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "lcs", "key1", "key2"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "zrangestore", "d", "s", "0", "-1"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "sunionstore", "d", "a", "b", "c"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "zinterstore", "d", "2", "a", "b"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "del", "a", "b", "c"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "object", "freq", "k"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "getex", "k", "persist"},
                new String[] {"COMMAND", "GETKEYS", "georadius", "g", "0", "0", "1", "m", "store", "d"},
                new String[] {"COMMAND", "GETKEYS", "georadius", "g", "0", "0", "1", "m", "storedist", "d", "STORE", "e"},
                new String[] {"COMMAND", "GETKEYS", "georadius", "g", "0", "0", "1", "m", "store"},
                new String[] {"COMMAND", "GETKEYS", "georadiusbymember", "g", "m", "1", "m", "withdist", "STOREDIST", "d"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "georadius", "g", "0", "0", "1", "m", "store", "d"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "georadius_ro", "g", "0", "0", "1", "m", "store", "d"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "geosearchstore", "d", "g", "frommember", "m", "byradius", "1", "m"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "geoadd", "g", "0", "0", "m"});
            for (String[] c : cases) {
                ReplyAssert.assertSameReply(String.join(" ", c).replace("\0", "\\0"), redis.call(c), session.execute(c));
            }
            // more than 256 keys (Redis's getKeysPrepareResult grows its buffer)
            List<String> big = new ArrayList<>(List.of("COMMAND", "GETKEYS", "ZUNIONSTORE", "target", "300"));
            for (int i = 0; i < 300; i++) {
                big.add("key" + i);
            }
            String[] b = big.toArray(new String[0]);
            ReplyAssert.assertSameReply("GETKEYS ZUNIONSTORE 300 keys", redis.call(b), session.execute(b));
        }
    }

    @Test
    void getkeysOfRandomCallsOfEveryCommandMatchRedis(RespClient redis) {
        long seed = Seeds.seed();
        System.out.println("KeySpecsDifferentialTest.getkeysOfRandomCalls seed " + seed + " (-Dredjar.seed=" + seed + ")");
        Seeds.run("GETKEYS random calls", seed, rnd -> {
            try (Store store = Store.open()) {
                Session session = store.newSession();
                int n = 0;
                for (CommandSpec s : everyCommand(io.redjar.internal.Internals.engine(store).table())) {
                    if (NOT_IN_REDIS_7_0.contains(s.fullName()) || !s.subcommands().isEmpty()) {
                        // a container's subcommands are sampled; a random word after its name is at
                        // best an unknown subcommand, and with a NUL byte in it Redis's subcommand
                        // lookup depends on its hash seed (strcasecmp stops at the NUL)
                        continue;
                    }
                    for (int i = 0; i < 3; i++) {
                        List<String> call = new ArrayList<>();
                        call.add("COMMAND");
                        call.add(rnd.nextInt(3) == 0 ? "GETKEYS" : "GETKEYSANDFLAGS");
                        call.addAll(randomCall(rnd, s.fullName(), s.arity()));
                        String[] c = call.toArray(new String[0]);
                        ReplyAssert.assertSameReply(String.join(" ", c).replace("\0", "\\0"), redis.call(c), session.execute(c));
                        n++;
                    }
                }
                assertTrue(n > 500, "samples " + n);
            }
        });
    }

    @Test
    void keySpecsOfEveryRedisCommandGiveRedisLegacyRangeAndKeys(RespClient redis) {
        long seed = Seeds.seed();
        System.out.println("KeySpecsDifferentialTest.keySpecsOfEveryRedisCommand seed " + seed + " (-Dredjar.seed=" + seed + ")");
        List<Reply> all = elements(redis.call("COMMAND"));
        CommandTable t = new CommandTable();
        List<CommandSpec> specs = new ArrayList<>();
        for (Reply info : all) {
            List<Reply> f = elements(info);
            String name = text(f.get(0));
            CommandSpec top = row(t, null, info);
            specs.add(top);
            if (f.get(9) instanceof Reply.ArrayReply subs) {
                for (Reply sub : subs.elements()) {
                    specs.add(row(t, name, sub));
                }
            }
        }
        assertTrue(specs.size() > 300, "Redis commands read: " + specs.size());
        Map<String, Reply> infoByName = new HashMap<>();
        for (Reply info : all) {
            infoByName.put(text(elements(info).get(0)), info);
            if (elements(info).get(9) instanceof Reply.ArrayReply subs) {
                for (Reply sub : subs.elements()) {
                    infoByName.put(text(elements(sub).get(0)), sub);
                }
            }
        }
        for (CommandSpec s : specs) {
            List<Reply> f = elements(infoByName.get(s.fullName()));
            LegacyKeyRange legacy = s.legacyKeyRange();
            assertEquals(List.of(integer(f.get(3)), integer(f.get(4)), integer(f.get(5))),
                List.of((long) legacy.first(), (long) legacy.last(), (long) legacy.step()), s.fullName() + " first/last/step");
            boolean movable = elements(f.get(2)).contains(new Reply.SimpleString("movablekeys"));
            assertEquals(movable, legacy.movable(), s.fullName() + " movablekeys");
        }
        Map<String, CommandSpec> byName = new HashMap<>();
        for (CommandSpec s : specs) {
            byName.put(s.fullName(), s);
        }
        Map<String, Integer> withKeys = new java.util.TreeMap<>();
        int fixed = 0;
        for (String call : FIXED_CALLS) {
            List<String> argv = new ArrayList<>(List.of(call.split(" ", -1)));
            String name = argv.get(0).toLowerCase(Locale.ROOT);
            CommandSpec s = byName.get(name);
            if (s != null && !s.subcommands().isEmpty()) {
                s = byName.get(name + "|" + argv.get(1).toLowerCase(Locale.ROOT));
            }
            assertNotNull(s, call);
            fixed += compareWithRedis(redis, s, argv, withKeys) ? 1 : 0;
        }
        assertTrue(fixed > FIXED_CALLS.size() * 3 / 4, "fixed calls with keys compared: " + fixed);
        Seeds.run("extractor vs Redis GETKEYSANDFLAGS", seed, rnd -> {
            int compared = 0;
            for (CommandSpec s : specs) {
                if (!s.subcommands().isEmpty()) {
                    continue; // a container: its subcommands are sampled
                }
                boolean plain = s.keySpecs().stream().allMatch(k -> shape(k).equals("INDEX/RANGE"));
                for (int i = 0; i < (plain ? 3 : 25); i++) {
                    List<String> argv = randomCall(rnd, s.fullName(), s.arity());
                    if (argv.size() < 2) {
                        argv.add(WORDS[rnd.nextInt(WORDS.length)]); // GETKEYSANDFLAGS needs two words
                    }
                    compared += compareWithRedis(redis, s, argv, withKeys) ? 1 : 0;
                }
            }
            System.out.println("KeySpecsDifferentialTest: " + compared + " random calls compared; spec shapes of calls with keys: "
                + withKeys);
            assertTrue(compared > 300, "compared " + compared);
        });
    }

    /** Calls of Redis commands RedJar lacks, for the spec shapes and procedures only they have. */
    private static final List<String> FIXED_CALLS = List.of(
        "XREAD STREAMS a b 0 0", "XREAD COUNT 2 STREAMS a 0", "XREAD STREAMS a b 0", "XREAD BLOCK 0 STREAMS streams STREAMS 0 0",
        "XREADGROUP GROUP g c STREAMS a 0", "XREADGROUP GROUP g c NOACK COUNT 1 STREAMS a b c 0 0 0", "XREAD streams a",
        "XREAD STREAMS a b c d e f", "XREAD COUNT STREAMS STREAMS a b", "XREAD FOO STREAMS a 0",
        "MIGRATE host 6379 k 0 1000", "MIGRATE host 6379  0 1000 KEYS a b c", "MIGRATE host 6379 k 0 1000 KEYS a b",
        "MIGRATE host 6379  0 1000 AUTH p KEYS a", "MIGRATE host 6379  0 1000 AUTH2 u p KEYS a b",
        "MIGRATE h 1  0 1000 COPY REPLACE KEYS x", "MIGRATE h 1  0 1000 AUTH KEYS KEYS x",
        "GEORADIUS k 0 0 1 m STORE d", "GEORADIUS k 0 0 1 m STORE d STOREDIST e", "GEORADIUS k 0 0 1 m STORE",
        "GEORADIUSBYMEMBER k m 1 km STOREDIST x", "GEORADIUS_RO k 0 0 1 m", "GEOSEARCHSTORE d s FROMMEMBER m BYRADIUS 1 km",
        "BITFIELD k GET u8 0", "BITFIELD k SET u8 0 1", "BITFIELD k OVERFLOW WRAP GET u8 0", "BITFIELD k INCRBY u8 0 1",
        "BITFIELD k GET u8", "BITFIELD k", "BITFIELD_RO k GET u8 0",
        "EVAL s 0", "EVAL s 2 a b c", "EVAL s 3 a", "EVAL s -1 a", "EVAL s 2abc a b", "EVAL_RO s 1 k", "EVALSHA x 1 k",
        "FCALL f 1 k a", "FCALL f abc k", "FCALL_RO f 2 a b",
        "LCS a b", "SET k v GET", "SET k v", "SET k v get\0", "SINTERCARD 2 a b LIMIT 1", "SINTERCARD 0 a",
        "XGROUP CREATE key g $", "MEMORY USAGE key", "OBJECT ENCODING k", "XINFO STREAM s FULL",
        "ZUNIONSTORE d 0 a", "ZUNIONSTORE d -1 a", "ZUNIONSTORE d 9 a b", "BLMPOP 0 2 a b LEFT", "BZMPOP 0 x a MIN",
        "SORT k BY w GET # STORE d", "SORT_RO k BY w", "PFMERGE d a b", "PFCOUNT a b", "XADD s * f v", "RPOPLPUSH a b",
        "SMOVE a b m", "GETEX k PERSIST", "SPUBLISH ch m", "PUBLISH ch m", "WATCH a b", "EXISTS a b c");

    /**
     * Compares KeyExtractor's keys and flags for {@code argv} with Redis's GETKEYSANDFLAGS; Redis's
     * errors must mean the same (no key arguments: no keys possible; invalid arguments: no key
     * found); its arity errors are skipped.
     *
     * @return whether keys were compared (Redis answered with keys)
     */
    private static boolean compareWithRedis(RespClient redis, CommandSpec s, List<String> argv, Map<String, Integer> withKeys) {
        List<String> call = new ArrayList<>(List.of("COMMAND", "GETKEYSANDFLAGS"));
        call.addAll(argv);
        byte[][] a = new byte[argv.size()][];
        for (int j = 0; j < a.length; j++) {
            a[j] = argv.get(j).replace("\\0", "\0").getBytes(StandardCharsets.UTF_8);
            call.set(j + 2, new String(a[j], StandardCharsets.UTF_8));
        }
        Reply r = redis.call(call.toArray(new String[0]));
        String ctx = s.fullName() + ": " + String.join(" ", argv).replace("\0", "\\0");
        if (r instanceof Reply.ErrorReply e) {
            if (e.message().equals("ERR The command has no key arguments")) {
                assertFalse(KeyExtractor.mayHaveKeys(s), ctx);
            } else if (e.message().equals("ERR Invalid arguments specified for command")) {
                assertEquals(0, KeyExtractor.keys(s, a, new KeyRefs()), ctx);
            } else if (!e.message().equals("ERR Invalid number of arguments specified for command")) {
                fail(ctx + ": " + e.message());
            }
            return false;
        }
        KeyRefs keys = new KeyRefs();
        KeyExtractor.keys(s, a, keys);
        List<Reply> ours = new ArrayList<>();
        for (int k = 0; k < keys.count(); k++) {
            List<Reply> flags = new ArrayList<>();
            for (KeyFlag fl : KeyFlag.of(keys.flags(k))) {
                flags.add(new Reply.SimpleString(fl.redisName()));
            }
            ours.add(Reply.array(List.of(new Reply.Bulk(a[keys.position(k)]), new Reply.SetReply(flags))));
        }
        ReplyAssert.assertSameReply(ctx, r, Reply.array(ours));
        if (keys.count() > 0) {
            for (KeySpec k : s.keySpecs()) {
                withKeys.merge(shape(k), 1, Integer::sum);
            }
        }
        return true;
    }

    private static String shape(KeySpec k) {
        return k.beginSearch() + "/" + k.findKeys() + (k.findKeys() == KeySpec.FindKeys.RANGE && k.limit() > 0 ? "/limit" : "");
    }

    /** Adds a row for one Redis COMMAND entry to {@code t}, specs read from the reply. */
    private static CommandSpec row(CommandTable t, String parent, Reply info) {
        List<Reply> f = elements(info);
        String full = text(f.get(0));
        int arity = (int) integer(f.get(1));
        CommandTable.Row row = parent == null ? t.add(full, arity) : t.addSub(parent, full.substring(full.indexOf('|') + 1), arity);
        if (elements(f.get(2)).contains(new Reply.SimpleString("no_mandatory_keys"))) {
            row.flags(CommandFlag.NO_MANDATORY_KEYS);
        }
        List<KeySpec> ks = new ArrayList<>();
        for (Reply spec : elements(f.get(8))) {
            ks.add(keySpec(map(spec)));
        }
        row.keySpecs(ks.toArray(new KeySpec[0]));
        GetKeysProc proc = REDIS_PROCS.get(full);
        if (proc != null) {
            row.getKeys(proc);
        }
        return row.handler((c, a) -> Reply.OK);
    }

    private static KeySpec keySpec(Map<String, Reply> m) {
        Map<String, Reply> bs = map(m.get("begin_search"));
        Map<String, Reply> bsSpec = map(bs.get("spec"));
        KeySpec.Begin begin = switch (text(bs.get("type"))) {
            case "index" -> KeySpec.index((int) integer(bsSpec.get("index")));
            case "keyword" -> KeySpec.keyword(text(bsSpec.get("keyword")), (int) integer(bsSpec.get("startfrom")));
            default -> KeySpec.unknown();
        };
        Map<String, Reply> fk = map(m.get("find_keys"));
        Map<String, Reply> fkSpec = map(fk.get("spec"));
        KeySpec.Shape shape = switch (text(fk.get("type"))) {
            case "range" -> begin.range((int) integer(fkSpec.get("lastkey")), (int) integer(fkSpec.get("keystep")),
                (int) integer(fkSpec.get("limit")));
            case "keynum" -> begin.keynum((int) integer(fkSpec.get("keynumidx")), (int) integer(fkSpec.get("firstkey")),
                (int) integer(fkSpec.get("keystep")));
            default -> begin.unknownKeys();
        };
        List<KeyFlag> flags = new ArrayList<>();
        for (Reply r : elements(m.get("flags"))) {
            String name = text(r);
            KeyFlag flag = null;
            for (KeyFlag k : KeyFlag.values()) {
                if (k.redisName().equals(name)) {
                    flag = k;
                }
            }
            assertNotNull(flag, "unknown key flag " + name);
            flags.add(flag);
        }
        KeySpec spec = shape.flags(flags.toArray(new KeyFlag[0]));
        return m.containsKey("notes") ? spec.notes(text(m.get("notes"))) : spec;
    }

    /** A random call of {@code fullName}: around its arity, words that matter to key finding. */
    static List<String> randomCall(Random rnd, String fullName, int arity) {
        List<String> argv = new ArrayList<>();
        String[] names = fullName.split("\\|");
        for (String n : names) {
            argv.add(rnd.nextInt(4) == 0 ? n.toUpperCase(Locale.ROOT) : n);
        }
        int min = Math.abs(arity);
        int argc = Math.max(names.length, min - 1 + rnd.nextInt(arity < 0 ? 8 : 3));
        while (argv.size() < argc) {
            int p = rnd.nextInt(10);
            argv.add(p < 4 ? NUMBERS[rnd.nextInt(NUMBERS.length)] : WORDS[rnd.nextInt(WORDS.length)]);
        }
        return argv;
    }

    private static List<CommandSpec> everyCommand(CommandTable table) {
        List<CommandSpec> out = new ArrayList<>();
        for (CommandSpec s : table.all()) {
            out.add(s);
            out.addAll(s.subcommands().values());
        }
        out.sort((x, y) -> x.fullName().compareTo(y.fullName()));
        return out;
    }

    /**
     * The reply with the ACL categories (index 6) blanked, and a container's subcommand list
     * (index 9) reduced to "some": RedJar has a subset of the subcommands, in another order (Redis
     * lists them in hash order), and each subcommand is compared on its own.
     */
    private static Reply withoutCategories(Reply info) {
        if (!(info instanceof Reply.ArrayReply a) || a.elements().size() != 10) {
            return info;
        }
        List<Reply> f = new ArrayList<>(a.elements());
        f.set(6, Reply.NULL);
        if (f.get(9) instanceof Reply.ArrayReply subs) {
            assertFalse(subs.elements().isEmpty(), "an empty subcommand list is an empty set in Redis 7.0");
            f.set(9, Reply.bulk("(subcommands)"));
        }
        return Reply.array(f);
    }

    private static Reply first(Reply r) {
        return elements(r).get(0);
    }

    private static boolean isNull(Reply r) {
        return r instanceof Reply.Null;
    }

    private static List<Reply> elements(Reply r) {
        if (r instanceof Reply.ArrayReply a) {
            return a.elements();
        }
        if (r instanceof Reply.SetReply s) {
            return s.elements();
        }
        throw new AssertionError("not an aggregate: " + r);
    }

    private static Map<String, Reply> map(Reply r) {
        List<Reply> flat = ((Reply.Map) r).flat();
        Map<String, Reply> m = new HashMap<>();
        for (int i = 0; i < flat.size(); i += 2) {
            m.put(text(flat.get(i)), flat.get(i + 1));
        }
        return m;
    }

    private static String text(Reply r) {
        if (r instanceof Reply.SimpleString s) {
            return s.value();
        }
        return ((Reply.Bulk) r).asString();
    }

    private static long integer(Reply r) {
        return ((Reply.IntegerReply) r).value();
    }
}
