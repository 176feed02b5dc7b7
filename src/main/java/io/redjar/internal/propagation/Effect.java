package io.redjar.internal.propagation;

/**
 * One write's deterministic effect, as a replica or an append-only file must replay it: the
 * database and the command ({@code SET k v PXAT <ms>}, {@code DEL k}, ...), stamped with its place
 * in the store's single stream of effects.
 *
 * <p><b>Thread-safety:</b> immutable by contract: {@code argv} and its arrays are shared with the
 * writer and every consumer and must never be modified.
 *
 * @param offset the effect's position in the stream: 1 for the first effect a bus sequences, then
 *               each effect exactly one more than the one before it
 * @param db     the database the command ran against
 * @param argv   the command and its arguments
 */
public record Effect(long offset, int db, byte[][] argv) {
}
