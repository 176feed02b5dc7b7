package io.redjar.internal.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean m(String pattern, String string) {
        return Glob.match(b(pattern), b(string), false);
    }

    private static boolean mi(String pattern, String string) {
        return Glob.match(b(pattern), b(string), true);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" ~ \"{1}\" = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "*|\"\"|false",
        "**|\"\"|false",
        "\"\"|\"\"|true",
        "\"\"|a|false",
        "a|\"\"|false",
        "?|\"\"|false",
        "*|anything|true",
        "h?llo|hello|true",
        "h?llo|hllo|false",
        "h*llo|hllo|true",
        "h*llo|heeeello|true",
        "h[ae]llo|hello|true",
        "h[ae]llo|hallo|true",
        "h[ae]llo|hillo|false",
        "h[^e]llo|hallo|true",
        "h[^e]llo|hello|false",
        "h[a-b]llo|hbllo|true",
        "h[a-b]llo|hcllo|false",
        "[a-z]|m|true",
        "[a-z]|M|false",
        "[z-a]|m|true",
        "[z-a]|z|true",
        "[^x]|x|false",
        "[^x]|y|true",
        "[^x]|\"\"|false",
        "[abc|a|true",
        "[abc|b|true",
        "[abc|d|false",
        "[abc|ab|false",
        "[|\"\"|false",
        "[|a|false",
        "[^|a|true",
        "[^|ab|false",
        "[]|a|false",
        "[]]|]|false",
        "[\\]]|]|true",
        "[\\|\\|true",
        "[a-|a|true",
        "[a-|-|true",
        "[a-]|-|false",
        "[a-]|]|true",
        "[a-]|_|true",
        "[^]|x|true",
        "[-a]|-|true",
        "\\*|*|true",
        "\\*|a|false",
        "\\?|?|true",
        "\\[a]|[a]|true",
        "a\\|a\\|true",
        "\\|\\|true",
        "a\\|a|false",
        "a*|a|true",
        "a**|a|true",
        "a*b*|a|false",
        "a*b*|ab|true",
        "a*\\|a|false",
        "*a|bbba|true",
        "***a|bbba|true",
        "***a|bbbb|false",
        "a*b*c|aXbYc|true",
        "a*b*c|aXbY|false",
        "foo*bar|foobar|true",
        "foo*bar|foo_bar_bar|true",
        "foo*bar|foo_bar_baz|false",
        "*[*|a*|true",
        "?*?|a|false",
        "?*?|ab|true",
    })
    void cases(String pattern, String string, boolean expected) {
        assertEquals(expected, m(pattern, string));
    }

    @Test
    void nocase() {
        assertTrue(mi("HeLLo", "hello"));
        assertTrue(mi("h*O", "HELLO"));
        assertTrue(mi("[A-C]", "b"));
        assertTrue(mi("[a-c]", "B"));
        assertTrue(mi("[B]", "b"));
        assertFalse(m("[B]", "b"));
        // Escapes inside a class compare case-sensitively even with nocase (Redis quirk).
        assertFalse(mi("[\\B]", "b"));
        assertTrue(mi("\\B", "b"));
        // Only ASCII letters fold.
        assertFalse(mi("\u00c0", "\u00e0"));
        // A range mixing cases: [Z-a] holds Z [ \ ] ^ _ ` a, folded to [z-a] which swaps to a..z? No:
        // start/end are swapped before folding, so [Z-a] becomes 'z'..'a' -> nothing but still c>=z && c<=a.
        assertFalse(mi("[Z-a]", "m"));
        assertTrue(m("[Z-a]", "_"));
    }

    @Test
    void signedCharRanges() {
        // C char is signed: 0xFF is -1, so [a-\xff] is the range -1..'a', which contains '0' and not 'b'.
        assertTrue(m("[a-\u00ff]", "0"));
        assertFalse(m("[a-\u00ff]", "b"));
        assertTrue(m("[\u0080-\u00ff]", "\u0090"));
        assertFalse(m("[\u0080-\u00ff]", "a"));
        assertTrue(m("[\u0080-a]", "\u0000"));
    }

    @Test
    void slicesIgnoreBytesAroundThem() {
        byte[] pat = b("xa*yy");
        byte[] str = b("--abc--");
        assertTrue(Glob.match(pat, 1, 2, str, 2, 3, false));
        // The byte after the pattern slice is '*' but must read as the NUL terminator.
        byte[] pat2 = b("a**");
        byte[] str2 = b("ab");
        assertFalse(Glob.match(pat2, 0, 1, str2, 0, 2, false));
        assertTrue(Glob.match(pat2, 0, 2, str2, 0, 2, false));
        assertThrows(IndexOutOfBoundsException.class, () -> Glob.match(pat, 3, 5, str, 0, 1, false));
    }

    @Test
    void abusivePatternsStayFast() {
        String longA = "a".repeat(100_000);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertFalse(m("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", longA));
            assertFalse(m("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", longA));
            assertTrue(m("***a", longA));
            assertFalse(m("***b", longA));
            assertTrue(m("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a", longA));
            assertFalse(m("*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*b", longA));
        });
    }

    @Test
    void nestingLimit() {
        // 1000 nested stars are fine, 1001 cut off (not a match), like Redis 7.0.
        String s1000 = "a".repeat(1000);
        assertTrue(m("a*".repeat(1000), s1000));
        assertTrue(m("*a".repeat(1000), s1000));
        assertFalse(m("*a".repeat(1002), "a".repeat(1002)));
    }

    @Test
    void matchesKeysOfRealRedis() {
        long seed = io.redjar.testing.Seeds.seed();
        System.out.println("GlobTest.matchesKeysOfRealRedis seed=" + seed);
        Random rnd = new Random(seed);
        byte[] keyAlphabet = b("abcAB*?[]\\-^\u00e9\u0000");
        byte[] patAlphabet = b("abcAB**??[[]]\\\\--^^\u00e9");
        Set<String> keySet = new LinkedHashSet<>();
        while (keySet.size() < 300) {
            keySet.add(randomString(rnd, keyAlphabet, 1 + rnd.nextInt(7)));
        }
        List<byte[]> keys = new ArrayList<>();
        keySet.add("");
        keySet.forEach(k -> keys.add(b(k)));
        List<byte[]> patterns = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            byte[] p = b(randomString(rnd, patAlphabet, rnd.nextInt(9)));
            if (!(p.length == 1 && p[0] == '*')) { // KEYS skips matching for exactly "*"
                patterns.add(p);
            }
        }
        // Structured patterns with nesting near the limit.
        for (int n = 998; n <= 1003; n++) {
            patterns.add(b("*a".repeat(n)));
            patterns.add(b("a*".repeat(n)));
            patterns.add(b("*a".repeat(n) + "*"));
        }
        try (RealRedis redis = RealRedis.startOrSkip()) {
            List<Object[]> cmds = new ArrayList<>();
            for (byte[] k : keys) {
                cmds.add(new Object[] {"SET", k, "v"});
            }
            for (int n = 998; n <= 1003; n++) {
                String deep = "a".repeat(n);
                cmds.add(new Object[] {"SET", deep, "v"});
                keys.add(b(deep));
            }
            redis.pipeline(cmds);
            cmds.clear();
            for (byte[] p : patterns) {
                cmds.add(new Object[] {"KEYS", p});
            }
            List<Object> replies = redis.pipeline(cmds);
            int matched = 0;
            for (int i = 0; i < patterns.size(); i++) {
                Set<String> expected = new HashSet<>();
                for (Object o : (List<?>) replies.get(i)) {
                    expected.add(RealRedis.str(o));
                }
                Set<String> actual = new HashSet<>();
                for (byte[] k : keys) {
                    if (Glob.match(patterns.get(i), k, false)) {
                        actual.add(RealRedis.str(k));
                    }
                }
                matched += actual.size();
                assertEquals(expected, actual, "pattern '" + RealRedis.str(patterns.get(i)) + "' seed " + seed);
            }
            System.out.println("GlobTest: " + patterns.size() + " patterns, " + matched + " key matches agreed");
        }
    }

    @Test
    void nocaseMatchesCommandListFilterOfRealRedis() {
        // COMMAND LIST FILTERBY PATTERN matches with nocase=1 against the command names.
        long seed = io.redjar.testing.Seeds.seed();
        System.out.println("GlobTest.nocaseMatchesCommandListFilterOfRealRedis seed=" + seed);
        Random rnd = new Random(seed);
        try (RealRedis redis = RealRedis.startOrSkip()) {
            List<byte[]> names = new ArrayList<>();
            for (Object o : (List<?>) redis.call("COMMAND", "LIST")) {
                names.add((byte[]) o);
            }
            byte[] patAlphabet = b("sSeEtTgGlLrRAa*?[]^-|\\");
            List<byte[]> patterns = new ArrayList<>();
            for (int i = 0; i < 1500; i++) {
                patterns.add(b(randomString(rnd, patAlphabet, rnd.nextInt(7))));
            }
            patterns.add(b("*[A-Z]*"));
            patterns.add(b("[^A-R]*"));
            patterns.add(b("CONFIG|*"));
            List<Object[]> cmds = new ArrayList<>();
            for (byte[] p : patterns) {
                cmds.add(new Object[] {"COMMAND", "LIST", "FILTERBY", "PATTERN", p});
            }
            List<Object> replies = redis.pipeline(cmds);
            for (int i = 0; i < patterns.size(); i++) {
                Set<String> expected = new HashSet<>();
                for (Object o : (List<?>) replies.get(i)) {
                    expected.add(RealRedis.str(o));
                }
                Set<String> actual = new HashSet<>();
                for (byte[] n : names) {
                    if (Glob.match(patterns.get(i), n, true)) {
                        actual.add(RealRedis.str(n));
                    }
                }
                assertEquals(expected, actual, "pattern '" + RealRedis.str(patterns.get(i)) + "' seed " + seed);
            }
        }
    }

    private static String randomString(Random rnd, byte[] alphabet, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append((char) (alphabet[rnd.nextInt(alphabet.length)] & 0xFF));
        }
        return sb.toString();
    }
}
