package io.redjar.internal.keyspace;

import java.nio.charset.StandardCharsets;

/**
 * What a write did to a key: the events Redis 7.0 names in its keyspace notifications
 * ({@code notifyKeyspaceEvent} in {@code t_*.c}, {@code db.c}, {@code expire.c}, {@code sort.c}),
 * each with its Redis name and the notification class it belongs to ({@code notify-keyspace-events}
 * characters: {@code g} generic, {@code $} string, {@code l} list, {@code s} set, {@code h} hash,
 * {@code z} sorted set, {@code x} expired, {@code e} evicted, {@code n} new key).
 *
 * <p>One command may report several events, in Redis's order: a list emptied by {@code LPOP}
 * reports {@link #LPOP} then {@link #DEL}; {@code SET k v EX 10} reports {@link #SET} then
 * {@link #EXPIRE}; a key that did not exist reports {@link #NEW} first (Redis's {@code dbAdd}).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public enum KeyEvent {
    // generic (g)
    DEL("del", 'g'),
    EXPIRE("expire", 'g'),
    PERSIST("persist", 'g'),
    RENAME_FROM("rename_from", 'g'),
    RENAME_TO("rename_to", 'g'),
    MOVE_FROM("move_from", 'g'),
    MOVE_TO("move_to", 'g'),
    COPY_TO("copy_to", 'g'),
    /** Defined for RESTORE (not implemented yet); nothing reports it yet. */
    RESTORE("restore", 'g'),
    // strings ($)
    SET("set", '$'),
    SETRANGE("setrange", '$'),
    INCRBY("incrby", '$'),
    INCRBYFLOAT("incrbyfloat", '$'),
    APPEND("append", '$'),
    /** SETBIT and BITFIELD writes. */
    SETBIT("setbit", '$'),
    /** PFADD that changed a register, and every PFMERGE (Redis reports {@code pfadd} for both). */
    PFADD("pfadd", '$'),
    // lists (l)
    LPUSH("lpush", 'l'),
    RPUSH("rpush", 'l'),
    LPOP("lpop", 'l'),
    RPOP("rpop", 'l'),
    LINSERT("linsert", 'l'),
    LSET("lset", 'l'),
    LREM("lrem", 'l'),
    LTRIM("ltrim", 'l'),
    SORTSTORE("sortstore", 'l'),
    // hashes (h)
    HSET("hset", 'h'),
    HDEL("hdel", 'h'),
    HINCRBY("hincrby", 'h'),
    HINCRBYFLOAT("hincrbyfloat", 'h'),
    // sets (s)
    SADD("sadd", 's'),
    SREM("srem", 's'),
    SPOP("spop", 's'),
    SINTERSTORE("sinterstore", 's'),
    SUNIONSTORE("sunionstore", 's'),
    SDIFFSTORE("sdiffstore", 's'),
    // sorted sets (z)
    ZADD("zadd", 'z'),
    ZINCR("zincr", 'z'),
    ZREM("zrem", 'z'),
    ZREMRANGEBYSCORE("zremrangebyscore", 'z'),
    ZREMRANGEBYRANK("zremrangebyrank", 'z'),
    ZREMRANGEBYLEX("zremrangebylex", 'z'),
    ZPOPMIN("zpopmin", 'z'),
    ZPOPMAX("zpopmax", 'z'),
    ZUNIONSTORE("zunionstore", 'z'),
    ZINTERSTORE("zinterstore", 'z'),
    ZDIFFSTORE("zdiffstore", 'z'),
    ZRANGESTORE("zrangestore", 'z'),
    GEORADIUSSTORE("georadiusstore", 'z'),
    GEOSEARCHSTORE("geosearchstore", 'z'),
    // streams (t)
    XADD("xadd", 't'),
    XTRIM("xtrim", 't'),
    XDEL("xdel", 't'),
    XSETID("xsetid", 't'),
    // stream consumer groups (t)
    XGROUP_CREATE("xgroup-create", 't'),
    XGROUP_SETID("xgroup-setid", 't'),
    XGROUP_DESTROY("xgroup-destroy", 't'),
    XGROUP_CREATECONSUMER("xgroup-createconsumer", 't'),
    XGROUP_DELCONSUMER("xgroup-delconsumer", 't'),
    // expiry and eviction
    EXPIRED("expired", 'x'),
    /** Defined for the eviction work; nothing reports it yet. */
    EVICTED("evicted", 'e'),
    // key creation (n; not part of Redis's "A" alias)
    NEW("new", 'n');

    private final String redisName;
    private final byte[] nameBytes;
    private final char type;

    KeyEvent(String redisName, char type) {
        this.redisName = redisName;
        this.nameBytes = redisName.getBytes(StandardCharsets.US_ASCII);
        this.type = type;
    }

    /** @return the event's name in Redis's notifications ({@code __keyevent@<db>__:<name>}) */
    public String redisName() {
        return redisName;
    }

    /** @return {@link #redisName()} as ASCII bytes (a fresh copy) */
    public byte[] redisNameBytes() {
        return nameBytes.clone();
    }

    /** @return the {@code notify-keyspace-events} class character this event belongs to */
    public char type() {
        return type;
    }

    /** @return the event named {@code name} in Redis, or null */
    public static KeyEvent byRedisName(String name) {
        for (KeyEvent e : values()) {
            if (e.redisName.equals(name)) {
                return e;
            }
        }
        return null;
    }
}
