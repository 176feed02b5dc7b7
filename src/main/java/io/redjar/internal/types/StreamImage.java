package io.redjar.internal.types;

import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.structure.IdTree;
import io.redjar.internal.structure.Listpack;

import java.util.ArrayList;
import java.util.List;

/**
 * A stream decoded from a snapshot or a DUMP payload (RDB types 15 and 19), on the Java heap,
 * validated by the reader and ready to be built off-heap by {@link #build}: the nodes exactly as
 * stored (Redis's node listpacks, with their master ids), the stream's metadata, and its consumer
 * groups with their pending entries and consumers.
 *
 * <p><b>Thread-safety:</b> not thread-safe; confined to the loading thread.
 */
public final class StreamImage {
    /** {@link Group#entriesRead} meaning "estimate it from the stream" (RDB type 15 has no counter). */
    public static final long ESTIMATE_ENTRIES_READ = Long.MIN_VALUE;

    /** Master ids of the nodes, in ascending (unsigned) order. */
    public final long[] masterMs;
    public final long[] masterSeq;
    /**
     * The nodes' listpack elements, parallel to the master ids (re-encoded on install, which for a
     * listpack Redis wrote gives the same bytes, and for a hand-made one the canonical encoding
     * RedJar's listpack code relies on: integer text always integer-encoded).
     */
    public final List<List<byte[]>> nodes;
    public final long length;
    public final long lastMs;
    public final long lastSeq;
    /** First entry id; null for RDB type 15 (computed from the nodes, as Redis does). */
    public final long[] firstId;
    public final long maxDeletedMs;
    public final long maxDeletedSeq;
    /** Entries ever added; -1 for RDB type 15 (the length, as Redis does). */
    public final long entriesAdded;
    public final List<Group> groups;

    /** A consumer group: its pending entries (ids, delivery times and counts) and consumers. */
    public static final class Group {
        public final byte[] name;
        public final long lastMs;
        public final long lastSeq;
        /** -1 for unknown, {@link #ESTIMATE_ENTRIES_READ} to estimate. */
        public final long entriesRead;
        /** Pending ids and NACKs, in id order. */
        public final long[] pelMs;
        public final long[] pelSeq;
        public final long[] deliveryTime;
        public final long[] deliveryCount;
        /** For each pending entry, the index of its consumer in {@link #consumers}. */
        public final int[] owner;
        public final List<Consumer> consumers;

        public Group(byte[] name, long lastMs, long lastSeq, long entriesRead, long[] pelMs, long[] pelSeq,
                     long[] deliveryTime, long[] deliveryCount, int[] owner, List<Consumer> consumers) {
            this.name = name;
            this.lastMs = lastMs;
            this.lastSeq = lastSeq;
            this.entriesRead = entriesRead;
            this.pelMs = pelMs;
            this.pelSeq = pelSeq;
            this.deliveryTime = deliveryTime;
            this.deliveryCount = deliveryCount;
            this.owner = owner;
            this.consumers = consumers;
        }
    }

    /** A consumer: its name and seen time (its pending entries are the group's with its index as owner). */
    public record Consumer(byte[] name, long seenTime) {
    }

    public StreamImage(long[] masterMs, long[] masterSeq, List<List<byte[]>> nodes, long length, long lastMs, long lastSeq,
                       long[] firstId, long maxDeletedMs, long maxDeletedSeq, long entriesAdded, List<Group> groups) {
        this.masterMs = masterMs;
        this.masterSeq = masterSeq;
        this.nodes = nodes;
        this.length = length;
        this.lastMs = lastMs;
        this.lastSeq = lastSeq;
        this.firstId = firstId;
        this.maxDeletedMs = maxDeletedMs;
        this.maxDeletedSeq = maxDeletedSeq;
        this.entriesAdded = entriesAdded;
        this.groups = groups;
    }

    /** @return the number of entries of the image's nodes' size, for progress accounting */
    public long size() {
        return length;
    }

    /**
     * Builds the stream object in {@code a} (nodes copied as they are, the index, the metadata,
     * the groups with NACK blocks shared by group and consumer PELs).
     *
     * @return the stream object's address
     */
    public long build(SlabAllocator a) {
        long s = StreamObject.create(a);
        for (int i = 0; i < nodes.size(); i++) {
            long node = Listpack.create(a);
            for (byte[] element : nodes.get(i)) {
                node = Listpack.append(a, node, element);
            }
            StreamObject.adoptNode(a, s, masterMs[i], masterSeq[i], node);
        }
        StreamObject.setLength(s, length);
        StreamObject.setLastId(s, lastMs, lastSeq);
        StreamObject.setMaxDeletedId(s, maxDeletedMs, maxDeletedSeq);
        if (firstId != null) {
            StreamObject.setFirstId(s, firstId[0], firstId[1]);
            StreamObject.setEntriesAdded(s, entriesAdded);
        } else {
            StreamId first = StreamObject.edgeId(s, true, true);
            StreamObject.setFirstId(s, first.ms(), first.seq());
            StreamObject.setEntriesAdded(s, length);
        }
        if (!groups.isEmpty()) {
            long gs = StreamGroups.create(a);
            StreamObject.setGroups(s, gs);
            for (Group g : groups) {
                long read = g.entriesRead == ESTIMATE_ENTRIES_READ
                    ? StreamGroupOps.estimateDistance(s, g.lastMs, g.lastSeq) : g.entriesRead;
                long group = StreamGroups.createGroup(a, gs, g.name, g.lastMs, g.lastSeq, read);
                long[] consumers = new long[g.consumers.size()];
                for (int c = 0; c < consumers.length; c++) {
                    Consumer ci = g.consumers.get(c);
                    consumers[c] = StreamGroups.createConsumer(a, group, ci.name(), ci.seenTime());
                }
                long gpel = StreamGroups.pel(group);
                for (int p = 0; p < g.pelMs.length; p++) {
                    long consumer = consumers[g.owner[p]];
                    long nack = StreamGroups.createNack(a, consumer, g.deliveryTime[p]);
                    StreamGroups.setDeliveryCount(nack, g.deliveryCount[p]);
                    IdTree.insert(a, gpel, g.pelMs[p], g.pelSeq[p], nack);
                    IdTree.insert(a, StreamGroups.consumerPel(consumer), g.pelMs[p], g.pelSeq[p], nack);
                }
            }
        }
        return s;
    }

    /** @return an empty group list to fill */
    public static List<Group> groupList(long n) {
        return new ArrayList<>((int) Math.min(n, 64));
    }
}
