package io.redjar.internal.persistence.rdb;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Redis's own crc64 check values ({@code crc64Test} in {@code crc64.c}). */
class Crc64Test {
    @Test
    void checkValue() {
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void loremIpsumWithTheTrailingNul() {
        String li = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed "
            + "do eiusmod tempor incididunt ut labore et dolore magna "
            + "aliqua. Ut enim ad minim veniam, quis nostrud exercitation "
            + "ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis "
            + "aute irure dolor in reprehenderit in voluptate velit esse "
            + "cillum dolore eu fugiat nulla pariatur. Excepteur sint "
            + "occaecat cupidatat non proident, sunt in culpa qui officia "
            + "deserunt mollit anim id est laborum.";
        byte[] b = (li + "\0").getBytes(StandardCharsets.US_ASCII); // C's sizeof includes the NUL
        assertEquals(0xc7794709e69683b3L, Crc64.of(b));
    }

    @Test
    void updateIsIncremental() {
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        long part = Crc64.update(0, b, 0, 4);
        assertEquals(Crc64.of(b), Crc64.update(part, b, 4, 5));
    }

    @Test
    void emptyIsZero() {
        assertEquals(0L, Crc64.of(new byte[0]));
    }
}
