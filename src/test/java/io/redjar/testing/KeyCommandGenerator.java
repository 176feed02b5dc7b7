package io.redjar.testing;

/**
 * {@link StringCommandGenerator} plus the generic key commands that need more than one database or
 * have options of their own: EXPIRE family with NX/XX/GT/LT (times far in the future, or in the past
 * so keys are deleted at once), GETEX, EXPIRETIME, SELECT, MOVE, COPY ... DB, SWAPDB, OBJECT,
 * TOUCH, UNLINK, SCAN with MATCH/COUNT/TYPE (a full iteration, compared as a set), KEYS and
 * FLUSHDB. Keys never expire by the passage of time during a run.
 */
public class KeyCommandGenerator extends StringCommandGenerator {

    public KeyCommandGenerator(long seed) {
        super(seed);
        command(4, () -> cmd(pick("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"), key(), expireArg(),
            maybe(0.5, pick("NX", "XX", "GT", "LT")), maybe(0.1, pick("NX", "XX", "GT", "LT", "FOO"))));
        command(1, () -> cmd("EXPIRETIME", key()).compareWith(ReplyComparator.ttl(TTL_TOLERANCE_SECONDS)));
        command(1, () -> cmd("PEXPIRETIME", key()).compareWith(ReplyComparator.ttl(TTL_TOLERANCE_SECONDS * 1000)));
        command(2, () -> cmd("GETEX", key(), maybe(0.6, pick("EX", "PX", "EXAT", "PXAT"), expireArg()), maybe(0.2, kw("PERSIST"))));
        command(2, () -> cmd("SELECT", pick("0", "1", "2", "0", "16", "x")));
        command(2, () -> cmd("MOVE", key(), pick("0", "1", "2", "99", "x")));
        command(1, () -> cmd("COPY", key(), key(), kw("DB"), pick("0", "1", "2"), maybe(0.5, kw("REPLACE"))));
        command(1, () -> cmd("SWAPDB", pick("0", "1", "2"), pick("0", "1", "2", "x")));
        command(2, () -> cmd("OBJECT", pick("ENCODING", "REFCOUNT", "FREQ"), key()));
        command(1, () -> cmd("TOUCH", keys(1, 3)));
        command(1, () -> cmd("UNLINK", keys(1, 3)));
        command(1, () -> cmd("KEYS", pick("*", "k*", "k[0-2]", "?1", "*[^3]")).unordered());
        command(1, () -> cmd("SCAN", "0", kw("COUNT"), "1000", maybe(0.5, kw("MATCH"), pick("k*", "k[13]", "*")),
            maybe(0.3, kw("TYPE"), pick("string", "list", "STRING", "nosuch"))).compareWith(ReplyComparator.UNORDERED_DEEP));
        command(1, () -> cmd("FLUSHDB"));
        command(1, () -> cmd("RANDOMKEY").typeOnly());
    }

    private String expireArg() {
        double c = random().nextDouble();
        if (c < 0.15) {
            // never a small positive value: a key that expires a few ms later makes replies depend on timing
            return pick("0", "-1", "x", "9223372036854775807", "-9223372036854775808");
        }
        if (c < 0.55) {
            return Long.toString(between(1000, 100_000));
        }
        // absolute-looking values: far future for the *AT forms, past for the relative ones is fine too
        return Long.toString(between(4_000_000_000L, 5_000_000_000L));
    }
}
