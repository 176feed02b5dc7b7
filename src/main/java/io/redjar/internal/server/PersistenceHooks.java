package io.redjar.internal.server;

/**
 * What the server commands in {@code internal/command} (INFO, SHUTDOWN, DEBUG RELOAD) need from
 * persistence, which lives in a package they must not depend on. Installed by the store's
 * persistence with {@link ServerState#persistence(PersistenceHooks)}.
 *
 * <p><b>Thread-safety:</b> implementations are called from any thread.
 */
public interface PersistenceHooks {
    /** Appends INFO's {@code # Persistence} fields (without the header). */
    void appendInfo(StringBuilder sb);

    /**
     * SHUTDOWN's persistence step: flush the append-only file, and save a snapshot when
     * {@code save} is asked or save points are set, unless {@code nosave}.
     *
     * @return null when done, or why it failed (SHUTDOWN then fails unless FORCE)
     */
    String prepareShutdown(boolean save, boolean nosave);

    /**
     * FLUSHALL just emptied every database: with save points set, Redis saves the (empty) data set
     * at once, so the dump cannot bring the flushed keys back.
     */
    void flushedAll();

    /**
     * DEBUG RELOAD: save (unless {@code nosave}), empty the data set (unless {@code noflush}) and
     * load the snapshot back ({@code merge}: a loaded key replaces an existing one).
     *
     * @return null when done, or the error message
     */
    String debugReload(boolean merge, boolean noflush, boolean nosave);
}
