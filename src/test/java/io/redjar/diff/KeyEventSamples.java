package io.redjar.diff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sample command sequences whose keyspace events RedJar must report exactly as Redis 7.0 notifies
 * them: at least one per write command (the table is keyed by the command whose events it
 * exercises; {@code KeyspaceEventsTest} fails when a command with the write flag has none, so a new
 * write command cannot arrive without its events being checked). Run by
 * {@link KeyspaceEventsDifferentialTest}.
 *
 * <p>A step is a command line split on spaces ({@code <empty>} stands for an empty argument), or
 * a directive understood by the runner: {@code @ADVANCE ms} (RedJar: move the manual clock;
 * redis-server: let that much time pass), {@code @BLOCK cmd...} (run a blocking command on a
 * second connection and wait until it is blocked), {@code @AWAIT} (wait for that command's reply).
 * Every sample starts on an empty data set in database 0.
 */
final class KeyEventSamples {
    private static final Map<String, List<List<String>>> SAMPLES = new LinkedHashMap<>();

    private KeyEventSamples() {
    }

    /**
     * A DUMP payload of a short string ("v" and a number) whose checksum bytes are all printable
     * and not spaces, so that it travels inside a sample step (split on spaces, sent as UTF-8)
     * and as a String argument: the first such value of "v0", "v1", ...
     */
    static final String ASCII_PAYLOAD = asciiPayload();

    private static String asciiPayload() {
        for (int i = 0; ; i++) {
            byte[] v = ("v" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] p = new byte[2 + v.length + 10];
            p[0] = 0; // RDB_TYPE_STRING
            p[1] = (byte) v.length;
            System.arraycopy(v, 0, p, 2, v.length);
            p[2 + v.length] = 10; // RDB version 10, little endian
            long crc = io.redjar.internal.persistence.rdb.Crc64.update(0, p, 0, p.length - 8);
            boolean ascii = true;
            for (int b = 0; b < 8; b++) {
                int x = (int) (crc >>> (8 * b)) & 0xFF;
                ascii &= x > 0x20 && x < 0x7F;
                p[p.length - 8 + b] = (byte) x;
            }
            if (ascii) {
                return new String(p, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
        }
    }

    private static void sample(String command, String... steps) {
        SAMPLES.computeIfAbsent(command, k -> new ArrayList<>()).add(List.of(steps));
    }

    /** @return command name (lower case) to its samples */
    static Map<String, List<List<String>>> all() {
        return Collections.unmodifiableMap(SAMPLES);
    }

    static {
        // ---- strings
        sample("set", "SET a 1", "SET a 2 XX", "SET b 1 NX", "SET b 2 NX", "SET x 1 XX", "SET c 1 EX 100",
            "SET c 2 KEEPTTL", "SET c 3 GET", "SET c 4 PX 100000 GET", "SET d 1 PXAT 1", "EXISTS d", "LPUSH l x", "SET l 1 GET",
            "SET l 1", "TYPE l");
        sample("setnx", "SETNX a 1", "SETNX a 2");
        sample("setex", "SETEX a 100 v", "SETEX a 0 v", "SETEX a 200 w");
        sample("psetex", "PSETEX a 100000 v", "PSETEX b -1 v");
        sample("setrange", "SETRANGE a 0 xyz", "SETRANGE a 1 b", "SETRANGE a 0 <empty>", "SETRANGE n 0 <empty>", "SETRANGE n 3 z");
        sample("setbit", "SETBIT b 7 1", "SETBIT b 7 1", "SETBIT b 7 0", "SETBIT b 100 0", "SETBIT b 3 0", "SET n 1 EX 100",
            "SETBIT n 0 1", "TTL n", "LPUSH l a", "SETBIT l 0 1");
        sample("bitop", "SET a x", "BITOP NOT d a", "BITOP AND d a nothing", "BITOP OR d none none2", "SET e 1 EX 100",
            "BITOP XOR e a a", "TTL e", "BITOP AND a none");
        sample("bitfield", "BITFIELD f SET u8 0 255", "BITFIELD f SET u8 0 255", "BITFIELD f GET u8 0 INCRBY u8 0 1",
            "BITFIELD g OVERFLOW FAIL INCRBY u2 0 9", "EXISTS g", "BITFIELD g SET u4 #3 1 INCRBY u4 #3 1", "BITFIELD h GET u8 0");
        sample("append", "SET s a", "APPEND s b", "APPEND s2 x", "LPUSH l a", "APPEND l x");
        // ---- hyperloglog
        sample("pfadd", "PFADD h a b c", "PFADD h a", "PFADD h2", "PFADD h2", "SET s x", "PFADD s a", "PFCOUNT h", "PFADD h d");
        sample("pfmerge", "PFADD a x y", "PFADD b z", "PFMERGE d a b", "PFMERGE d", "PFMERGE e", "SET s x", "PFMERGE s a");
        sample("pfdebug", "PFADD h a b", "PFDEBUG TODENSE h", "PFDEBUG TODENSE h", "PFDEBUG ENCODING h", "PFDEBUG GETREG nokey");
        sample("incr", "INCR c", "INCR c", "SET s x", "INCR s");
        sample("decr", "DECR c", "SET c 5", "DECR c");
        sample("incrby", "INCRBY c 7", "INCRBY c -2", "SET c 1 EX 100", "INCRBY c 1", "TTL c");
        sample("decrby", "DECRBY c 3", "DECRBY c 3");
        sample("incrbyfloat", "INCRBYFLOAT f 1.5", "INCRBYFLOAT f 2", "SET s x", "INCRBYFLOAT s 1");
        sample("getset", "GETSET a 1", "GETSET a 2", "SET c 1 EX 100", "GETSET c 3");
        sample("getdel", "SET a 1", "GETDEL a", "GETDEL a", "RPUSH l a", "GETDEL l");
        sample("getex", "SET a 1", "GETEX a", "GETEX a EX 100", "GETEX a PERSIST", "GETEX a PERSIST", "GETEX a PX 100000",
            "GETEX a PXAT 1", "GETEX a EX 10", "SET b 1", "GETEX b EXAT 1");
        sample("mset", "MSET a 1 b 2 a 3", "MSET b 4");
        sample("msetnx", "MSETNX a 1 b 2", "MSETNX a 1 c 3", "MSETNX c 3 d 4");

        // ---- generic keys and expiry
        sample("del", "SET a 1", "SET b 2", "RPUSH l x", "DEL a b nokey a l");
        sample("unlink", "SET a 1", "SADD s x", "UNLINK a nokey s");
        sample("expire", "SET a 1", "EXPIRE a 100", "EXPIRE a 100 NX", "EXPIRE a 200 XX", "EXPIRE a 50 GT", "EXPIRE a 50 LT",
            "EXPIRE nokey 10", "EXPIRE a -1", "EXISTS a");
        sample("pexpire", "SET a 1", "PEXPIRE a 100000", "PEXPIRE a 0", "EXISTS a");
        sample("expireat", "SET a 1", "EXPIREAT a 4000000000", "EXPIREAT a 1", "EXISTS a");
        sample("pexpireat", "SET a 1", "PEXPIREAT a 4000000000000", "PEXPIREAT a 1", "EXISTS a", "PEXPIREAT nokey 1");
        sample("persist", "SET a 1 EX 100", "PERSIST a", "PERSIST a", "PERSIST nokey");
        sample("rename", "SET a 1 EX 100", "RENAME a b", "SET c 2", "RENAME b c", "RENAME c c", "RENAME nokey x", "TTL c");
        // MIGRATE's refusals (no target listens on port 1): nothing moves, no event
        sample("migrate", "SET a 1", "MIGRATE 127.0.0.1 1 a 0 100", "MIGRATE 127.0.0.1 1 nokey 0 100",
            "MIGRATE 127.0.0.1 1 a 0 100 KEYS a");
        sample("renamenx", "SET a 1", "SET b 2", "RENAMENX a b", "RENAMENX a c", "RENAMENX c c");
        sample("copy", "SET a 1", "COPY a b", "COPY a b", "COPY a b REPLACE", "COPY a b DB 1", "COPY a b DB 1", "RPUSH l x",
            "COPY l b REPLACE", "COPY nokey z");
        // RESTORE's refusals, and its successes with a payload that survives the step format
        sample("restore", "SET a 1", "RESTORE a 0 bad", "RESTORE b 0 bad", "RESTORE b -1 bad", "RESTORE b 0 bad IDLETIME -1",
            "RESTORE b 0 bad FREQ 256", "RESTORE b 0 bad NOPE", "DEL a");
        sample("restore", "SET a 1", "RESTORE b 0 " + ASCII_PAYLOAD, "RESTORE b 0 " + ASCII_PAYLOAD,
            "RESTORE b 0 " + ASCII_PAYLOAD + " REPLACE", "RESTORE a 100000 " + ASCII_PAYLOAD + " REPLACE",
            "RESTORE a 1 " + ASCII_PAYLOAD + " REPLACE ABSTTL", "RESTORE c 1 " + ASCII_PAYLOAD + " ABSTTL",
            "RESTORE d 0 " + ASCII_PAYLOAD + " IDLETIME 10", "GET d");
        sample("move", "SET a 1", "MOVE a 1", "SET a 2", "MOVE a 1", "SELECT 1", "MOVE a 0", "MOVE a 2", "MOVE nokey 0");
        sample("flushdb", "SET a 1", "SELECT 1", "SET b 1", "FLUSHDB", "SELECT 0", "GET a", "FLUSHDB", "SET c 1");
        sample("flushall", "SET a 1", "SELECT 2", "SET b 1", "FLUSHALL", "SET c 1");
        sample("swapdb", "SET a 1", "SWAPDB 0 1", "GET a", "SELECT 1", "DEL a", "SWAPDB 1 1");
        // lazy expiry: a key whose time ran out is removed by the next access ("expired")
        sample("set", "SET a 1 PX 1", "SET b 1 PX 1", "SET c 1 PX 1", "RPUSH l x", "PEXPIRE l 1",
            "@ADVANCE 20", "GET a", "DEL b", "SET c 2", "TTL c", "LPUSH l y");
        // SCAN reclaims the expired keys it meets (one here: the order of several is the table's)
        sample("set", "SET d 1 PX 1", "SET e 1", "@ADVANCE 20", "SCAN 0", "SET d 2");

        // ---- lists
        sample("lpush", "LPUSHX l a", "LPUSH l a b", "LPUSH l c", "SET s x", "LPUSH s a");
        sample("rpush", "RPUSH l a b", "RPUSH l c");
        sample("lpushx", "LPUSHX l a", "RPUSH l a", "LPUSHX l b c");
        sample("rpushx", "RPUSHX l a", "RPUSH l a", "RPUSHX l b c");
        sample("lpop", "RPUSH l a b c", "LPOP l", "LPOP l 0", "LPOP l 5", "LPOP l", "LPOP nokey 2", "RPUSH m a", "LPOP m");
        sample("rpop", "RPUSH l a b c", "RPOP l", "RPOP l 1", "RPOP l 1", "RPOP l");
        sample("lmpop", "RPUSH l a b c", "LMPOP 2 nokey l LEFT COUNT 2", "LMPOP 1 l RIGHT", "LMPOP 1 l RIGHT");
        sample("lmove", "RPUSH l a b c", "LMOVE l m LEFT RIGHT", "LMOVE l l LEFT RIGHT", "LMOVE l m RIGHT LEFT",
            "LMOVE l m LEFT LEFT", "LMOVE l m LEFT LEFT", "RPUSH one x", "LMOVE one one LEFT RIGHT", "SET s x", "LMOVE one s LEFT LEFT");
        sample("rpoplpush", "RPUSH l a b", "RPOPLPUSH l l", "RPOPLPUSH l m", "RPOPLPUSH l m", "RPOPLPUSH l m");
        sample("lset", "RPUSH l a", "LSET l 0 b", "LSET l 5 c", "LSET nokey 0 x");
        sample("linsert", "RPUSH l a", "LINSERT l BEFORE a x", "LINSERT l AFTER nope y", "LINSERT nokey BEFORE a b");
        sample("lrem", "RPUSH l a b a", "LREM l 1 a", "LREM l 0 zz", "LREM l 0 a", "LREM l 0 b");
        sample("ltrim", "RPUSH l a b c", "LTRIM l 0 -1", "LTRIM l 1 -1", "LTRIM l 5 10", "LTRIM nokey 0 1");
        sample("sort", "RPUSH l 3 1 2", "SORT l STORE d", "SORT l STORE d", "SORT nokey STORE d", "SORT nokey STORE d",
            "SORT l LIMIT 0 0 STORE l");

        // ---- blocking pops: served at once, and served by a later push
        sample("blpop", "RPUSH l a", "BLPOP l 0", "@BLOCK BLPOP l 0", "LPUSH l x", "@AWAIT",
            "@BLOCK BLPOP l2 0", "RPUSH l2 a b", "@AWAIT");
        sample("brpop", "RPUSH l a b", "BRPOP l 0", "@BLOCK BRPOP nokey l2 0", "RPUSH l2 a", "@AWAIT");
        sample("blmove", "@BLOCK BLMOVE src dst LEFT RIGHT 0", "RPUSH src a", "@AWAIT", "RPUSH src b c",
            "BLMOVE src dst RIGHT LEFT 0", "BLMOVE src src LEFT RIGHT 0");
        sample("brpoplpush", "@BLOCK BRPOPLPUSH src dst 0", "LPUSH src a b", "@AWAIT", "BRPOPLPUSH src dst 0");
        sample("blmpop", "@BLOCK BLMPOP 0 2 a b LEFT COUNT 3", "RPUSH b x y", "@AWAIT", "RPUSH a 1 2 3",
            "BLMPOP 0 1 a RIGHT COUNT 2");
        sample("bzpopmin", "@BLOCK BZPOPMIN z 0", "ZADD z 1 a 2 b", "@AWAIT", "BZPOPMIN z 0");
        sample("bzpopmax", "ZADD z 1 a 2 b", "BZPOPMAX z 0", "@BLOCK BZPOPMAX y z2 0", "ZADD z2 5 q", "@AWAIT");
        sample("bzmpop", "@BLOCK BZMPOP 0 1 z MIN COUNT 5", "ZADD z 1 a 2 b", "@AWAIT", "ZADD z 1 a 2 b 3 c",
            "BZMPOP 0 1 z MAX COUNT 2");

        // ---- hashes
        sample("hset", "HSET h f v", "HSET h f w g x", "SET s x", "HSET s f v");
        sample("hmset", "HMSET h f v g w", "HMSET h f v");
        sample("hsetnx", "HSETNX h f v", "HSETNX h f w", "HSETNX h g w");
        sample("hdel", "HSET h f v g w", "HDEL h nope", "HDEL h f", "HDEL h g f", "HDEL nokey f");
        sample("hincrby", "HINCRBY h n 5", "HINCRBY h n -1", "HSET h s x", "HINCRBY h s 1");
        sample("hincrbyfloat", "HINCRBYFLOAT h n 1.5", "HINCRBYFLOAT h n 2");

        // ---- streams
        sample("xadd", "XADD s 1-1 f v", "XADD s 1-2 f v g w", "XADD s MAXLEN 1 2-0 f v", "XADD s 0-1 f v",
            "XADD s NOMKSTREAM 3-* f v", "XADD n NOMKSTREAM 1-1 f v", "SET str x", "XADD str 1-1 f v",
            "XADD s MINID 5 5-0 a b", "XADD s MAXLEN ~ 0 6-0 a b");
        sample("xadd", "@BLOCK XREAD BLOCK 0 STREAMS s $", "XADD s 1-1 f v", "@AWAIT", "XADD s 2-1 f v");
        sample("xdel", "XADD s 1-1 f v", "XADD s 2-1 f v", "XDEL s 9-9", "XDEL s 1-1", "XDEL s 2-1 2-1", "XDEL nokey 1-1");
        sample("xtrim", "XADD s 1-1 f v", "XADD s 2-1 f v", "XADD s 3-1 f v", "XTRIM s MAXLEN 5", "XTRIM s MAXLEN 2",
            "XTRIM s MINID 3", "XTRIM s MAXLEN ~ 0", "XTRIM s MAXLEN 0", "XTRIM nokey MAXLEN 0");
        sample("xsetid", "XADD s 1-1 f v", "XSETID s 5-0", "XSETID s 0-1", "XSETID s 9-0 ENTRIESADDED 10 MAXDELETEDID 2-0",
            "XSETID nokey 1-1");
        // stream consumer groups
        sample("xgroup|create", "XGROUP CREATE s g $", "XGROUP CREATE s g $ MKSTREAM", "XGROUP CREATE s g $ MKSTREAM",
            "XGROUP CREATE s h 0 ENTRIESREAD 3", "SET str x", "XGROUP CREATE str g $");
        sample("xgroup|setid", "XGROUP CREATE s g $ MKSTREAM", "XGROUP SETID s g 0", "XGROUP SETID s nog 0",
            "XGROUP SETID s g $ ENTRIESREAD 2");
        sample("xgroup|destroy", "XGROUP CREATE s g $ MKSTREAM", "XGROUP DESTROY s g", "XGROUP DESTROY s g");
        sample("xgroup|destroy", "XGROUP CREATE s g $ MKSTREAM", "@BLOCK XREADGROUP GROUP g c BLOCK 0 STREAMS s >",
            "XGROUP DESTROY s g", "@AWAIT");
        sample("xgroup|createconsumer", "XGROUP CREATE s g $ MKSTREAM", "XGROUP CREATECONSUMER s g c",
            "XGROUP CREATECONSUMER s g c", "XGROUP CREATECONSUMER s nog c");
        sample("xgroup|delconsumer", "XGROUP CREATE s g $ MKSTREAM", "XGROUP CREATECONSUMER s g c",
            "XGROUP DELCONSUMER s g c", "XGROUP DELCONSUMER s g c");
        sample("xreadgroup", "XADD s 1-1 f v", "XGROUP CREATE s g 0", "XREADGROUP GROUP g c STREAMS s >",
            "XREADGROUP GROUP g c STREAMS s >", "XREADGROUP GROUP g d STREAMS s 0", "XADD s 2-1 f v",
            "XREADGROUP GROUP g e NOACK STREAMS s >");
        sample("xreadgroup", "XGROUP CREATE s g $ MKSTREAM", "@BLOCK XREADGROUP GROUP g c BLOCK 0 STREAMS s >",
            "XADD s 1-1 f v", "@AWAIT");
        sample("xack", "XADD s 1-1 f v", "XGROUP CREATE s g 0", "XREADGROUP GROUP g c STREAMS s >", "XACK s g 1-1",
            "XACK s g 1-1", "XACK nokey g 1-1");
        sample("xclaim", "XADD s 1-1 f v", "XADD s 2-1 f v", "XGROUP CREATE s g 0", "XREADGROUP GROUP g c STREAMS s >",
            "XCLAIM s g d 0 1-1", "XCLAIM s g d 0 1-1 JUSTID", "XDEL s 2-1", "XCLAIM s g e 0 2-1", "XCLAIM s g e 0 9-9 FORCE");
        sample("xautoclaim", "XADD s 1-1 f v", "XADD s 2-1 f v", "XGROUP CREATE s g 0",
            "XREADGROUP GROUP g c STREAMS s >", "XAUTOCLAIM s g d 0 0", "XDEL s 1-1", "XAUTOCLAIM s g e 0 0 JUSTID");

        // ---- sets
        sample("sadd", "SADD s a b", "SADD s a", "SADD s c", "SADD n 1 2");
        sample("srem", "SADD s a b c", "SREM s nope", "SREM s a", "SREM s b c d", "SREM nokey a");
        sample("spop", "SADD s a b c d e", "SPOP s", "SPOP s 0", "SPOP s 1", "SPOP s 10", "SPOP nokey", "SADD t 1", "SPOP t",
            "SADD u 1 2 3 4 5 6 7 8 9 10", "SPOP u 8");
        sample("smove", "SADD s a b", "SADD d b", "SMOVE s d a", "SMOVE s d b", "SMOVE d e a", "SMOVE d d b", "SMOVE nokey d a",
            "SMOVE d e zz");
        sample("sinterstore", "SADD a 1 2 3", "SADD b 2 3 4", "SINTERSTORE d a b", "SINTERSTORE d a nokey", "SINTERSTORE d a nokey");
        sample("sunionstore", "SADD a 1 2", "SUNIONSTORE d a nokey", "SUNIONSTORE d nokey", "SUNIONSTORE d nokey", "SUNIONSTORE a a");
        sample("sdiffstore", "SADD a 1 2", "SADD b 2", "SDIFFSTORE d a b", "SDIFFSTORE d b a", "SDIFFSTORE d nokey");

        // ---- sorted sets
        sample("zadd", "ZADD z 1 a 2 b", "ZADD z 1 a", "ZADD z 3 a", "ZADD z XX 1 nope", "ZADD z NX 5 a", "ZADD z GT 1 a",
            "ZADD z INCR 2 b", "ZADD z XX INCR 1 nope", "ZADD nz XX 1 a", "ZADD z CH 9 a 9 c");
        sample("zincrby", "ZINCRBY z 1 a", "ZINCRBY z 0 a", "ZINCRBY z 2 a");
        sample("zrem", "ZADD z 1 a 2 b 3 c", "ZREM z nope", "ZREM z a", "ZREM z b c d", "ZREM nokey a");
        sample("zremrangebyscore", "ZADD z 1 a 2 b 3 c", "ZREMRANGEBYSCORE z 5 6", "ZREMRANGEBYSCORE z 1 1",
            "ZREMRANGEBYSCORE z -inf +inf", "ZREMRANGEBYSCORE nokey 1 2");
        sample("zremrangebyrank", "ZADD z 1 a 2 b 3 c", "ZREMRANGEBYRANK z 5 6", "ZREMRANGEBYRANK z 0 0", "ZREMRANGEBYRANK z 0 -1");
        sample("zremrangebylex", "ZADD z 0 a 0 b 0 c", "ZREMRANGEBYLEX z [x [z", "ZREMRANGEBYLEX z [a [a", "ZREMRANGEBYLEX z - +");
        sample("zpopmin", "ZADD z 1 a 2 b 3 c", "ZPOPMIN z", "ZPOPMIN z 0", "ZPOPMIN z 1", "ZPOPMIN z 5", "ZPOPMIN nokey");
        sample("zpopmax", "ZADD z 1 a 2 b", "ZPOPMAX z", "ZPOPMAX z 3");
        sample("zmpop", "ZADD z 1 a 2 b 3 c", "ZMPOP 2 nokey z MIN COUNT 2", "ZMPOP 1 z MAX", "ZMPOP 1 z MAX");
        sample("zrangestore", "ZADD z 1 a 2 b 3 c", "ZRANGESTORE d z 0 1", "ZRANGESTORE d z 0 1", "ZRANGESTORE d z 5 6",
            "ZRANGESTORE d z 5 6", "ZRANGESTORE d nokey 0 -1");
        sample("zunionstore", "ZADD a 1 x", "SADD b y", "ZUNIONSTORE d 2 a b", "ZUNIONSTORE d 1 nokey", "ZUNIONSTORE d 1 nokey");
        sample("zinterstore", "ZADD a 1 x 2 y", "ZADD b 1 y", "ZINTERSTORE d 2 a b", "ZINTERSTORE d 2 a nokey", "ZINTERSTORE d 1 nokey");
        // ---- functions: library changes notify no keyspace event
        sample("function|load", "SET a 1", "FUNCTION LOAD x", "FUNCTION LOAD REPLACE #!lua", "DEL a",
            // no spaces inside the library (a step is split on spaces): a tab after the engine name
            "FUNCTION LOAD REPLACE #!lua\tname=evlib\nredis.register_function('evf',function(k,a)"
                + "redis.call('set',k[1],a[1])redis.call('expire',k[1],100)return(redis.call('del',k[2]))end)",
            "SET b 1", "FCALL evf 2 a b v", "FCALL evf 2 a b w", "FUNCTION DELETE evlib");
        sample("function|delete", "SET a 1", "FUNCTION DELETE nolib", "DEL a");
        sample("function|flush", "SET a 1", "FUNCTION FLUSH", "FUNCTION FLUSH SYNC", "FUNCTION FLUSH ASYNC", "FUNCTION FLUSH LAZY", "DEL a");
        sample("function|restore", "SET a 1", "FUNCTION RESTORE bad", "FUNCTION RESTORE bad FLUSH", "FUNCTION RESTORE bad NOPE", "DEL a");
        sample("zdiffstore", "ZADD a 1 x 2 y", "ZADD b 1 y", "ZDIFFSTORE d 2 a b", "ZDIFFSTORE d 2 b a", "ZDIFFSTORE d 1 nokey");

        // ---- geo
        sample("geoadd", "GEOADD g 13.361389 38.115556 Palermo", "GEOADD g 13.361389 38.115556 Palermo",
            "GEOADD g CH 15.087269 37.502669 Catania 13 38 Palermo", "GEOADD g NX 1 1 Palermo", "GEOADD n XX 1 1 x",
            "GEOADD g 200 1 x", "SET s v", "GEOADD s 1 1 x");
        sample("georadius", "GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
            "GEORADIUS g 15 37 200 km STORE d", "GEORADIUS g 15 37 200 km STOREDIST d", "GEORADIUS g 15 37 1 m STORE d",
            "SET s v", "GEORADIUS nokey 15 37 1 m STORE s", "GEORADIUS g 15 37 200 km", "GEORADIUS g 15 37 200 km STORE e WITHDIST");
        sample("georadiusbymember", "GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
            "GEORADIUSBYMEMBER g Palermo 200 km STORE d", "GEORADIUSBYMEMBER g Palermo 1 m STOREDIST d",
            "GEORADIUSBYMEMBER g Palermo 0 m STORE d", "GEORADIUSBYMEMBER g Palermo 0 m STORE d",
            "GEORADIUSBYMEMBER nokey x 1 m STORE g");
        sample("geosearchstore", "GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
            "GEOSEARCHSTORE d g FROMLONLAT 15 37 BYRADIUS 200 km", "GEOSEARCHSTORE d g FROMMEMBER Palermo BYBOX 1 1 km STOREDIST",
            "GEOSEARCHSTORE d g FROMMEMBER Palermo BYRADIUS 0 m COUNT 1", "GEOSEARCHSTORE d g FROMLONLAT 0 0 BYRADIUS 1 m",
            "GEOSEARCHSTORE d g FROMLONLAT 0 0 BYRADIUS 1 m", "GEOSEARCHSTORE g nokey FROMMEMBER x BYRADIUS 1 m");
    }
}
