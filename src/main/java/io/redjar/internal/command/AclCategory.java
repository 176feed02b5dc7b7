package io.redjar.internal.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Redis 7.0's ACL command categories ({@code ACL CAT}), declared in Redis's order (the order of
 * {@code ACLCommandCategories} in {@code acl.c}, which is also the order {@code COMMAND INFO}
 * lists them in). A command's categories are a bit mask, one bit per constant
 * ({@link #bit()}), held by its {@link CommandSpec}.
 *
 * <p>Where the categories come from, as in Redis: the <em>explicit</em> ones of each command
 * are data, the resource {@code acl-categories.txt} next to this class (made from Redis 7.0's
 * {@code src/commands/*.json} {@code acl_categories}); the <em>implicit</em> ones follow from the
 * command flags ({@link #implicit}, Redis's {@code setImplicitACLCategories}).
 *
 * <p><b>Thread-safety:</b> immutable; the resource is read once, when the class initialises.
 */
public enum AclCategory {
    KEYSPACE, READ, WRITE, SET, SORTEDSET, LIST, HASH, STRING, BITMAP, HYPERLOGLOG, GEO, STREAM,
    PUBSUB, ADMIN, FAST, SLOW, BLOCKING, DANGEROUS, CONNECTION, TRANSACTION, SCRIPTING;

    private static final AclCategory[] ALL = values();
    private static final Map<String, Long> EXPLICIT = load();

    private final String redisName = name().toLowerCase(Locale.ROOT);

    /** @return the lower-case name {@code ACL CAT} lists, e.g. {@code sortedset} */
    public String redisName() {
        return redisName;
    }

    /** @return this category's bit in a category mask */
    public long bit() {
        return 1L << ordinal();
    }

    /** @return the category named {@code name} (any case, without {@code @}), or null */
    public static AclCategory byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (AclCategory c : ALL) {
            if (c.redisName.equals(n)) {
                return c;
            }
        }
        return null;
    }

    /** @return every category in {@code mask}, in Redis's order */
    public static List<AclCategory> of(long mask) {
        List<AclCategory> out = new ArrayList<>();
        for (AclCategory c : ALL) {
            if ((mask & c.bit()) != 0) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The full category mask of a command, as Redis computes it: the explicit categories of
     * {@code fullName} from the resource, then the implicit ones of its flags.
     *
     * @param fullName {@code get} or {@code config|get}
     */
    public static long of(String fullName, Set<CommandFlag> flags) {
        return implicit(EXPLICIT.getOrDefault(fullName, 0L), flags);
    }

    /**
     * Redis's {@code setImplicitACLCategories}: write, read (not for scripting commands),
     * admin+dangerous, pubsub, fast, blocking from the flags, and slow for whatever is not fast.
     */
    public static long implicit(long explicit, Set<CommandFlag> flags) {
        long m = explicit;
        if (flags.contains(CommandFlag.WRITE)) {
            m |= WRITE.bit();
        }
        if (flags.contains(CommandFlag.READONLY) && (m & SCRIPTING.bit()) == 0) {
            m |= READ.bit();
        }
        if (flags.contains(CommandFlag.ADMIN)) {
            m |= ADMIN.bit() | DANGEROUS.bit();
        }
        if (flags.contains(CommandFlag.PUBSUB)) {
            m |= PUBSUB.bit();
        }
        if (flags.contains(CommandFlag.FAST)) {
            m |= FAST.bit();
        }
        if (flags.contains(CommandFlag.BLOCKING)) {
            m |= BLOCKING.bit();
        }
        if ((m & FAST.bit()) == 0) {
            m |= SLOW.bit();
        }
        return m;
    }

    /** @return the full names the resource lists (every command Redis 7.0 has) */
    public static Set<String> redisCommands() {
        return Collections.unmodifiableSet(EXPLICIT.keySet());
    }

    private static Map<String, Long> load() {
        Map<String, Long> m = new HashMap<>();
        try (InputStream in = AclCategory.class.getResourceAsStream("acl-categories.txt")) {
            if (in == null) {
                throw new IllegalStateException("acl-categories.txt missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split("\\s+");
                long mask = 0;
                for (int i = 1; i < parts.length; i++) {
                    AclCategory c = byName(parts[i]);
                    if (c == null) {
                        throw new IllegalStateException("acl-categories.txt: unknown category " + parts[i]);
                    }
                    mask |= c.bit();
                }
                m.put(parts[0], mask);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }
}
