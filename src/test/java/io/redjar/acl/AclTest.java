package io.redjar.acl;

import io.redjar.NoPermissionException;
import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ACL rules one kind at a time, enforcement (gate, MULTI, scripts, AUTH), and the ACL file, embedded. */
class AclTest {
    private Store store;
    private Session admin;

    @BeforeEach
    void open() {
        store = Store.open();
        admin = store.newSession();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private String s(Reply r) {
        return r.toString();
    }

    private void ok(String... argv) {
        assertEquals("+OK", s(admin.execute(argv)), String.join(" ", argv));
    }

    private String list(String user) {
        for (Reply r : ((Reply.ArrayReply) admin.execute("ACL", "LIST")).elements()) {
            String line = new String(((Reply.Bulk) r).value());
            if (line.startsWith("user " + user + " ")) {
                return line.substring(("user " + user + " ").length());
            }
        }
        return null;
    }

    private Session as(String user, String pass) {
        return store.newSession(user, pass);
    }

    @Test
    void newUserIsOffWithNothingAllowed() {
        ok("ACL", "SETUSER", "u");
        assertEquals("off resetchannels -@all", list("u"));
        ok("ACL", "SETUSER", "u", "reset");
        assertEquals("off sanitize-payload resetchannels -@all", list("u"));
        assertEquals("[$\"default\", $\"u\"]", s(admin.execute("ACL", "USERS")));
    }

    @Test
    void onOffAndPasswords() {
        ok("ACL", "SETUSER", "u", "on", ">p1", ">p2", "+@all", "~*");
        as("u", "p1");
        as("u", "p2");
        RedJarException e = assertThrows(RedJarException.class, () -> as("u", "nope"));
        assertEquals("WRONGPASS invalid username-password pair or user is disabled.", e.getMessage());
        ok("ACL", "SETUSER", "u", "<p1");
        assertThrows(RedJarException.class, () -> as("u", "p1"));
        String hash = io.redjar.internal.acl.AclTestAccess.sha256("p2");
        ok("ACL", "SETUSER", "u", "!" + hash);
        assertThrows(RedJarException.class, () -> as("u", "p2"));
        ok("ACL", "SETUSER", "u", "#" + io.redjar.internal.acl.AclTestAccess.sha256("p3"));
        as("u", "p3");
        ok("ACL", "SETUSER", "u", "off");
        assertThrows(RedJarException.class, () -> as("u", "p3"));
        ok("ACL", "SETUSER", "u", "on", "nopass");
        as("u", "anything");
        ok("ACL", "SETUSER", "u", "resetpass");
        assertThrows(RedJarException.class, () -> as("u", "anything"));
        assertEquals("-ERR Error in ACL SETUSER modifier '<zz': The password you are trying to remove from the user does not exist",
            s(admin.execute("ACL", "SETUSER", "u", "<zz")));
        assertEquals("-ERR Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64 characters and contain "
            + "only lowercase hexadecimal characters", s(admin.execute("ACL", "SETUSER", "u", "#abc")));
    }

    @Test
    void commandAndCategoryRules() {
        ok("ACL", "SETUSER", "u", "on", "nopass", "~*", "-@all", "+@string", "-get", "+lpush", "+config|get");
        assertEquals("on nopass ~* resetchannels -@all +@string +config|get -get +lpush", list("u"));
        Session u = as("u", "x");
        assertEquals("+OK", s(u.execute("SET", "k", "v")));
        assertEquals("-NOPERM this user has no permissions to run the 'get' command", s(u.execute("GET", "k")));
        assertEquals(":1", s(u.execute("LPUSH", "l", "a")));
        assertTrue(s(u.execute("CONFIG", "GET", "maxmemory")).contains("maxmemory"));
        assertEquals("-NOPERM this user has no permissions to run the 'config|set' command",
            s(u.execute("CONFIG", "SET", "maxmemory", "0")));
        ok("ACL", "SETUSER", "u", "allcommands");
        assertEquals("+OK", s(u.execute("CONFIG", "SET", "maxmemory", "0")));
        ok("ACL", "SETUSER", "u", "nocommands", "+select|0");
        assertEquals("+OK", s(u.execute("SELECT", "0")));
        assertEquals("-NOPERM this user has no permissions to run the 'select' command", s(u.execute("SELECT", "1")));
        assertEquals("on nopass ~* resetchannels -@all +select|0", list("u"));
        assertEquals("-ERR Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL",
            s(admin.execute("ACL", "SETUSER", "u", "+nosuch")));
        assertEquals("-ERR Error in ACL SETUSER modifier '+@nosuch': Unknown command or category name in ACL",
            s(admin.execute("ACL", "SETUSER", "u", "+@nosuch")));
        assertEquals("-ERR Error in ACL SETUSER modifier '+config|get|x': Allowing first-arg of a subcommand is not supported",
            s(admin.execute("ACL", "SETUSER", "u", "+config|get|x")));
    }

    @Test
    void keyPatternsReadWrite() {
        ok("ACL", "SETUSER", "u", "on", "nopass", "+@all", "%R~r*", "%W~w*", "%RW~b*", "~a*");
        assertEquals("on nopass %R~r* %W~w* ~b* ~a* resetchannels +@all", list("u"));
        Session u = as("u", "x");
        assertTrue(u.execute("GET", "r1") instanceof Reply.Null);
        assertEquals("-NOPERM this user has no permissions to access one of the keys used as arguments",
            s(u.execute("SET", "r1", "v")));
        assertEquals("+OK", s(u.execute("SET", "w1", "v")));
        assertEquals("-NOPERM this user has no permissions to access one of the keys used as arguments",
            s(u.execute("GET", "w1")));
        // COPY reads its source and writes its destination
        assertEquals("-NOPERM this user has no permissions to access one of the keys used as arguments",
            s(u.execute("COPY", "w1", "w2")));
        assertEquals("-NOPERM this user has no permissions to access one of the keys used as arguments",
            s(u.execute("COPY", "r1", "r2")));
        assertEquals("+OK", s(u.execute("SET", "b1", "v")));
        assertEquals(":1", s(u.execute("COPY", "b1", "w9")));
        ok("ACL", "SETUSER", "u", "resetkeys");
        assertEquals("-NOPERM this user has no permissions to access one of the keys used as arguments",
            s(u.execute("GET", "b1")));
        ok("ACL", "SETUSER", "u", "allkeys");
        assertEquals("-ERR Error in ACL SETUSER modifier '~x': Adding a pattern after the * pattern (or the 'allkeys' flag) "
            + "is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
            s(admin.execute("ACL", "SETUSER", "u", "~x")));
        assertEquals("-ERR Error in ACL SETUSER modifier '%X~x': Syntax error", s(admin.execute("ACL", "SETUSER", "u", "resetkeys", "%X~x")));
    }

    @Test
    void channelsAndPubSubDefault() {
        ok("ACL", "SETUSER", "u", "on", "nopass", "+@all", "~*", "&news.*");
        Session u = as("u", "x");
        assertEquals(":0", s(u.execute("PUBLISH", "news.1", "m")));
        assertEquals("-NOPERM this user has no permissions to access one of the channels used as arguments",
            s(u.execute("PUBLISH", "other", "m")));
        ok("ACL", "SETUSER", "u", "allchannels");
        assertEquals(":0", s(u.execute("PUBLISH", "other", "m")));
        ok("ACL", "SETUSER", "u", "resetchannels");
        assertEquals("on nopass ~* resetchannels +@all", list("u"));
        ok("CONFIG", "SET", "acl-pubsub-default", "allchannels");
        ok("ACL", "SETUSER", "v");
        assertEquals("off &* -@all", list("v"));
    }

    @Test
    void selectorsAllowWhatTheRootDoesNot() {
        ok("ACL", "SETUSER", "u", "on", "nopass", "+get", "~a*", "(+set ~b*)", "(", "+lpush", "~c*", ")");
        assertEquals("on nopass ~a* resetchannels -@all +get (~b* resetchannels -@all +set) (~c* resetchannels -@all +lpush)",
            list("u"));
        Session u = as("u", "x");
        assertEquals("+OK", s(u.execute("SET", "b1", "v")));
        assertEquals("-NOPERM this user has no permissions to access one of the keys used as arguments",
            s(u.execute("SET", "a1", "v")));
        assertEquals("-NOPERM this user has no permissions to access one of the keys used as arguments",
            s(u.execute("GET", "b1")));
        ok("ACL", "SETUSER", "u", "clearselectors");
        assertEquals("on nopass ~a* resetchannels -@all +get", list("u"));
        assertEquals("-ERR Unmatched parenthesis in acl selector starting at '(+get'.",
            s(admin.execute("ACL", "SETUSER", "u", "(+get")));
    }

    @Test
    void failedSetuserChangesNothing() {
        ok("ACL", "SETUSER", "u", "on", "+get");
        String before = list("u");
        admin.execute("ACL", "SETUSER", "u", "+set", "~*", "bogus");
        assertEquals(before, list("u"));
    }

    @Test
    void getuserShape() {
        ok("ACL", "SETUSER", "u", "on", ">p", "~k*", "&c", "+get", "(~x* +set)");
        String r = s(admin.execute("ACL", "GETUSER", "u"));
        assertEquals("%[$\"flags\", ~[$\"on\"], $\"passwords\", [$\"" + io.redjar.internal.acl.AclTestAccess.sha256("p")
            + "\"], $\"commands\", $\"-@all +get\", $\"keys\", $\"~k*\", $\"channels\", $\"&c\", $\"selectors\", "
            + "[%[$\"commands\", $\"-@all +set\", $\"keys\", $\"~x*\", $\"channels\", $\"\"]]]", r);
        assertTrue(admin.execute("ACL", "GETUSER", "nobody") instanceof Reply.Null);
    }

    @Test
    void multiChecksAtQueueTimeAndAtExec() {
        ok("ACL", "SETUSER", "u", "on", "nopass", "~*", "+@all");
        Session u = as("u", "x");
        assertEquals("+OK", s(u.execute("MULTI")));
        assertEquals("+QUEUED", s(u.execute("SET", "k", "v")));
        ok("ACL", "SETUSER", "u", "-set");
        assertEquals("[-NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. "
            + "This command is no longer allowed for the following reason: no permission to execute the command or subcommand]",
            s(u.execute("EXEC")));
        assertEquals("+OK", s(u.execute("MULTI")));
        assertEquals("-NOPERM this user has no permissions to run the 'set' command", s(u.execute("SET", "k", "v")));
        assertTrue(s(u.execute("EXEC")).startsWith("-EXECABORT"));
        assertTrue(s(admin.execute("ACL", "LOG", "1")).contains("$\"multi\""));
    }

    @Test
    void scriptsRunAsTheCaller() {
        ok("ACL", "SETUSER", "u", "on", "nopass", "~*", "+@all", "-incr");
        Session u = as("u", "x");
        Reply r = u.execute("EVAL", "return redis.call('incr','foo')", "0");
        assertTrue(s(r).startsWith("-ERR The user executing the script can't run this command or subcommand"), s(r));
        Reply p = u.execute("EVAL", "return redis.pcall('incr','foo')['err']", "0");
        assertTrue(s(p).contains("The user executing the script can't run this command or subcommand"), s(p));
        String log = s(admin.execute("ACL", "LOG", "1"));
        assertTrue(log.contains("$\"lua\"") && log.contains("$\"incr\""), log);
    }

    @Test
    void aclCheckCmdInScripts() {
        ok("ACL", "SETUSER", "bob", "on", ">123", "+@scripting", "+set", "~x*");
        Session bob = as("bob", "123");
        assertEquals(":1", s(bob.execute("EVAL", "return redis.acl_check_cmd('set','xx',1)", "1", "xx")));
        assertTrue(bob.execute("EVAL", "return redis.acl_check_cmd('hset','xx','f',1)", "1", "xx") instanceof Reply.Null);
        assertTrue(bob.execute("EVAL", "return redis.acl_check_cmd('set','yy',1)", "0") instanceof Reply.Null);
        assertTrue(s(bob.execute("EVAL", "return redis.acl_check_cmd('invalid-cmd','arg')", "0"))
            .startsWith("-ERR Invalid command passed to redis.acl_check_cmd()"));
    }

    @Test
    void logGroupsAndResets() {
        ok("ACL", "SETUSER", "u", "on", "nopass", "~*", "-@all");
        Session u = as("u", "x");
        u.execute("GET", "a");
        u.execute("GET", "a");
        assertThrows(RedJarException.class, () -> as("u2", "x"));
        String log = s(admin.execute("ACL", "LOG"));
        assertTrue(log.startsWith("[%[$\"count\", :1, $\"reason\", $\"auth\", $\"context\", $\"toplevel\", $\"object\", $\"AUTH\", "
            + "$\"username\", $\"u2\", $\"age-seconds\", "), log);
        assertTrue(log.contains("%[$\"count\", :2, $\"reason\", $\"command\", $\"context\", $\"toplevel\", $\"object\", $\"get\", "
            + "$\"username\", $\"u\""), log);
        ok("ACL", "LOG", "RESET");
        assertEquals("[]", s(admin.execute("ACL", "LOG")));
    }

    @Test
    void deluserAndWhoami() {
        ok("ACL", "SETUSER", "u", "on", "nopass", "+@all");
        assertEquals("$\"u\"", s(as("u", "x").execute("ACL", "WHOAMI")));
        assertEquals("$\"default\"", s(admin.execute("ACL", "WHOAMI")));
        assertEquals(":1", s(admin.execute("ACL", "DELUSER", "u", "nobody")));
        assertEquals("-ERR The 'default' user cannot be removed", s(admin.execute("ACL", "DELUSER", "default")));
    }

    @Test
    void requirepassIsTheDefaultUsersPassword() {
        ok("CONFIG", "SET", "requirepass", "secret");
        assertEquals("user default on #" + io.redjar.internal.acl.AclTestAccess.sha256("secret") + " ~* &* +@all",
            "user default " + list("default"));
        assertEquals("-WRONGPASS invalid username-password pair or user is disabled.", s(admin.execute("AUTH", "nope")));
        ok("AUTH", "secret");
        ok("CONFIG", "SET", "requirepass", "");
        assertEquals("on nopass ~* &* +@all", list("default"));
        assertEquals("-ERR AUTH <password> called without any password configured for the default user. Are you sure your "
            + "configuration is correct?", s(admin.execute("AUTH", "x")));
    }

    @Test
    void dryrunAndCatAndGenpass() {
        ok("ACL", "SETUSER", "u", "on", "+get", "~a*", "&c");
        assertEquals("+OK", s(admin.execute("ACL", "DRYRUN", "u", "GET", "a1")));
        assertEquals("$\"This user has no permissions to access the 'b1' key\"", s(admin.execute("ACL", "DRYRUN", "u", "GET", "b1")));
        assertEquals("$\"This user has no permissions to run the 'set' command\"", s(admin.execute("ACL", "DRYRUN", "u", "SET", "a", "b")));
        assertEquals("-ERR User 'x' not found", s(admin.execute("ACL", "DRYRUN", "x", "GET", "a")));
        assertEquals("-ERR Command 'nosuch' not found", s(admin.execute("ACL", "DRYRUN", "u", "nosuch")));
        assertEquals("-ERR wrong number of arguments for 'get' command", s(admin.execute("ACL", "DRYRUN", "u", "get")));
        assertTrue(s(admin.execute("ACL", "CAT")).startsWith("[$\"keyspace\", $\"read\", $\"write\""));
        assertEquals("-ERR Unknown category 'nope'", s(admin.execute("ACL", "CAT", "nope")));
        assertEquals(64, ((Reply.Bulk) admin.execute("ACL", "GENPASS")).value().length);
        assertEquals(2, ((Reply.Bulk) admin.execute("ACL", "GENPASS", "5")).value().length);
    }

    @Test
    void aclFileRoundTrip(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("users.acl");
        Files.writeString(f, "");
        try (Store st = Store.builder().config("aclfile", f.toString()).open()) {
            Session a = st.newSession();
            assertEquals("+OK", s(a.execute("ACL", "SETUSER", "u", "on", ">p", "~k*", "%R~r*", "&c*", "-@all", "+@read", "(+set ~w*)")));
            List<Reply> before = ((Reply.ArrayReply) a.execute("ACL", "LIST")).elements();
            assertEquals("+OK", s(a.execute("ACL", "SAVE")));
            assertEquals(":1", s(a.execute("ACL", "DELUSER", "u")));
            assertEquals("+OK", s(a.execute("ACL", "LOAD")));
            assertEquals(before, ((Reply.ArrayReply) a.execute("ACL", "LIST")).elements());
            Files.writeString(f, "user x on +nosuch\nnot a user\n");
            Reply bad = a.execute("ACL", "LOAD");
            assertTrue(s(bad).contains(":1: Unknown command or category name in ACL.") && s(bad).contains(":2 should start with user keyword."), s(bad));
            assertEquals(before, ((Reply.ArrayReply) a.execute("ACL", "LIST")).elements());
            assertEquals("+OK", s(a.execute("ACL", "SAVE")));
        }
        // a store started with the file has its users
        try (Store st = Store.builder().config("aclfile", f.toString()).open()) {
            Session u = st.newSession("u", "p");
            assertTrue(u.execute("GET", "k1") instanceof Reply.Null);
            assertEquals("-NOPERM this user has no permissions to run the 'acl|whoami' command", s(u.execute("ACL", "WHOAMI")));
        }
        Files.writeString(f, "user x on +nosuch\n");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
            () -> Store.builder().config("aclfile", f.toString()).open());
        assertTrue(bad.getMessage().contains("Unknown command or category name in ACL"), bad.getMessage());
        assertEquals("-ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the "
            + "ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order "
            + "to store users in the Redis configuration.", s(admin.execute("ACL", "SAVE")));
    }

    @Test
    void embeddedSessionAsUser() {
        ok("ACL", "SETUSER", "reader", "on", ">secret", "~*", "+@read");
        Session s = store.newSession("reader", "secret");
        NoPermissionException e = assertThrows(NoPermissionException.class, () -> NoPermissionException.check(s.execute("SET", "k", "v")));
        assertEquals("NOPERM this user has no permissions to run the 'set' command", e.getMessage());
        assertTrue(NoPermissionException.check(s.execute("GET", "k")) instanceof Reply.Null);
    }
}
