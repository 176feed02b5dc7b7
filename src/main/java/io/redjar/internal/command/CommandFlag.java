package io.redjar.internal.command;

/** Command flags, with the names {@code COMMAND INFO} reports (Redis 7.0). */
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
    NO_MULTI("no_multi"),
    ALLOW_BUSY("allow_busy"),
    MOVABLE_KEYS("movablekeys");

    private final String redisName;

    CommandFlag(String redisName) {
        this.redisName = redisName;
    }

    /** @return the lower-case name Redis uses */
    public String redisName() {
        return redisName;
    }
}
