package io.redjar.diff;

import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.BitCommandGenerator;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

/**
 * SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO sent to a real redis-server
 * and to RedJar's {@code Session.execute}; replies (errors included) must be identical. Random
 * sequences over integer, binary and long strings plus a list for WRONGTYPE, and hand-written
 * extremes: offsets at and past {@code 2^32 - 1}, 64-bit fields, every OVERFLOW mode.
 */
@RequiresRedis
class BitmapsDifferentialTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomSequences(long seed, RespClient redis) {
        long s = DifferentialRunner.seedOr(seed);
        try (Store store = Store.open()) {
            Session session = store.newSession();
            new DifferentialRunner(redis, session::execute).seed(s).run(new BitCommandGenerator(s), 2000);
        }
    }

    @Test
    void extremes(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            new DifferentialRunner(redis, session::execute).run(List.of(
                Step.of("GETBIT", "missing", "4294967295"),
                Step.of("GETBIT", "missing", "4294967296"),
                Step.of("SETBIT", "k", "4294967296", "1"),
                Step.of("SETBIT", "k", "-1", "1"),
                Step.of("SETBIT", "k", "0", "2"),
                Step.of("SETBIT", "k", "0", "9223372036854775808"),
                Step.of("SETBIT", "k", "8000000", "1"),
                Step.of("STRLEN", "k"),
                Step.of("BITCOUNT", "k"),
                Step.of("BITPOS", "k", "1"),
                Step.of("BITPOS", "k", "0", "1000"),
                Step.of("BITPOS", "k", "1", "-1", "-1", "BIT"),
                Step.of("GETBIT", "k", "4294967295"),
                Step.of("SET", "n", "-9223372036854775808"),
                Step.of("BITCOUNT", "n", "0", "-1", "BIT"),
                Step.of("BITFIELD", "n", "GET", "i64", "0", "GET", "u63", "1", "GET", "i64", "#2"),
                Step.of("BITOP", "NOT", "nn", "n"),
                Step.of("GET", "nn"),
                Step.of("OBJECT", "ENCODING", "nn"),
                Step.of("BITFIELD", "f", "GET", "u8", "4294967288", "GET", "u8", "4294967289", "GET", "i8", "#536870911"),
                Step.of("BITFIELD", "f", "SET", "u8", "#536870912", "1"),
                Step.of("BITFIELD", "f", "SET", "i64", "#9223372036854775807", "1"),
                Step.of("EXISTS", "f"),
                Step.of("BITFIELD", "f", "OVERFLOW", "FAIL", "SET", "i8", "0", "200", "SET", "u8", "8", "-1"),
                Step.of("EXISTS", "f"),
                Step.of("STRLEN", "f"),
                Step.of("BITFIELD", "f", "INCRBY", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "9223372036854775807",
                    "OVERFLOW", "SAT", "INCRBY", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "-9223372036854775808",
                    "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "-9223372036854775808"),
                Step.of("BITFIELD", "f", "INCRBY", "u63", "1", "9223372036854775807", "INCRBY", "u63", "1", "9223372036854775807",
                    "OVERFLOW", "SAT", "INCRBY", "u63", "1", "1", "INCRBY", "u63", "1", "-9223372036854775808"),
                Step.of("BITFIELD_RO", "f", "SET", "u8", "0", "1"),
                Step.of("BITFIELD_RO", "f", "GET", "u8", "0", "GET", "i4", "#3"),
                Step.of("BITOP", "AND", "f", "nothing", "nothing2"),
                Step.of("EXISTS", "f"),
                Step.of("BITOP", "NOT", "f", "a", "b"),
                Step.of("BITOP", "nope", "f", "a"),
                Step.of("BITCOUNT", "nope", "1", "2", "3", "4"),
                Step.of("BITCOUNT", "n", "-1", "-2", "nonsense"),
                Step.of("BITPOS", "nope", "1", "a", "b", "c", "d"),
                Step.of("BITPOS", "n", "3"),
                Step.of("BITFIELD", "ff", "SET", "u16", "0", "65535"),
                Step.of("BITPOS", "ff", "0"),
                Step.of("BITPOS", "ff", "0", "1"),
                Step.of("BITPOS", "ff", "0", "0", "-1"),
                Step.of("BITPOS", "ff", "0", "3", "BIT"),
                Step.of("BITPOS", "ff", "0", "3", "15", "BIT"),
                Step.of("BITPOS", "ff", "1", "3", "15", "BIT"),
                Step.of("SETBIT", "ff", "13", "0"),
                Step.of("BITPOS", "ff", "0", "3", "15", "BIT"),
                Step.of("BITPOS", "ff", "0", "14", "-1", "BIT"),
                Step.of("BITCOUNT", "ff", "3", "12", "BIT"),
                Step.of("OBJECT", "ENCODING", "ff")));
        }
    }
}
