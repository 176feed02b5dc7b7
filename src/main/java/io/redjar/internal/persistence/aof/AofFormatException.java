package io.redjar.internal.persistence.aof;

import io.redjar.RedJarException;

/**
 * An append-only file or manifest that cannot be loaded: the message names the file and the
 * byte offset (or manifest line) where it went wrong.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class AofFormatException extends RedJarException {
    private static final long serialVersionUID = 1L;

    public AofFormatException(String message) {
        super(message);
    }
}
