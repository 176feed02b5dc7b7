package io.redjar.internal.util;

/** Temporary placeholder; replaced by the util branch. */
public final class HashSlot {
    private HashSlot() {
    }

    public static int of(byte[] key) {
        int s = -1, e = -1;
        for (int i = 0; i < key.length; i++) {
            if (key[i] == '{') {
                s = i;
                break;
            }
        }
        if (s >= 0) {
            for (int i = s + 1; i < key.length; i++) {
                if (key[i] == '}') {
                    e = i;
                    break;
                }
            }
        }
        if (s >= 0 && e > s + 1) {
            return crc(key, s + 1, e - s - 1) & 16383;
        }
        return crc(key, 0, key.length) & 16383;
    }

    private static int crc(byte[] b, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc ^= (b[i] & 0xff) << 8;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return crc & 0xffff;
    }
}
