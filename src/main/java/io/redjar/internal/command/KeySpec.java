package io.redjar.internal.command;

import java.util.List;
import java.util.Objects;

/**
 * One key spec of a command, as Redis 7.0 declares them in {@code src/commands/*.json}: where the
 * search for keys begins ({@code begin_search}), how the keys are found from there
 * ({@code find_keys}), and how the keys are accessed ({@link KeyFlag flags}).
 *
 * <pre>
 * begin_search  index(pos)                 keys start at argv[pos]
 *               keyword(kw, startfrom)     keys start after the keyword kw, searched from
 *                                          startfrom (negative: from the end, backwards)
 *               unknown                    nothing can be said (a GetKeysProc finds the keys)
 * find_keys     range(lastkey, step, limit) lastkey relative to the first key (negative: from
 *                                          the end; with limit > 0, lastkey -1 means 1/limit
 *                                          of the remaining arguments)
 *               keynum(keynumidx, firstkey, step)  argv[begin + keynumidx] counts the keys,
 *                                          the first is argv[begin + firstkey]
 *               unknown
 * </pre>
 *
 * Built in a command-table row as {@code index(1).range(0, 1, 0).flags(RW, ACCESS, DELETE)},
 * optionally {@code .notes("...")}.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class KeySpec {
    /** The kinds of {@code begin_search}. */
    public enum BeginSearch { INDEX, KEYWORD, UNKNOWN }

    /** The kinds of {@code find_keys}. */
    public enum FindKeys { RANGE, KEYNUM, UNKNOWN }

    private final String notes;
    private final int flags;
    private final BeginSearch begin;
    private final int index;
    private final String keyword;
    private final int startFrom;
    private final FindKeys find;
    private final int a;
    private final int b;
    private final int c;

    private KeySpec(String notes, int flags, Begin begin, FindKeys find, int a, int b, int c) {
        this.notes = notes;
        this.flags = flags;
        this.begin = begin.kind;
        this.index = begin.index;
        this.keyword = begin.keyword;
        this.startFrom = begin.startFrom;
        this.find = find;
        this.a = a;
        this.b = b;
        this.c = c;
    }

    /** Starts a spec whose keys begin at {@code argv[pos]}. */
    public static Begin index(int pos) {
        if (pos < 1) {
            throw new IllegalArgumentException("begin_search index must be >= 1: " + pos);
        }
        return new Begin(BeginSearch.INDEX, pos, null, 0);
    }

    /** Starts a spec whose keys begin after {@code keyword}, searched from {@code startFrom}. */
    public static Begin keyword(String keyword, int startFrom) {
        if (startFrom == 0) {
            throw new IllegalArgumentException("keyword startfrom must not be 0");
        }
        return new Begin(BeginSearch.KEYWORD, 0, Objects.requireNonNull(keyword), startFrom);
    }

    /** Starts a spec whose keys cannot be located from the arguments' shape. */
    public static Begin unknown() {
        return new Begin(BeginSearch.UNKNOWN, 0, null, 0);
    }

    /** The {@code begin_search} half of a spec being built. */
    public static final class Begin {
        private final BeginSearch kind;
        private final int index;
        private final String keyword;
        private final int startFrom;

        private Begin(BeginSearch kind, int index, String keyword, int startFrom) {
            this.kind = kind;
            this.index = index;
            this.keyword = keyword;
            this.startFrom = startFrom;
        }

        /** Keys from the begin to {@code lastKey} (relative; negative counts from the end). */
        public Shape range(int lastKey, int keyStep, int limit) {
            if (keyStep < 1 || limit < 0 || (limit > 0 && lastKey != -1)) {
                throw new IllegalArgumentException("bad range " + lastKey + "/" + keyStep + "/" + limit);
            }
            return new Shape(this, FindKeys.RANGE, lastKey, keyStep, limit);
        }

        /** A key count at {@code keyNumIdx}, keys from {@code firstKey} (both relative to the begin). */
        public Shape keynum(int keyNumIdx, int firstKey, int keyStep) {
            if (keyNumIdx < 0 || firstKey <= keyNumIdx || keyStep < 1) {
                throw new IllegalArgumentException("bad keynum " + keyNumIdx + "/" + firstKey + "/" + keyStep);
            }
            return new Shape(this, FindKeys.KEYNUM, keyNumIdx, firstKey, keyStep);
        }

        /** Keys that cannot be found from the arguments' shape. */
        public Shape unknownKeys() {
            return new Shape(this, FindKeys.UNKNOWN, 0, 0, 0);
        }
    }

    /** A spec without its flags yet. */
    public static final class Shape {
        private final Begin begin;
        private final FindKeys find;
        private final int a;
        private final int b;
        private final int c;

        private Shape(Begin begin, FindKeys find, int a, int b, int c) {
            this.begin = begin;
            this.find = find;
            this.a = a;
            this.b = b;
            this.c = c;
        }

        /** @return the finished spec with these access flags */
        public KeySpec flags(KeyFlag... flags) {
            return new KeySpec(null, KeyFlag.mask(flags), begin, find, a, b, c);
        }
    }

    /** @return this spec with Redis's {@code notes} text */
    public KeySpec notes(String text) {
        return new KeySpec(Objects.requireNonNull(text), flags, new Begin(begin, index, keyword, startFrom), find, a, b, c);
    }

    /** @return the notes, or null */
    public String notes() {
        return notes;
    }

    /** @return the flags mask ({@link KeyFlag#mask()}) */
    public int flagMask() {
        return flags;
    }

    /** @return the flags, in reply order */
    public List<KeyFlag> flags() {
        return KeyFlag.of(flags);
    }

    /** @return whether the spec has {@code f} */
    public boolean has(KeyFlag f) {
        return (flags & f.mask()) != 0;
    }

    public BeginSearch beginSearch() {
        return begin;
    }

    /** @return the {@code index} begin position */
    public int index() {
        return index;
    }

    /** @return the {@code keyword} begin's keyword, or null */
    public String keyword() {
        return keyword;
    }

    /** @return the {@code keyword} begin's start position */
    public int startFrom() {
        return startFrom;
    }

    public FindKeys findKeys() {
        return find;
    }

    /** @return range {@code lastkey} */
    public int lastKey() {
        return a;
    }

    /** @return range {@code keystep} */
    public int rangeStep() {
        return b;
    }

    /** @return range {@code limit} */
    public int limit() {
        return c;
    }

    /** @return keynum {@code keynumidx} */
    public int keyNumIdx() {
        return a;
    }

    /** @return keynum {@code firstkey} */
    public int firstKey() {
        return b;
    }

    /** @return keynum {@code keystep} */
    public int keyNumStep() {
        return c;
    }

    /** @return whether this is the plain {@code index + range} shape the legacy triple can express */
    boolean isIndexRange() {
        return begin == BeginSearch.INDEX && find == FindKeys.RANGE;
    }

    @Override
    public String toString() {
        String bs = switch (begin) {
            case INDEX -> "index(" + index + ")";
            case KEYWORD -> "keyword(\"" + keyword + "\", " + startFrom + ")";
            default -> "unknown()";
        };
        String fk = switch (find) {
            case RANGE -> "range(" + a + ", " + b + ", " + c + ")";
            case KEYNUM -> "keynum(" + a + ", " + b + ", " + c + ")";
            default -> "unknownKeys()";
        };
        return bs + "." + fk + ".flags" + flags() + (notes == null ? "" : ".notes(\"" + notes + "\")");
    }
}
