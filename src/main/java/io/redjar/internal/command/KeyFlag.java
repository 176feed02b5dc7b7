package io.redjar.internal.command;

import java.util.ArrayList;
import java.util.List;

/**
 * The flags of a key spec (Redis 7.0 {@code CMD_KEY_*}), in the order {@code COMMAND INFO} and
 * {@code COMMAND GETKEYSANDFLAGS} report them.
 *
 * <p>Exactly one of the access kinds {@link #RO}, {@link #RW}, {@link #OW}, {@link #RM} says how
 * the value is touched; {@link #ACCESS}, {@link #UPDATE}, {@link #INSERT}, {@link #DELETE} refine
 * it; {@link #NOT_KEY} marks an argument that only looks like a key (cluster routing),
 * {@link #INCOMPLETE} a spec that may not find every key, and {@link #VARIABLE_FLAGS} a spec
 * whose flags depend on the other arguments (then a {@link GetKeysProc} supplies them).
 *
 * <p>A set of flags travels as an {@code int} mask ({@link #mask()}) so that key extraction
 * allocates nothing per flag.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public enum KeyFlag {
    RO("RO"),
    RW("RW"),
    OW("OW"),
    RM("RM"),
    ACCESS("access"),
    UPDATE("update"),
    INSERT("insert"),
    DELETE("delete"),
    NOT_KEY("not_key"),
    INCOMPLETE("incomplete"),
    VARIABLE_FLAGS("variable_flags");

    private static final KeyFlag[] VALUES = values();

    private final String redisName;

    KeyFlag(String redisName) {
        this.redisName = redisName;
    }

    /** @return the name Redis replies with ({@code RO}, {@code access}, ...) */
    public String redisName() {
        return redisName;
    }

    /** @return this flag's bit in a flags mask */
    public int mask() {
        return 1 << ordinal();
    }

    /** @return the mask of {@code flags} */
    public static int mask(KeyFlag... flags) {
        int m = 0;
        for (KeyFlag f : flags) {
            m |= f.mask();
        }
        return m;
    }

    /** @return the flags of {@code mask}, in reply order */
    public static List<KeyFlag> of(int mask) {
        List<KeyFlag> out = new ArrayList<>(Integer.bitCount(mask));
        for (KeyFlag f : VALUES) {
            if ((mask & f.mask()) != 0) {
                out.add(f);
            }
        }
        return out;
    }
}
