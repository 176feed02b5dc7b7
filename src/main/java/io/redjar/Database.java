package io.redjar;

import io.redjar.internal.Engine;
import io.redjar.internal.util.Preconditions;

/**
 * One of a store's numbered databases: a thin view, holding no data.
 *
 * <p><b>Arguments:</b> a null argument, or a null element of an array or map argument, is
 * rejected with {@link NullPointerException} naming it ({@code "key must not be null"},
 * {@code "members[1] must not be null"}) before the store is touched; a {@code Duration} or
 * {@code Instant} whose milliseconds overflow a {@code long} with {@link IllegalArgumentException}.
 * Values that Redis itself judges (negative counts, zero expiries, ...) get Redis's error.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class Database {
    private final Engine engine;
    private final int index;
    private final Strings strings;
    private final Keys keys;
    private final Hashes hashes;
    private final Sets sets;
    private final Lists lists;
    private final SortedSets sortedSets;
    private final Geo geo;
    private final Streams streams;
    private final Bitmaps bitmaps;
    private final HyperLogLogs hyperLogLogs;

    Database(Engine engine, int index) {
        this.engine = engine;
        this.index = index;
        this.strings = new Strings(engine, index);
        this.keys = new Keys(engine, index);
        this.hashes = new Hashes(engine, index);
        this.sets = new Sets(engine, index);
        this.lists = new Lists(engine, index);
        this.sortedSets = new SortedSets(engine, index);
        this.geo = new Geo(engine, index);
        this.streams = new Streams(engine, index);
        this.bitmaps = new Bitmaps(engine, index, strings);
        this.hyperLogLogs = new HyperLogLogs(engine, index);
    }

    /** @return this database's number */
    public int index() {
        return index;
    }

    /** @return string operations on this database */
    public Strings strings() {
        return strings;
    }

    /** @return key operations on this database */
    public Keys keys() {
        return keys;
    }

    /** @return hash operations on this database */
    public Hashes hashes() {
        return hashes;
    }

    /** @return set operations on this database */
    public Sets sets() {
        return sets;
    }

    /** @return list operations (including the blocking pops) on this database */
    public Lists lists() {
        return lists;
    }

    /** @return sorted-set operations (including the blocking pops) on this database */
    public SortedSets sortedSets() {
        return sortedSets;
    }

    /** @return GEO operations (positions in sorted sets) on this database */
    public Geo geo() {
        return geo;
    }

    /** @return bitmap operations (bits, ranges, BITOP, BITFIELD) on this database */
    public Bitmaps bitmaps() {
        return bitmaps;
    }

    /** @return HyperLogLog operations (PFADD, PFCOUNT, PFMERGE) on this database */
    public HyperLogLogs hyperLogLogs() {
        return hyperLogLogs;
    }

    /** @return stream operations (appends, reads, consumer groups) on this database */
    public Streams streams() {
        return streams;
    }

    /** @return a handle on the UTF-8 string at {@code key} */
    public StringValue<String> string(String key) {
        Preconditions.notNull(key, "key");
        return new StringValue<>(strings, key, Codec.STRING);
    }

    /** @return a handle on the string at {@code key}, through {@code codec} */
    public <T> StringValue<T> string(String key, Codec<T> codec) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(codec, "codec");
        return new StringValue<>(strings, key, codec);
    }

    /** Runs one command against this database (see {@link Store#execute(String...)}). */
    public Reply execute(String... argv) {
        Preconditions.noNullElements(argv, "argv");
        Session s = new Session(engine, index);
        return s.execute(argv);
    }

    /** Binary form of {@link #execute(String...)}. */
    public Reply execute(byte[]... argv) {
        Preconditions.noNullElements(argv, "argv");
        Session s = new Session(engine, index);
        return s.execute(argv);
    }
}
