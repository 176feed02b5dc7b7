package io.redjar.internal.persistence;

import io.redjar.Reply;
import io.redjar.internal.command.CallGate;
import io.redjar.internal.command.CommandFlag;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.ExecContext;

import java.util.List;

/**
 * The {@link CallGate.Slot#DISK_ERROR} gate (Redis's {@code writeCommandsDeniedByDiskError}):
 * while a persistence source reports an error, write commands and PING are refused with that
 * source's text ({@code MISCONF ...}); reads go on. Sources are asked in order; the first that
 * answers wins (the RDB's {@code stop-writes-on-bgsave-error} first, as Redis checks it first,
 * then the append-only file's last write status).
 *
 * <p><b>Thread-safety:</b> thread-safe if the sources are (each is a volatile read).
 */
public final class DiskErrorGate implements CallGate {
    /** One reason writes may be refused. */
    @FunctionalInterface
    public interface Source {
        /** @return the full error text (e.g. {@code MISCONF Errors writing to the AOF file: ...}), or null */
        String refusal();
    }

    private final List<Source> sources;

    public DiskErrorGate(List<Source> sources) {
        this.sources = List.copyOf(sources);
    }

    /** @return the first source's refusal, or null when writes are allowed */
    public String refusal() {
        for (Source s : sources) {
            String r = s.refusal();
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    @Override
    public Reply check(CommandSpec spec, ExecContext ctx, int db, byte[][] argv) {
        if (!spec.has(CommandFlag.WRITE) && !spec.fullName().equals("ping")) {
            return null;
        }
        String r = refusal();
        return r == null ? null : Reply.error(r);
    }
}
