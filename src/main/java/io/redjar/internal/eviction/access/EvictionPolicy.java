package io.redjar.internal.eviction.access;

import java.util.List;
import java.util.Locale;

/**
 * The {@code maxmemory-policy} values: Redis 7.0's eight, with its flags (which keys are candidates,
 * how a candidate is scored), plus RedJar's two admission-aware policies, {@code allkeys-wtinylfu}
 * and {@code volatile-wtinylfu} (see the evictor's {@code WTinyLfu}).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public enum EvictionPolicy {
    VOLATILE_LRU("volatile-lru", Score.LRU, false),
    VOLATILE_LFU("volatile-lfu", Score.LFU, false),
    VOLATILE_RANDOM("volatile-random", Score.RANDOM, false),
    VOLATILE_TTL("volatile-ttl", Score.TTL, false),
    ALLKEYS_LRU("allkeys-lru", Score.LRU, true),
    ALLKEYS_LFU("allkeys-lfu", Score.LFU, true),
    ALLKEYS_RANDOM("allkeys-random", Score.RANDOM, true),
    NOEVICTION("noeviction", Score.NONE, false),
    /** RedJar's: W-TinyLFU-style admission over every key. */
    ALLKEYS_WTINYLFU("allkeys-wtinylfu", Score.WTINYLFU, true),
    /** RedJar's: W-TinyLFU-style admission over the keys with a TTL. */
    VOLATILE_WTINYLFU("volatile-wtinylfu", Score.WTINYLFU, false);

    /** How candidates are scored. */
    public enum Score { NONE, LRU, LFU, TTL, RANDOM, WTINYLFU }

    /** Redis's names in Redis's order (its CONFIG SET error lists exactly these). */
    public static final List<String> REDIS_NAMES = List.of("volatile-lru", "volatile-lfu", "volatile-random",
        "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction");

    private final String configName;
    private final Score score;
    private final boolean allKeys;

    EvictionPolicy(String configName, Score score, boolean allKeys) {
        this.configName = configName;
        this.score = score;
        this.allKeys = allKeys;
    }

    /** @return the policy named {@code name} (any case), or null */
    public static EvictionPolicy of(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (EvictionPolicy p : values()) {
            if (p.configName.equals(n)) {
                return p;
            }
        }
        return null;
    }

    /** @return the name CONFIG GET shows */
    public String configName() {
        return configName;
    }

    /** @return how candidates are scored */
    public Score score() {
        return score;
    }

    /** @return whether every key is a candidate (else only keys with a TTL) */
    public boolean allKeys() {
        return allKeys;
    }

    /** @return whether the 24 access bits hold an LFU counter (Redis's {@code MAXMEMORY_FLAG_LFU}) */
    public boolean lfu() {
        return score == Score.LFU;
    }

    /** @return whether the 24 access bits hold the LRU clock and RDB files carry idle times */
    public boolean lru() {
        return score == Score.LRU || score == Score.WTINYLFU;
    }
}
