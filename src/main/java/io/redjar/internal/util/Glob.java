package io.redjar.internal.util;

import java.util.Objects;

/**
 * Glob-style pattern matching, as used by {@code KEYS}, {@code SCAN ... MATCH},
 * {@code PSUBSCRIBE}, {@code CONFIG GET}, ACL key patterns, etc.
 *
 * <p><b>Mirrors</b> {@code stringmatchlen()} / {@code stringmatchlen_impl()} of Redis 7.0.15's
 * {@code src/util.c}, quirks included:
 * <ul>
 *   <li>{@code *} matches any run of bytes, {@code ?} exactly one byte, {@code \x} the byte
 *       {@code x} literally (a trailing lone backslash matches a backslash);</li>
 *   <li>{@code [...]} is a byte class: {@code [^...]} negates, {@code a-z} is a range whose ends may
 *       come in either order ({@code [z-a]} equals {@code [a-z]}), {@code \x} inside a class is the
 *       literal {@code x} (compared case-sensitively even when {@code nocase}); an unterminated
 *       class simply ends at the end of the pattern ({@code "[^"} matches any single byte);</li>
 *   <li>bytes are compared as C's signed {@code char}, so in a range the bytes {@code 0x80..0xFF}
 *       sort <em>before</em> {@code 0x00}; {@code nocase} folds only ASCII {@code A-Z}, like
 *       {@code tolower()} in the "C" locale Redis runs its {@code LC_CTYPE} in;</li>
 *   <li>the protection against abusive patterns: recursion ({@code *} followed by more pattern) is
 *       cut off, as a non-match, beyond a nesting depth of 1000; and once the remainder of the
 *       pattern after a {@code *} failed to match at every position of the rest of the string,
 *       {@code skipLongerMatches} makes every enclosing {@code *} give up at once, which keeps
 *       patterns such as {@code "a*a*a*a*...b"} linear-ish instead of exponential;</li>
 *   <li>an empty string matches no non-empty pattern, not even {@code "*"} (the matching loop
 *       only runs while both pattern and string have bytes left). {@code KEYS} and {@code SCAN}
 *       special-case the exact pattern {@code "*"} and never call the matcher for it, so callers
 *       that want Redis's command behaviour must do the same;</li>
 *   <li>Redis's pattern is always followed by a NUL terminator that the C code sometimes peeks at
 *       ({@code pattern[1]}, the trailing {@code *} skip); this port reads a {@code 0} byte there,
 *       whatever the array holds after the slice.</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> stateless and allocation-free; safe from any thread. Recursion depth is
 * bounded by the nesting limit (about 1000 frames).
 */
public final class Glob {
    /** Depth beyond which a nested {@code *} is treated as not matching (Redis's limit). */
    static final int MAX_NESTING = 1000;

    private static final int NO_MATCH = 0;
    private static final int MATCH = 1;
    /** No match, and {@code *skipLongerMatches} is now set: every enclosing '*' gives up. */
    private static final int SKIP_LONGER = -1;

    private Glob() {
    }

    /**
     * Matches a whole string against a whole glob pattern.
     *
     * @param pattern the glob pattern
     * @param string  the subject
     * @param nocase  whether ASCII letters match regardless of case
     * @return whether {@code string} matches {@code pattern} exactly as Redis 7.0 decides it
     */
    public static boolean match(byte[] pattern, byte[] string, boolean nocase) {
        return match(pattern, 0, pattern.length, string, 0, string.length, nocase);
    }

    /**
     * Matches a slice of a byte array against a slice of a glob pattern.
     *
     * @param pattern    array holding the glob pattern
     * @param patternOff index of the pattern's first byte
     * @param patternLen the pattern's length
     * @param string     array holding the subject
     * @param stringOff  index of the subject's first byte
     * @param stringLen  the subject's length
     * @param nocase     whether ASCII letters match regardless of case
     * @return whether the subject matches the pattern exactly as Redis 7.0 decides it
     * @throws IndexOutOfBoundsException if a slice is not inside its array
     */
    public static boolean match(byte[] pattern, int patternOff, int patternLen,
                                byte[] string, int stringOff, int stringLen, boolean nocase) {
        Objects.checkFromIndexSize(patternOff, patternLen, pattern.length);
        Objects.checkFromIndexSize(stringOff, stringLen, string.length);
        return impl(pattern, patternOff, patternOff + patternLen,
                string, stringOff, stringOff + stringLen, nocase, 0) == MATCH;
    }

    /** The pattern byte at {@code i}, or the C string's NUL terminator at (or past) the end. */
    private static int at(byte[] p, int i, int end) {
        return i < end ? p[i] : 0;
    }

    /** {@code tolower()} in the "C" locale, on a C (signed) char value. */
    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    @SuppressWarnings("fallthrough") // '\\' falls into the literal case, as in the C code
    private static int impl(byte[] p, int pi, int pe, byte[] s, int si, int se, boolean nocase, int nesting) {
        if (nesting > MAX_NESTING) {
            return NO_MATCH;
        }
        while (pi < pe && si < se) {
            switch (p[pi]) {
                case '*': {
                    while (pi < pe && at(p, pi + 1, pe) == '*') {
                        pi++;
                    }
                    if (pe - pi == 1) {
                        return MATCH;
                    }
                    while (si < se) {
                        int r = impl(p, pi + 1, pe, s, si, se, nocase, nesting + 1);
                        if (r != NO_MATCH) {
                            return r;
                        }
                        si++;
                    }
                    return SKIP_LONGER;
                }
                case '?':
                    si++;
                    break;
                case '[': {
                    pi++;
                    boolean not = at(p, pi, pe) == '^';
                    if (not) {
                        pi++;
                    }
                    boolean match = false;
                    int c = s[si];
                    while (true) {
                        int pc = at(p, pi, pe);
                        if (pc == '\\' && pe - pi >= 2) {
                            pi++;
                            if (p[pi] == c) {
                                match = true;
                            }
                        } else if (pc == ']') {
                            break;
                        } else if (pi == pe) {
                            pi--;
                            break;
                        } else if (pe - pi >= 3 && p[pi + 1] == '-') {
                            int start = pc;
                            int end = p[pi + 2];
                            int cc = c;
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = lower(start);
                                end = lower(end);
                                cc = lower(cc);
                            }
                            pi += 2;
                            if (cc >= start && cc <= end) {
                                match = true;
                            }
                        } else if (nocase ? lower(pc) == lower(c) : pc == c) {
                            match = true;
                        }
                        pi++;
                    }
                    if (not) {
                        match = !match;
                    }
                    if (!match) {
                        return NO_MATCH;
                    }
                    si++;
                    break;
                }
                case '\\':
                    if (pe - pi >= 2) {
                        pi++;
                    }
                    // fall through
                default: {
                    int pc = p[pi];
                    int c = s[si];
                    if (nocase ? lower(pc) != lower(c) : pc != c) {
                        return NO_MATCH;
                    }
                    si++;
                    break;
                }
            }
            pi++;
            if (si == se) {
                while (at(p, pi, pe) == '*') {
                    pi++;
                }
                break;
            }
        }
        return pi == pe && si == se ? MATCH : NO_MATCH;
    }
}
