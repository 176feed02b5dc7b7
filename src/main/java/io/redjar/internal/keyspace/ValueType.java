package io.redjar.internal.keyspace;

/**
 * The value types of the keyspace, with the codes stored in an entry's flags and the names
 * {@code TYPE} replies.
 */
public enum ValueType {
    STRING(0, "string"),
    LIST(1, "list"),
    SET(2, "set"),
    ZSET(3, "zset"),
    HASH(4, "hash"),
    STREAM(5, "stream");

    private static final ValueType[] BY_CODE = values();

    private final int code;
    private final String redisName;

    ValueType(int code, String redisName) {
        this.code = code;
        this.redisName = redisName;
    }

    /** @return the code stored in the entry flags. */
    public int code() {
        return code;
    }

    /** @return the name {@code TYPE} replies. */
    public String redisName() {
        return redisName;
    }

    /** @return the type with this code. */
    public static ValueType of(int code) {
        return BY_CODE[code];
    }

    /** @return the type with this {@code TYPE} name (case-insensitive), or {@code null}. */
    public static ValueType byName(String name) {
        for (ValueType t : BY_CODE) {
            if (t.redisName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }
}
