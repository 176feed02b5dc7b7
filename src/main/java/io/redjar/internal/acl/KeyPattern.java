package io.redjar.internal.acl;

/**
 * One key pattern of a selector: a glob and the access it grants ({@code ~pat}: read and write,
 * {@code %R~pat}: read, {@code %W~pat}: write). Redis's {@code keyPattern}.
 *
 * <p><b>Thread-safety:</b> immutable.
 *
 * @param pattern the glob, as given
 * @param flags   {@link #READ}, {@link #WRITE} or both
 */
record KeyPattern(String pattern, int flags) {
    /** The pattern lets keys be read. */
    static final int READ = 1;
    /** The pattern lets keys be written. */
    static final int WRITE = 2;
    /** Both. */
    static final int ALL = READ | WRITE;

    /** @return the rule that adds this pattern, as Redis prints it ({@code ~a}, {@code %R~a}, {@code %W~a}) */
    String describe() {
        return switch (flags) {
            case ALL -> "~" + pattern;
            case READ -> "%R~" + pattern;
            default -> "%W~" + pattern;
        };
    }
}
