package io.redjar.internal.command;

/**
 * Command flags, with the names {@code COMMAND INFO} reports (Redis 7.0), declared in the order
 * Redis's {@code addReplyFlagsForCommand} lists them, so that an {@code EnumSet} iterates in reply
 * order. {@link #MAY_REPLICATE} is kept but, as in Redis, never reported;
 * {@link #MOVABLE_KEYS} is derived from the key specs ({@link LegacyKeyRange}), not declared.
 */
public enum CommandFlag {
    WRITE("write"),
    READONLY("readonly"),
    DENYOOM("denyoom"),
    ADMIN("admin"),
    PUBSUB("pubsub"),
    NOSCRIPT("noscript"),
    BLOCKING("blocking"),
    LOADING("loading"),
    STALE("stale"),
    SKIP_MONITOR("skip_monitor"),
    SKIP_SLOWLOG("skip_slowlog"),
    FAST("fast"),
    NO_AUTH("no_auth"),
    MAY_REPLICATE("may_replicate"),
    NO_MANDATORY_KEYS("no_mandatory_keys"),
    NO_ASYNC_LOADING("no_async_loading"),
    NO_MULTI("no_multi"),
    MOVABLE_KEYS("movablekeys"),
    ALLOW_BUSY("allow_busy");

    private final String redisName;

    CommandFlag(String redisName) {
        this.redisName = redisName;
    }

    /** @return the lower-case name Redis uses */
    public String redisName() {
        return redisName;
    }

    /** @return whether {@code COMMAND INFO} lists the flag (Redis hides {@code may_replicate}) */
    public boolean reported() {
        return this != MAY_REPLICATE;
    }
}
