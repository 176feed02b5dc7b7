package io.redjar.internal.acl;

/**
 * An ACL user as clients hold it: a stable identity (the name) whose rules are replaced, never
 * changed in place, by ACL SETUSER, so that a client authenticated as the user sees new rules on
 * its next command (as in Redis, where clients point at the user struct). A deleted user is
 * marked so; its clients are disconnected.
 *
 * <p><b>Thread-safety:</b> thread-safe; the rules are published through a volatile field and
 * are immutable once published.
 */
public final class User implements io.redjar.internal.server.ClientUser {
    private final String name;
    private volatile UserRules rules;
    private volatile boolean deleted;

    User(String name, UserRules rules) {
        this.name = name;
        this.rules = rules.publish();
    }

    /** @return the user name */
    @Override
    public String name() {
        return name;
    }

    /** @return whether the user may run every command on every key and channel (the fast path) */
    public boolean unrestricted() {
        return rules.unrestricted;
    }

    /** @return whether ACL DELUSER removed this user */
    public boolean deleted() {
        return deleted;
    }

    UserRules rules() {
        return rules;
    }

    void rules(UserRules r) {
        this.rules = r.publish();
    }

    void markDeleted() {
        this.deleted = true;
    }
}
