package io.redjar.resp;

import io.redjar.Store;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerOptionsTest {

    @Test
    void maxclientsRejectsWithRedisError() throws Exception {
        try (RedJarServer s = RedJarServer.start(ServerOptions.defaults().port(0).maxclients(2))) {
            List<RawConn> conns = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    conns.add(new RawConn(s.port()));
                }
                int rejected = 0;
                for (RawConn c : conns) {
                    c.send("PING\r\n");
                    String r = c.readReplyString();
                    if (r.equals("-ERR max number of clients reached\r\n")) {
                        rejected++;
                        assertTrue(c.closedWithin(2000));
                    } else {
                        assertEquals("+PONG\r\n", r);
                    }
                }
                assertEquals(1, rejected);
            } finally {
                for (RawConn c : conns) {
                    c.close();
                }
            }
        }
    }

    /** io-threads sets the event-loop threads; CONFIG GET reports it and CONFIG SET refuses it (immutable, as Redis). */
    @Test
    void ioThreads() throws Exception {
        ServerOptions o = ServerOptions.parseArgs("--port", "0", "--io-threads", "1");
        assertEquals(1, o.ioThreads());
        try (RedJarServer s = RedJarServer.start(o); RawConn c = new RawConn(s.port())) {
            c.send("CONFIG GET io-threads\r\nCONFIG SET io-threads 2\r\n");
            assertEquals("*2\r\n$10\r\nio-threads\r\n$1\r\n1\r\n", c.readReplyString());
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'io-threads') - can't set immutable config\r\n", c.readReplyString());
        }
        try (RedJarServer s = RedJarServer.start(ServerOptions.defaults().port(0)); RawConn c = new RawConn(s.port())) {
            c.send("CONFIG GET io-threads\r\n");
            String n = Integer.toString(2 * Runtime.getRuntime().availableProcessors());
            assertEquals("*2\r\n$10\r\nio-threads\r\n$" + n.length() + "\r\n" + n + "\r\n", c.readReplyString());
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().ioThreads(-1));
    }

    @Test
    void requirepassAndAuth() throws Exception {
        try (RedJarServer s = RedJarServer.start(ServerOptions.defaults().port(0).requirepass("pw"));
             RawConn c = new RawConn(s.port())) {
            c.send("GET a\r\nAUTH nope\r\nAUTH default nope\r\nHELLO 3\r\n*11\r\n");
            assertEquals("-NOAUTH Authentication required.\r\n", c.readReplyString());
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", c.readReplyString());
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", c.readReplyString());
            assertTrue(c.readReplyString().startsWith("-NOAUTH HELLO must be called"));
            assertEquals("-ERR Protocol error: unauthenticated multibulk length\r\n", c.readReplyString());
            assertTrue(c.closedWithin(2000));
        }
        try (RedJarServer s = RedJarServer.start(ServerOptions.defaults().port(0).requirepass("pw"));
             RawConn c = new RawConn(s.port())) {
            c.send("HELLO 3 AUTH default pw SETNAME me\r\nSET a 1\r\nCLIENT GETNAME\r\nRESET\r\nGET a\r\nAUTH pw\r\nGET a\r\n");
            assertTrue(c.readReplyString().startsWith("%7\r\n"));
            assertEquals("+OK\r\n", c.readReplyString());
            assertEquals("$2\r\nme\r\n", c.readReplyString());
            assertEquals("+RESET\r\n", c.readReplyString());
            assertEquals("-NOAUTH Authentication required.\r\n", c.readReplyString());
            assertEquals("+OK\r\n", c.readReplyString());
            assertEquals("$1\r\n1\r\n", c.readReplyString());
        }
    }

    @Test
    void clientReplyOffAndSkip() throws Exception {
        try (Store store = Store.open(); RedJarServer s = RedJarServer.start(store, 0); RawConn c = new RawConn(s.port())) {
            c.send("CLIENT REPLY OFF\r\nPING\r\nCLIENT REPLY SKIP\r\nPING\r\nCLIENT REPLY ON\r\nCLIENT REPLY SKIP\r\nECHO skipped\r\nECHO shown\r\n");
            assertEquals("+OK\r\n", c.readReplyString());
            assertEquals("$5\r\nshown\r\n", c.readReplyString());
        }
    }

    @Test
    void configFileThenFlags() throws Exception {
        Path f = Files.createTempFile("redjar", ".conf");
        Files.writeString(f, "# test\nport 7000\nbind 127.0.0.1 ::1\nrequirepass \"secret\"\ndatabases 4\nmaxclients 9\n");
        ServerOptions o = ServerOptions.parseArgs(f.toString(), "--port", "7001", "--maxclients", "10");
        assertEquals(7001, o.port());
        assertEquals("127.0.0.1", o.bind());
        assertEquals("secret", o.requirepass());
        assertEquals(4, o.databases());
        assertEquals(10, o.maxclients());
        Files.delete(f);
    }
}
