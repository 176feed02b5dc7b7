package io.redjar.testing;

import io.redjar.PropagationSink;
import io.redjar.Session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PropagationSink} that records what a store propagates, each effect as its arguments
 * (ISO-8859-1 strings), for tests of propagated forms: give it to
 * {@code Store.builder().propagationSink(log)}, then {@link #drain} after each command.
 *
 * <p><b>Thread-safety:</b> thread-safe (the store may propagate from any thread).
 */
public final class PropagationLog implements PropagationSink {
    private final List<List<String>> log = new ArrayList<>();

    @Override
    public synchronized void propagate(int db, byte[][] argv) {
        List<String> a = new ArrayList<>(argv.length);
        for (byte[] b : argv) {
            a.add(new String(b, StandardCharsets.ISO_8859_1));
        }
        log.add(a);
    }

    /** @return the effects recorded so far, oldest first, and forgets them */
    public synchronized List<List<String>> drain() {
        List<List<String>> out = new ArrayList<>(log);
        log.clear();
        return out;
    }

    /** Runs {@code argv} on {@code s}; @return the effects it propagated */
    public List<List<String>> drain(Session s, String... argv) {
        drain();
        s.execute(argv);
        return drain();
    }
}
