package io.redjar.resp;

import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;

import static io.redjar.resp.RawConn.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ACL over connections: AUTH and HELLO AUTH as users, CLIENT LIST's {@code user=} and CLIENT KILL
 * USER, clients of a deleted user disconnected, subscribers disconnected when their channels are
 * revoked (and kept when the new rules still allow them), {@code requirepass} and NOAUTH.
 */
@RedJarTest
class AclWireTest {
    @Test
    void authAsUserShowsInClientListAndDeluserDisconnects(@RedJarPort int port) throws Exception {
        try (RawConn admin = new RawConn(port); RawConn u = new RawConn(port)) {
            assertEquals("+OK\r\n", call(admin, "ACL", "SETUSER", "wu", "on", ">pw", "~*", "+@all"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", call(u, "AUTH", "wu", "bad"));
            assertEquals("+OK\r\n", call(u, "AUTH", "wu", "pw"));
            assertEquals("$2\r\nwu\r\n", call(u, "ACL", "WHOAMI"));
            assertTrue(call(admin, "CLIENT", "LIST").contains(" user=wu "));
            assertEquals(":1\r\n", call(admin, "ACL", "DELUSER", "wu"));
            assertTrue(u.closedWithin(2000), "a deleted user's client is disconnected");
        }
    }

    @Test
    void helloAuthAndClientKillUser(@RedJarPort int port) throws Exception {
        try (RawConn admin = new RawConn(port); RawConn u = new RawConn(port)) {
            assertEquals("+OK\r\n", call(admin, "ACL", "SETUSER", "hu", "on", ">pw", "~*", "+@all"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", call(u, "HELLO", "2", "AUTH", "hu", "x"));
            assertTrue(call(u, "HELLO", "2", "AUTH", "hu", "pw").startsWith("*"));
            assertEquals("$2\r\nhu\r\n", call(u, "ACL", "WHOAMI"));
            assertEquals("-ERR No such user 'nobody'\r\n", call(admin, "CLIENT", "KILL", "USER", "nobody"));
            assertEquals(":1\r\n", call(admin, "CLIENT", "KILL", "USER", "hu"));
            assertTrue(u.closedWithin(2000));
            assertEquals(":1\r\n", call(admin, "ACL", "DELUSER", "hu"));
        }
    }

    @Test
    void revokedChannelsDisconnectSubscribers(@RedJarPort int port) throws Exception {
        try (RawConn admin = new RawConn(port); RawConn sub = new RawConn(port)) {
            assertEquals("+OK\r\n", call(admin, "ACL", "SETUSER", "su", "on", ">pw", "~*", "+@all", "&news.*", "&sport"));
            assertEquals("+OK\r\n", call(sub, "AUTH", "su", "pw"));
            assertEquals("-NOPERM this user has no permissions to access one of the channels used as arguments\r\n",
                call(sub, "SUBSCRIBE", "other"));
            assertTrue(call(sub, "SUBSCRIBE", "news.1").contains("subscribe"));
            // a superset: the subscriber stays
            assertEquals("+OK\r\n", call(admin, "ACL", "SETUSER", "su", "&weather"));
            assertFalse(sub.closedWithin(200));
            // news.* revoked: the subscriber goes
            assertEquals("+OK\r\n", call(admin, "ACL", "SETUSER", "su", "resetchannels", "&sport"));
            assertTrue(sub.closedWithin(2000), "a subscriber whose channel was revoked is disconnected");
            assertEquals(":1\r\n", call(admin, "ACL", "DELUSER", "su"));
        }
    }

    @Test
    void aclLoadDisconnectsTheClientsOfReplacedUsers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("users.acl");
        java.nio.file.Files.writeString(file, "user lu on >pw ~* &* +@all\n");
        try (RedJarServer server = RedJarServer.start(ServerOptions.defaults().port(0).set("aclfile", file.toString()));
             RawConn admin = new RawConn(server.port()); RawConn u = new RawConn(server.port()); RawConn d = new RawConn(server.port())) {
            assertEquals("+OK\r\n", call(u, "AUTH", "lu", "pw"));
            assertEquals("+OK\r\n", call(admin, "ACL", "LOAD"));
            assertTrue(u.closedWithin(2000), "a client of a user replaced by ACL LOAD is disconnected");
            assertEquals("+PONG\r\n", call(d, "PING"));
            assertFalse(d.closedWithin(200), "default user's clients stay");
            try (RawConn again = new RawConn(server.port())) {
                assertEquals("+OK\r\n", call(again, "AUTH", "lu", "pw"), "the reloaded user is there");
            }
        }
    }

    @Test
    void requirepassMakesNewConnectionsAuthenticate(@RedJarPort int port) throws Exception {
        try (RawConn admin = new RawConn(port)) {
            assertEquals("+OK\r\n", call(admin, "CONFIG", "SET", "requirepass", "pw"));
            try (RawConn c = new RawConn(port)) {
                assertEquals("-NOAUTH Authentication required.\r\n", call(c, "GET", "k"));
                assertEquals("+OK\r\n", call(c, "AUTH", "pw"));
                assertEquals("$7\r\ndefault\r\n", call(c, "ACL", "WHOAMI"));
            } finally {
                assertEquals("+OK\r\n", call(admin, "CONFIG", "SET", "requirepass", ""));
            }
        }
    }
}
