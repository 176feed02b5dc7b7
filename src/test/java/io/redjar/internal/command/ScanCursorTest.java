package io.redjar.internal.command;

import io.redjar.RedJarException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** KeyCommands.parseCursor follows C's strtoul as Redis 7.0 uses it. */
class ScanCursorTest {
    private static long parse(String s) {
        return KeyCommands.parseCursor(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void values() {
        assertEquals(0, parse(""));
        assertEquals(0, parse("0"));
        assertEquals(0, parse("-0"));
        assertEquals(5, parse("+5"));
        assertEquals(12, parse("00012"));
        assertEquals(-1L, parse("-1"), "strtoul negates: ULONG_MAX");
        assertEquals(-1L, parse("18446744073709551615"));
        assertEquals(1L, parse("-18446744073709551615"));
        assertEquals(Long.MIN_VALUE, parse("9223372036854775808"));
    }

    @Test
    void rejects() {
        for (String s : new String[] {"-", "+", " 0", "0 ", "18446744073709551616", "18446744073709551620",
            "99999999999999999999", "1a", "a1", "0x1"}) {
            RedJarException e = assertThrows(RedJarException.class, () -> parse(s), s);
            assertEquals("ERR invalid cursor", e.getMessage());
        }
    }
}
