package io.redjar.internal.script.lib;

/**
 * The settings of one {@code cjson} module table (lua-cjson's {@code json_config_t}), with
 * lua-cjson 2.1.0's defaults as Redis 7.0 builds it: sparse arrays are an error (ratio 2, safe
 * 10), encode and decode depth 1000, invalid numbers refused when encoding and accepted when
 * decoding, 14 significant digits, keep-buffer on (it only affects memory in C; kept as a
 * setting so scripts read back what they set).
 *
 * <p>Thread-safety: not thread-safe; owned by one Lua state, used by one script at a time.
 */
final class CjsonConfig {
    /** encode_invalid_numbers: off (error), on (inf/nan written), null. */
    static final int INVALID_OFF = 0;
    /** @see #INVALID_OFF */
    static final int INVALID_ON = 1;
    /** @see #INVALID_OFF */
    static final int INVALID_NULL = 2;

    boolean sparseConvert = false;
    int sparseRatio = 2;
    int sparseSafe = 10;
    int encodeMaxDepth = 1000;
    int decodeMaxDepth = 1000;
    int encodeInvalidNumbers = INVALID_OFF;
    boolean decodeInvalidNumbers = true;
    boolean encodeKeepBuffer = true;
    int encodeNumberPrecision = 14;
}
