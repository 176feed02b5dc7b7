package io.redjar.internal.eviction.access;

/**
 * One shard's W-TinyLFU state: its {@link FrequencySketch} and its {@link AdmissionWindow}.
 * Created for a shard when a {@code *-wtinylfu} policy is first selected.
 *
 * <p><b>Thread-safety:</b> not thread-safe; guarded by its shard's lock.
 */
public final class ShardAdmission {
    private final FrequencySketch sketch = new FrequencySketch();
    private final AdmissionWindow window = new AdmissionWindow();

    /** Records an access (hit, miss or write) of the key with table hash {@code hash}. */
    public void recordAccess(long hash) {
        sketch.increment(hash);
    }

    /** Records that {@code key} was just added to {@code db} of a shard now holding {@code shardKeys} keys. */
    public void recordInsert(int db, byte[] key, long shardKeys) {
        sketch.ensureCapacity(shardKeys);
        window.add(db, key.clone(), AdmissionWindow.capacityFor(shardKeys));
    }

    /** @return the sketch (tests) */
    public FrequencySketch sketch() {
        return sketch;
    }

    /** @return the window (tests) */
    public AdmissionWindow window() {
        return window;
    }
}
