package io.redjar.internal.acl;

/** Test access to the ACL internals. */
public final class AclTestAccess {
    private AclTestAccess() {
    }

    /** @return Redis's stored form of a password: SHA-256, lower-case hex */
    public static String sha256(String password) {
        return UserRules.hash(password.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
