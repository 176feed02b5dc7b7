package io.redjar;

/**
 * When the append-only file is forced to disk (Redis's {@code appendfsync}).
 */
public enum AppendFsync {
    /** Every write is on disk before its call returns; concurrent writers share one sync. */
    ALWAYS("always"),
    /** Synced once a second in the background: a crash loses at most about a second of writes. */
    EVERYSEC("everysec"),
    /** Never synced explicitly; the operating system writes the file when it chooses. */
    NO("no");

    private final String redisName;

    AppendFsync(String redisName) {
        this.redisName = redisName;
    }

    /** @return the value of {@code appendfsync} this stands for */
    public String redisName() {
        return redisName;
    }
}
