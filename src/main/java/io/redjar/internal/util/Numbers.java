package io.redjar.internal.util;

import io.redjar.NotIntegerException;

import java.nio.charset.StandardCharsets;

/** Temporary placeholder; replaced by the util branch. */
public final class Numbers {
    private Numbers() {
    }

    public static boolean isLong(byte[] b) {
        if (b.length == 0 || b.length > 20) {
            return false;
        }
        if (b.length == 1 && b[0] == '0') {
            return true;
        }
        int i = 0;
        if (b[0] == '-') {
            i = 1;
            if (b.length == 1) {
                return false;
            }
        }
        if (b[i] < '1' || b[i] > '9') {
            return false;
        }
        for (int k = i; k < b.length; k++) {
            if (b[k] < '0' || b[k] > '9') {
                return false;
            }
        }
        try {
            Long.parseLong(new String(b, StandardCharsets.US_ASCII));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public static long parseLong(byte[] b) {
        if (!isLong(b)) {
            throw new NotIntegerException();
        }
        return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
    }

    public static byte[] formatLong(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
