package io.redjar;

import io.redjar.internal.Internals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** COMMAND, INFO, CONFIG, SLOWLOG, DEBUG and the connection rows, through {@code store.execute}. */
class IntrospectionCommandsTest {
    private Store store;

    @BeforeEach
    void open() {
        store = Store.builder().activeExpire(false).open();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Reply x(String... argv) {
        return store.execute(argv);
    }

    private static List<Reply> arr(Reply r) {
        return ((Reply.ArrayReply) r).elements();
    }

    private static String text(Reply r) {
        return r instanceof Reply.Verbatim v ? v.text() : ((Reply.Bulk) r).asString();
    }

    @Test
    void commandCountInfoListAndGetkeys() {
        long count = ((Reply.IntegerReply) x("COMMAND", "COUNT")).value();
        assertEquals(count, arr(x("COMMAND")).size());
        List<Reply> get = arr(arr(x("COMMAND", "INFO", "get", "nosuch")).get(0));
        assertEquals(10, get.size());
        assertEquals(Reply.bulk("get"), get.get(0));
        assertEquals(Reply.integer(2), get.get(1));
        assertEquals(new Reply.SetReply(List.of(new Reply.SimpleString("readonly"), new Reply.SimpleString("fast"))), get.get(2));
        assertEquals(List.of(Reply.integer(1), Reply.integer(1), Reply.integer(1)), get.subList(3, 6));
        assertEquals(new Reply.SetReply(List.of(new Reply.SimpleString("@read"), new Reply.SimpleString("@string"),
            new Reply.SimpleString("@fast"))), get.get(6));
        assertEquals(Reply.NULL, arr(x("COMMAND", "INFO", "get", "nosuch")).get(1));
        for (String conn : List.of("hello", "auth", "client", "reset", "quit", "monitor", "info", "config", "slowlog", "debug", "command")) {
            assertTrue(arr(x("COMMAND", "INFO", conn)).get(0) instanceof Reply.ArrayReply, conn);
        }
        List<Reply> client = arr(arr(x("COMMAND", "INFO", "client")).get(0));
        assertFalse(arr(client.get(9)).isEmpty(), "client has subcommands");
        List<Reply> names = arr(x("COMMAND", "LIST"));
        assertTrue(names.contains(Reply.bulk("client|setname")));
        assertEquals(List.of(Reply.bulk("config"), Reply.bulk("config|get"), Reply.bulk("config|help"),
            Reply.bulk("config|resetstat"), Reply.bulk("config|rewrite"), Reply.bulk("config|set")),
            arr(x("COMMAND", "LIST", "FILTERBY", "PATTERN", "config*")));
        assertTrue(arr(x("COMMAND", "LIST", "FILTERBY", "ACLCAT", "connection")).contains(Reply.bulk("hello")));
        assertEquals(Reply.EMPTY_ARRAY, x("COMMAND", "LIST", "FILTERBY", "MODULE", "x"));
        assertEquals("ERR syntax error", ((Reply.ErrorReply) x("COMMAND", "LIST", "FILTERBY")).message());
        assertEquals(Reply.array(Reply.bulk("a"), Reply.bulk("c")), x("COMMAND", "GETKEYS", "MSET", "a", "b", "c", "d"));
        assertEquals(Reply.error("ERR Invalid command specified"), x("COMMAND", "GETKEYS", "nosuch", "a"));
        assertEquals(Reply.error("ERR Invalid number of arguments specified for command"), x("COMMAND", "GETKEYS", "get", "a", "b"));
        assertEquals(Reply.error("ERR The command has no key arguments"), x("COMMAND", "GETKEYS", "echo", "a"));
        Reply.Map docs = (Reply.Map) x("COMMAND", "DOCS", "get", "nosuch");
        assertEquals(1, docs.size());
        assertEquals(Reply.bulk("get"), docs.flat().get(0));
        assertTrue(docs.flat().get(1).toString().contains("Get the value of a key"));
        assertTrue(arr(x("COMMAND", "HELP")).size() > 5);
    }

    @Test
    void infoSectionsAndCounters() {
        x("SET", "a", "1");
        x("SET", "b", "2", "EX", "100");
        x("GET", "a");
        x("INCR", "nosuchcommand", "x", "y");
        x("NOSUCH");
        x("GET");
        String all = text(x("INFO", "all"));
        for (String section : List.of("# Server", "# Clients", "# Memory", "# Persistence", "# Stats", "# Replication",
            "# CPU", "# Commandstats", "# Errorstats", "# Keyspace")) {
            assertTrue(all.contains(section + "\r\n"), section);
        }
        assertTrue(all.contains("\r\nloading:0\r\n"));
        assertTrue(all.contains("\r\nrole:master\r\n"));
        assertTrue(all.contains("\r\nconnected_slaves:0\r\n"));
        assertTrue(all.contains("\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n"), all);
        assertTrue(all.contains("\r\ncmdstat_set:calls=2,"), all);
        assertTrue(all.contains("\r\ncmdstat_get:calls=1,") && all.contains("rejected_calls=1,failed_calls=0"), all);
        assertTrue(all.contains("\r\nerrorstat_ERR:count=3\r\n"), all);
        assertTrue(all.contains("\r\nused_memory:" + store.usedMemory() + "\r\n") || all.contains("\r\nused_memory:"));
        assertFalse(all.contains("\n\n"));
        String one = text(x("INFO", "keyspace"));
        assertEquals("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n", one);
        String two = text(x("INFO", "replication", "server"));
        assertTrue(two.startsWith("# Server\r\n") && two.contains("\r\n\r\n# Replication\r\n"), two);
        assertEquals("", text(x("INFO", "nosuchsection")));
        assertFalse(text(x("INFO")).contains("# Commandstats"));
        assertEquals(Reply.OK, x("CONFIG", "RESETSTAT"));
        assertFalse(text(x("INFO", "commandstats")).contains("cmdstat_set"));
        assertFalse(text(x("INFO", "errorstats")).contains("errorstat_ERR"));
    }

    /** The stat line of {@code field} in INFO {@code section}, or "" (Redis's test helpers cmdrstat/errorrstat). */
    private String stat(String section, String field) {
        for (String line : text(x("INFO", section)).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return "";
    }

    /**
     * Errors inside scripts are counted once (Redis's "Consistent eval error reporting"): a
     * command the script may not run counts as that command's rejection and in errorstats; the
     * script passing the error on counts as a failed EVAL but not as a second error.
     */
    @Test
    void scriptErrorsAreCountedOnce() {
        x("CONFIG", "RESETSTAT");
        x("CONFIG", "SET", "maxmemory", "1");
        try {
            Reply r = x("EVAL", "return redis.call('set','x','y')", "1", "x");
            assertTrue(r instanceof Reply.ErrorReply e && e.message().startsWith("OOM command not allowed"), r.toString());
            assertEquals("count=1", stat("errorstats", "errorstat_OOM"));
            assertEquals("1", stat("stats", "total_error_replies"));
            assertTrue(stat("commandstats", "cmdstat_set").matches("calls=0,.*rejected_calls=1,failed_calls=0"), stat("commandstats", "cmdstat_set"));
            assertTrue(stat("commandstats", "cmdstat_eval").matches("calls=1,.*rejected_calls=0,failed_calls=1"), stat("commandstats", "cmdstat_eval"));

            x("CONFIG", "RESETSTAT");
            r = x("EVAL", "return redis.pcall('set','x','y')", "1", "x");
            assertTrue(r instanceof Reply.ErrorReply, r.toString());
            assertEquals("", stat("errorstats", "errorstat_ERR"));
            assertEquals("count=1", stat("errorstats", "errorstat_OOM"));
            assertEquals("1", stat("stats", "total_error_replies"));
            assertTrue(stat("commandstats", "cmdstat_eval").matches("calls=1,.*rejected_calls=0,failed_calls=1"), stat("commandstats", "cmdstat_eval"));
        } finally {
            x("CONFIG", "SET", "maxmemory", "0");
        }
        x("CONFIG", "RESETSTAT");
        Reply r = x("EVAL", "return redis.call('select',99)", "0");
        assertTrue(r instanceof Reply.ErrorReply e && e.message().startsWith("ERR DB index is out of range"), r.toString());
        assertEquals("count=1", stat("errorstats", "errorstat_ERR"));
        assertEquals("1", stat("stats", "total_error_replies"));
        assertTrue(stat("commandstats", "cmdstat_select").matches("calls=1,.*rejected_calls=0,failed_calls=1"), stat("commandstats", "cmdstat_select"));
        assertTrue(stat("commandstats", "cmdstat_eval").matches("calls=1,.*rejected_calls=0,failed_calls=1"), stat("commandstats", "cmdstat_eval"));

        // an error the script makes itself is the script's: counted once, when EVAL answers it
        x("CONFIG", "RESETSTAT");
        r = x("EVAL", "return redis.error_reply('MY err')", "0");
        assertEquals(Reply.error("MY err"), r);
        assertEquals("count=1", stat("errorstats", "errorstat_MY"));
        assertEquals("1", stat("stats", "total_error_replies"));
    }

    /** INFO's blocked_clients counts the clients parked in a blocking command, as Redis does. */
    @Test
    void infoCountsBlockedClients() throws Exception {
        assertTrue(text(x("INFO", "clients")).contains("\r\nblocked_clients:0\r\n"));
        Session waiter = store.newSession();
        java.util.concurrent.CompletableFuture<Reply> popped = waiter.executeAsync("BLPOP", "q", "0");
        assertFalse(popped.isDone());
        assertTrue(text(x("INFO", "clients")).contains("\r\nblocked_clients:1\r\n"), text(x("INFO", "clients")));
        x("RPUSH", "q", "v");
        assertEquals(Reply.array(Reply.bulk("q"), Reply.bulk("v")), popped.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(text(x("INFO", "clients")).contains("\r\nblocked_clients:0\r\n"));
    }

    @Test
    void configGetSetResetstat() {
        assertEquals(new Reply.Map(List.of(Reply.bulk("save"), Reply.bulk(""))), x("CONFIG", "GET", "save"));
        assertEquals(new Reply.Map(List.of(Reply.bulk("appendonly"), Reply.bulk("no"))), x("CONFIG", "GET", "appendonly"));
        assertEquals(new Reply.Map(List.of()), x("CONFIG", "GET", "nosuch"));
        Reply.Map slow = (Reply.Map) x("CONFIG", "GET", "slowlog-*", "hz", "SLOWLOG-MAX-LEN");
        assertEquals(List.of(Reply.bulk("hz"), Reply.bulk("10"), Reply.bulk("slowlog-log-slower-than"), Reply.bulk("10000"),
            Reply.bulk("slowlog-max-len"), Reply.bulk("128")), slow.flat());
        assertEquals(Reply.error("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"),
            x("CONFIG", "SET", "databases", "3"));
        assertEquals(Reply.error("ERR Unknown option or number of arguments for CONFIG SET - 'x'"), x("CONFIG", "SET", "x", "1"));
        assertEquals(Reply.error("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer"),
            x("CONFIG", "SET", "slowlog-max-len", "5", "hz", "abc"));
        assertEquals(new Reply.Map(List.of(Reply.bulk("slowlog-max-len"), Reply.bulk("128"))), x("CONFIG", "GET", "slowlog-max-len"),
            "atomic: nothing applied");
        assertEquals(Reply.error("ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter"),
            x("CONFIG", "SET", "hz", "5", "hz", "6"));
        assertEquals(Reply.error("ERR syntax error"), x("CONFIG", "SET", "hz", "5", "maxclients"));
        assertEquals(Reply.OK, x("CONFIG", "SET", "hz", "20", "maxclients", "50", "maxmemory", "0mb", "maxmemory-policy", "noeviction"));
        assertEquals(Reply.bulk("50"), ((Reply.Map) x("CONFIG", "GET", "maxclients")).flat().get(1));
        assertEquals(Reply.OK, x("CONFIG", "SET", "maxmemory", "10mb"));
        assertEquals(Reply.bulk("10485760"), ((Reply.Map) x("CONFIG", "GET", "maxmemory")).flat().get(1));
        assertEquals(Reply.OK, x("CONFIG", "SET", "maxmemory-policy", "allkeys-lru"));
        assertEquals(Reply.OK, x("CONFIG", "SET", "maxmemory-policy", "noeviction"));
        assertEquals(Reply.OK, x("CONFIG", "SET", "maxmemory", "0"));
        assertTrue(((Reply.ErrorReply) x("CONFIG", "SET", "maxmemory-policy", "foo")).message().contains("must be one of the following"));
        assertEquals(Reply.error("ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"),
            x("CONFIG", "SET", "save", "3600"));
        assertEquals(Reply.OK, x("CONFIG", "SET", "save", "3600  1 300 100"));
        assertEquals(Reply.bulk("3600 1 300 100"), ((Reply.Map) x("CONFIG", "GET", "save")).flat().get(1));
        assertEquals(Reply.OK, x("CONFIG", "SET", "save", "", "appendonly", "no", "lazyfree-lazy-user-del", "yes"));
        assertEquals(Reply.error("ERR The server is running without a config file"), x("CONFIG", "REWRITE"));
        assertEquals(new Reply.SimpleString("CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"), arr(x("CONFIG", "HELP")).get(0));
    }

    @Test
    void slowlogRecordsTruncatesAndResets() {
        assertEquals(Reply.OK, x("CONFIG", "SET", "slowlog-log-slower-than", "0"));
        String[] big = new String[40];
        big[0] = "DEL";
        for (int i = 1; i < big.length; i++) {
            big[i] = i == 1 ? "k".repeat(200) : "k" + i;
        }
        x(big);
        List<Reply> entries = arr(x("SLOWLOG", "GET", "1"));
        assertEquals(1, entries.size());
        List<Reply> e = arr(entries.get(0));
        assertEquals(6, e.size());
        List<Reply> argv = arr(e.get(3));
        assertEquals(32, argv.size());
        assertEquals(Reply.bulk("... (9 more arguments)"), argv.get(31));
        assertEquals(Reply.bulk("k".repeat(128) + "... (72 more bytes)"), argv.get(1));
        assertEquals(Reply.bulk(""), e.get(4));
        assertTrue(((Reply.IntegerReply) x("SLOWLOG", "LEN")).value() >= 2);
        assertEquals(Reply.error("ERR count should be greater than or equal to -1"), x("SLOWLOG", "GET", "-2"));
        x("AUTH", "secret-password");
        assertFalse(x("SLOWLOG", "GET", "-1").toString().contains("secret-password"), "passwords stay out of the slow log");
        assertEquals(Reply.OK, x("CONFIG", "SET", "slowlog-log-slower-than", "-1"));
        assertEquals(Reply.OK, x("SLOWLOG", "RESET"));
        x("GET", "a");
        assertEquals(Reply.ZERO, x("SLOWLOG", "LEN"));
        assertEquals(Reply.EMPTY_ARRAY, x("SLOWLOG", "GET", "-1"));
        assertEquals(Reply.OK, x("CONFIG", "SET", "slowlog-log-slower-than", "0", "slowlog-max-len", "2"));
        for (int i = 0; i < 5; i++) {
            x("GET", "a");
        }
        assertEquals(Reply.integer(2), x("SLOWLOG", "LEN"));
        assertTrue(arr(x("SLOWLOG", "HELP")).size() > 3);
    }

    @Test
    void debugSubset() {
        x("SET", "k", "v");
        x("SET", "n", "123");
        String obj = ((Reply.SimpleString) x("DEBUG", "OBJECT", "k")).value();
        assertTrue(obj.matches("Value at:0x0 refcount:1 encoding:embstr serializedlength:2 lru:\\d+ lru_seconds_idle:\\d+"), obj);
        assertTrue(((Reply.SimpleString) x("DEBUG", "OBJECT", "n")).value().contains("encoding:int serializedlength:2 "));
        assertEquals(Reply.error("ERR no such key"), x("DEBUG", "OBJECT", "nokey"));
        long t0 = System.nanoTime();
        assertEquals(Reply.OK, x("DEBUG", "SLEEP", "0.05"));
        assertTrue(System.nanoTime() - t0 >= 45_000_000L);
        assertEquals(Reply.OK, x("DEBUG", "SET-ACTIVE-EXPIRE", "1"));
        assertTrue(Internals.engine(store).activeExpire());
        assertEquals(Reply.OK, x("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
        assertFalse(Internals.engine(store).activeExpire());
        assertEquals(Reply.error("ERR unknown subcommand or wrong number of arguments for 'jmap'. Try DEBUG HELP."), x("DEBUG", "jmap"));
        assertTrue(arr(x("DEBUG", "HELP")).size() > 3);
    }

    @Test
    void connectionCommandsEmbedded() {
        Session s = store.newSession();
        Reply.Map hello = (Reply.Map) s.execute("HELLO", "3", "SETNAME", "app");
        assertEquals(Reply.bulk("redjar"), hello.flat().get(1));
        assertEquals(3, s.protocol());
        assertEquals(Reply.bulk("app"), s.execute("CLIENT", "GETNAME"));
        assertTrue(((Reply.IntegerReply) s.execute("CLIENT", "ID")).value() > 0);
        assertTrue(s.execute("CLIENT", "INFO").toString().contains("name=app"));
        assertEquals(Reply.error("ERR unknown subcommand 'nope'. Try CLIENT HELP."), s.execute("CLIENT", "nope"));
        assertEquals(Reply.error("NOPROTO unsupported protocol version"), s.execute("HELLO", "4"));
        assertEquals(Reply.error("ERR AUTH <password> called without any password configured for the default user. "
            + "Are you sure your configuration is correct?"), s.execute("AUTH", "pw"));
        s.execute("SELECT", "3");
        assertEquals(new Reply.SimpleString("RESET"), s.execute("RESET"));
        assertEquals(0, s.database());
        assertEquals(2, s.protocol());
        assertEquals(Reply.NULL, s.execute("CLIENT", "GETNAME"));
        assertEquals(Reply.OK, s.execute("QUIT"));
        assertTrue(s.execute("MONITOR").isError());
        assertEquals(Reply.OK, x("CONFIG", "SET", "requirepass", "pw"));
        assertEquals(Reply.OK, s.execute("AUTH", "pw"));
        assertEquals(Reply.error("WRONGPASS invalid username-password pair or user is disabled."), s.execute("AUTH", "default", "no"));
    }
}
