package io.redjar.internal.types;

import io.redjar.internal.keyspace.ValueType;

import java.util.List;

/**
 * A value decoded from a snapshot or a DUMP payload, on the Java heap, validated and ready to be
 * built into the off-heap structures of one shard by {@link ValueImages#install}. It exists only
 * between reading a value and installing it: the keyspace never holds one.
 *
 * <p>{@code compact} carries the encoding the reader chose by Redis 7.0's loading rules
 * ({@code rdbLoadObject}): listpack for hashes and sorted sets, intset for sets (every member an
 * integer then); false means hashtable / skiplist. Lists are always quicklists.
 *
 * <p>Elements: a string's bytes in {@code string}; a list's elements, a set's members, a hash's
 * fields and values alternating, a sorted set's members (in (score, member) order when compact)
 * in {@code elements}; a sorted set's scores in {@code scores}, parallel to its members.
 *
 * <p><b>Thread-safety:</b> not thread-safe; confined to the loading thread.
 */
public final class ValueImage {
    /** The value's type. */
    public final ValueType type;
    /** A string's bytes, else null. */
    public final byte[] string;
    /** A collection's elements, else null. */
    public final List<byte[]> elements;
    /** A sorted set's scores, else null. */
    public final double[] scores;
    /** Whether the compact encoding (listpack / intset) is to be used. */
    public final boolean compact;
    /** A stream's image, else null. */
    public final StreamImage stream;

    private ValueImage(ValueType type, byte[] string, List<byte[]> elements, double[] scores, boolean compact) {
        this(type, string, elements, scores, compact, null);
    }

    private ValueImage(ValueType type, byte[] string, List<byte[]> elements, double[] scores, boolean compact,
                       StreamImage stream) {
        this.type = type;
        this.string = string;
        this.elements = elements;
        this.scores = scores;
        this.compact = compact;
        this.stream = stream;
    }

    /** @return a stream value */
    public static ValueImage stream(StreamImage s) {
        return new ValueImage(ValueType.STREAM, null, null, null, false, s);
    }

    /** @return a string value */
    public static ValueImage string(byte[] s) {
        return new ValueImage(ValueType.STRING, s, null, null, false);
    }

    /** @return a list value (non-empty) */
    public static ValueImage list(List<byte[]> elements) {
        return new ValueImage(ValueType.LIST, null, elements, null, false);
    }

    /** @return a set value; {@code intset} only when every member is an integer (strict form) */
    public static ValueImage set(List<byte[]> members, boolean intset) {
        return new ValueImage(ValueType.SET, null, members, null, intset);
    }

    /** @return a hash value: fields and values alternating */
    public static ValueImage hash(List<byte[]> fieldsAndValues, boolean listpack) {
        return new ValueImage(ValueType.HASH, null, fieldsAndValues, null, listpack);
    }

    /** @return a sorted set; when {@code listpack} the members are in (score, member) order */
    public static ValueImage zset(List<byte[]> members, double[] scores, boolean listpack) {
        return new ValueImage(ValueType.ZSET, null, members, scores, listpack);
    }

    /** @return the number of elements (members, fields, list elements), or the string's length */
    public long size() {
        if (type == ValueType.STRING) {
            return string.length;
        }
        if (type == ValueType.STREAM) {
            return stream.size();
        }
        return type == ValueType.HASH ? elements.size() / 2 : elements.size();
    }
}
