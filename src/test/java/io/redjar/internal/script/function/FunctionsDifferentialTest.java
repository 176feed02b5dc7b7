package io.redjar.internal.script.function;

import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RedisServerProcess;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Step;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * FUNCTION and FCALL compared with redis-server, RESP2 and RESP3, replies compared exactly:
 * metadata and name errors of FUNCTION LOAD, argument errors of every subcommand, the empty
 * registry's LIST, STATS and DUMP (byte for byte), RESTORE's payload errors, FCALL's errors.
 */
@RequiresRedis
class FunctionsDifferentialTest {

    static List<Step> registryOnlySteps() {
        List<Step> s = new ArrayList<>();
        add(s, "FUNCTION", "FLUSH");
        // metadata (functionExtractLibMetaData) and names
        add(s, "FUNCTION", "LOAD", "x");
        add(s, "FUNCTION", "LOAD", "");
        add(s, "FUNCTION", "LOAD", "#");
        add(s, "FUNCTION", "LOAD", "#!lua");
        add(s, "FUNCTION", "LOAD", "#!lua name=x");
        add(s, "FUNCTION", "LOAD", "#!lua\n");
        add(s, "FUNCTION", "LOAD", "#!lua name=a name=b\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!lua NAME=a NAME=b\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!lua foo=bar name=a\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!lua name=a foo\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!lua \"name=a\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!lua name=\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!lua name=a-b\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!lua name=\"a b\"\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!nosuch name=a\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#! name=a\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!   \nreturn 1");
        add(s, "FUNCTION", "LOAD", "REPLACE", "x");
        add(s, "FUNCTION", "LOAD", "replace", "replace", "x");
        add(s, "FUNCTION", "LOAD", "BOGUS", "x");
        add(s, "FUNCTION", "LOAD", "REPLACE");
        add(s, "FUNCTION", "LOAD");
        // DELETE, LIST, FLUSH, DUMP, STATS, KILL, HELP on an empty registry
        add(s, "FUNCTION", "DELETE", "nolib");
        add(s, "FUNCTION", "DELETE");
        add(s, "FUNCTION", "DELETE", "a", "b");
        add(s, "FUNCTION", "LIST");
        add(s, "FUNCTION", "LIST", "WITHCODE");
        add(s, "FUNCTION", "LIST", "withcode", "LIBRARYNAME", "x*");
        add(s, "FUNCTION", "LIST", "WITHCODE", "WITHCODE");
        add(s, "FUNCTION", "LIST", "LIBRARYNAME");
        add(s, "FUNCTION", "LIST", "LIBRARYNAME", "a", "LIBRARYNAME", "b");
        add(s, "FUNCTION", "LIST", "bogus");
        add(s, "FUNCTION", "FLUSH", "SYNC");
        add(s, "FUNCTION", "FLUSH", "async");
        add(s, "FUNCTION", "FLUSH", "lazy");
        add(s, "FUNCTION", "FLUSH", "SYNC", "ASYNC");
        add(s, "FUNCTION", "DUMP");
        add(s, "FUNCTION", "DUMP", "x");
        add(s, "FUNCTION", "STATS");
        add(s, "FUNCTION", "STATS", "x");
        add(s, "FUNCTION", "KILL");
        add(s, "FUNCTION", "HELP");
        add(s, "FUNCTION", "help", "x");
        add(s, "FUNCTION", "nosuch");
        add(s, "FUNCTION");
        // RESTORE: policy, version and checksum, payload contents
        add(s, "FUNCTION", "RESTORE");
        add(s, "FUNCTION", "RESTORE", "x");
        add(s, "FUNCTION", "RESTORE", "x", "BOGUS");
        add(s, "FUNCTION", "RESTORE", "x", "FLUSH", "y");
        add(s, "FUNCTION", "RESTORE", "0123456789");
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[0], 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[0], 10), "flush"));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[0], 10), "append"));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[0], 10), "REPLACE"));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[0], 9)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[0], 11)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {0, 1, 'a'}, 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {(byte) 245}, 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {(byte) 245, 3, 'a', 'b'}, 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {(byte) 245, 1, 'x'}, 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {(byte) 245, 14, '#', '!', 'n', 'o', ' ', 'n', 'a', 'm', 'e', '=', 'a', '\n', 'x', 'y'}, 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {(byte) 246, 1, 'a'}, 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {(byte) 246, 1, 'a', 2, 'n', 'o', 0, 1, 'x'}, 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {(byte) 246, 1, 'a', 2, 'n', 'o', 1}, 10)));
        add(s, "FUNCTION", "LIST");
        // FCALL / FCALL_RO errors
        add(s, "FCALL", "nosuch", "0");
        add(s, "FCALL_RO", "nosuch", "0");
        add(s, "FCALL", "nosuch", "x");
        add(s, "FCALL", "nosuch");
        add(s, "FCALL_RO");
        return s;
    }

    /** A payload with {@code body}, RDB version {@code version} and a correct checksum. */
    static byte[] payload(byte[] body, int version) {
        byte[] p = new byte[body.length + 10];
        System.arraycopy(body, 0, p, 0, body.length);
        p[body.length] = (byte) version;
        p[body.length + 1] = 0;
        long crc = io.redjar.internal.persistence.rdb.Crc64.update(0, p, 0, body.length + 2);
        for (int i = 0; i < 8; i++) {
            p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }

    private static void add(List<Step> s, String... argv) {
        s.add(Step.of((Object[]) argv));
    }

    @Test
    void registryResp3(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            session.protocol(3);
            new DifferentialRunner(redis, session::execute).run(registryOnlySteps());
        }
    }

    @Test
    void registryResp2(RedisServerProcess server) {
        try (Store store = Store.open(); RespClient redis = server.connect(false)) {
            redis.call("FUNCTION", "FLUSH");
            Session session = store.newSession();
            new DifferentialRunner(redis, argv -> Resp2.downgrade(session.execute(argv))).run(registryOnlySteps());
        }
    }
}
