package io.redjar.internal.persistence.rdb;

import io.redjar.internal.persistence.rdb.RdbStrings.RdbFormatException;
import io.redjar.internal.structure.IdTree;
import io.redjar.internal.structure.Listpack;
import io.redjar.internal.structure.StreamIndex;
import io.redjar.internal.types.StreamGroups;
import io.redjar.internal.types.StreamImage;
import io.redjar.internal.types.StreamObject;
import io.redjar.internal.types.ValueImage;
import io.redjar.internal.util.Numbers;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams in RDB form, as Redis 7.0's {@code rdbSaveObject} / {@code rdbLoadObject} write and read
 * them:
 * <pre>
 *   node count, then per node: master id (16 bytes, big-endian ms then seq) and the node listpack,
 *     both as strings
 *   length, last id (ms, seq), first id, max deleted id, entries added      (type 19; type 15 stops
 *                                                                           after the last id)
 *   group count, then per group (name order): name, last id, entries read (type 19 only),
 *     PEL size, per pending entry: 16-byte id, delivery time (8 bytes LE ms), delivery count;
 *     consumer count, per consumer (name order): name, seen time (8 bytes LE), PEL size, its ids
 * </pre>
 * Numbers are RDB lengths holding unsigned 64-bit values (entries read -1 is written as 2^64-1).
 *
 * <p>Reading validates as Redis does with {@code sanitize-dump-payload yes} (each node's listpack
 * and stream structure, {@code streamValidateListpackIntegrity}; node key size; empty nodes;
 * duplicate node keys, groups, consumers and PEL entries; consumer ids absent from the group PEL;
 * PEL entries without a consumer) and, beyond Redis, what RedJar's structures and integrity check
 * rely on: a node's live and deleted counts match its entries, entry ids
 * increase across the nodes from each master id and stay at or below the last id, the length is
 * the number of live entries, and no pending entry belongs to two consumers (Redis would keep a
 * dangling reference there).
 *
 * <p><b>Thread-safety:</b> stateless; the writer's caller holds the entry's shard lock.
 */
final class RdbStreams {
    private static final int FLAG_DELETED = 1;
    private static final int FLAG_SAMEFIELDS = 2;

    private RdbStreams() {
    }

    private static byte[] idKey(long ms, long seq) {
        return ByteBuffer.allocate(16).putLong(ms).putLong(seq).array();
    }

    // ---- writing ------------------------------------------------------------------------------

    /** Writes the stream object {@code s} (after the type id). */
    static void write(RdbWriter w, long s) {
        long idx = StreamObject.index(s);
        int n = StreamIndex.count(idx);
        w.writeLength(n);
        for (int i = 0; i < n; i++) {
            w.writeString(idKey(StreamIndex.masterMs(idx, i), StreamIndex.masterSeq(idx, i)));
            long lp = StreamIndex.node(idx, i);
            w.writeString(lp, Listpack.bytes(lp));
        }
        w.writeUnsignedLength(StreamObject.length(s));
        w.writeUnsignedLength(StreamObject.lastMs(s));
        w.writeUnsignedLength(StreamObject.lastSeq(s));
        w.writeUnsignedLength(StreamObject.firstId(s).ms());
        w.writeUnsignedLength(StreamObject.firstId(s).seq());
        w.writeUnsignedLength(StreamObject.maxDeletedId(s).ms());
        w.writeUnsignedLength(StreamObject.maxDeletedId(s).seq());
        w.writeUnsignedLength(StreamObject.entriesAdded(s));
        long groups = StreamObject.groups(s);
        int gn = StreamGroups.groupCount(groups);
        w.writeLength(gn);
        for (int i = 0; i < gn; i++) {
            long g = StreamGroups.groupAt(groups, i);
            w.writeString(StreamGroups.groupName(g));
            w.writeUnsignedLength(StreamGroups.lastMs(g));
            w.writeUnsignedLength(StreamGroups.lastSeq(g));
            w.writeUnsignedLength(StreamGroups.entriesRead(g));
            long gpel = StreamGroups.pel(g);
            w.writeLength(IdTree.size(gpel));
            for (IdTree.Cursor c = new IdTree.Cursor().first(gpel); c.valid(); c.next()) {
                byte[] id = idKey(c.ms(), c.seq());
                w.raw(id);
                w.writeLongLE(StreamGroups.deliveryTime(c.value()));
                w.writeUnsignedLength(StreamGroups.deliveryCount(c.value()));
            }
            int cn = StreamGroups.consumerCount(g);
            w.writeLength(cn);
            for (int j = 0; j < cn; j++) {
                long consumer = StreamGroups.consumerAt(g, j);
                w.writeString(StreamGroups.consumerName(consumer));
                w.writeLongLE(StreamGroups.seenTime(consumer));
                long cpel = StreamGroups.consumerPel(consumer);
                w.writeLength(IdTree.size(cpel));
                for (IdTree.Cursor c = new IdTree.Cursor().first(cpel); c.valid(); c.next()) {
                    w.raw(idKey(c.ms(), c.seq()));
                }
            }
        }
    }

    // ---- reading ------------------------------------------------------------------------------

    /** Reads a stream value of RDB type 15 or 19 (after the type id). */
    static ValueImage read(int type, RdbInput in) throws RdbFormatException {
        boolean v2 = type == RdbValueWriter.TYPE_STREAM_LISTPACKS_2;
        long nodeCount = in.readCount(2);
        record Node(long ms, long seq, List<byte[]> elements) {
        }
        List<Node> nodes = new ArrayList<>((int) Math.min(nodeCount, 1024));
        for (long i = 0; i < nodeCount; i++) {
            byte[] key = in.readString();
            if (key.length != 16) {
                throw in.corrupt("Stream node key entry is not the size of a stream ID");
            }
            byte[] lp = in.readString();
            List<byte[]> elements;
            try {
                elements = RdbBlobs.listpack(lp);
            } catch (RdbFormatException e) {
                throw in.corrupt("Stream listpack integrity check failed. (" + e.getMessage() + ")");
            }
            if (elements.isEmpty()) {
                throw in.corrupt("Empty listpack inside stream");
            }
            ByteBuffer b = ByteBuffer.wrap(key);
            nodes.add(new Node(b.getLong(), b.getLong(), elements));
        }
        nodes.sort((x, y) -> IdTree.compare(x.ms, x.seq, y.ms, y.seq));
        long[] state = new long[4]; // live entries, any entry seen, last id (ms, seq)
        for (int i = 0; i < nodes.size(); i++) {
            if (i > 0 && nodes.get(i).ms == nodes.get(i - 1).ms && nodes.get(i).seq == nodes.get(i - 1).seq) {
                throw in.corrupt("Listpack re-added with existing key");
            }
            String problem = validateNode(nodes.get(i).elements, nodes.get(i).ms, nodes.get(i).seq, state);
            if (problem != null) {
                throw in.corrupt("Stream listpack integrity check failed. (" + problem + ")");
            }
        }
        long length = in.readUnsignedLength();
        long lastMs = in.readUnsignedLength();
        long lastSeq = in.readUnsignedLength();
        long[] first = null;
        long maxDelMs = 0;
        long maxDelSeq = 0;
        long entriesAdded = -1;
        if (v2) {
            first = new long[] {in.readUnsignedLength(), in.readUnsignedLength()};
            maxDelMs = in.readUnsignedLength();
            maxDelSeq = in.readUnsignedLength();
            entriesAdded = in.readUnsignedLength();
        }
        if (length != 0 && nodes.isEmpty()) {
            throw in.corrupt("Stream length inconsistent with rax entries");
        }
        // RedJar's invariants (its integrity check and its node bookkeeping rely on them)
        if (state[0] != length) {
            throw in.corrupt("Stream length " + Long.toUnsignedString(length) + " but its nodes hold " + state[0] + " entries");
        }
        if (state[1] != 0 && IdTree.compare(state[2], state[3], lastMs, lastSeq) > 0) {
            throw in.corrupt("Stream entry above the stream's last ID");
        }
        long groupCount = in.readCount(4);
        List<StreamImage.Group> groups = StreamImage.groupList(groupCount);
        Set<ByteBuffer> groupNames = new HashSet<>();
        for (long gi = 0; gi < groupCount; gi++) {
            byte[] name = in.readString();
            long gms = in.readUnsignedLength();
            long gseq = in.readUnsignedLength();
            long entriesRead = v2 ? in.readUnsignedLength() : StreamImage.ESTIMATE_ENTRIES_READ;
            if (!groupNames.add(ByteBuffer.wrap(name))) {
                throw in.corrupt("Duplicated consumer group name " + new String(name, java.nio.charset.StandardCharsets.UTF_8));
            }
            long pelSize = in.readCount(17);
            int n = (int) pelSize;
            long[] pms = new long[n];
            long[] pseq = new long[n];
            long[] time = new long[n];
            long[] count = new long[n];
            int[] owner = new int[n];
            Arrays.fill(owner, -1);
            Map<ByteBuffer, Integer> pelIndex = new HashMap<>();
            for (int p = 0; p < n; p++) {
                ByteBuffer id = ByteBuffer.wrap(in.readBytes(16));
                pms[p] = id.getLong(0);
                pseq[p] = id.getLong(8);
                time[p] = in.readLongLE();
                count[p] = in.readUnsignedLength();
                if (pelIndex.put(id, p) != null) {
                    throw in.corrupt("Duplicated global PEL entry loading stream consumer group");
                }
            }
            long consumerCount = in.readCount(10);
            List<StreamImage.Consumer> consumers = new ArrayList<>((int) Math.min(consumerCount, 1024));
            Set<ByteBuffer> consumerNames = new HashSet<>();
            for (long ci = 0; ci < consumerCount; ci++) {
                byte[] cname = in.readString();
                if (!consumerNames.add(ByteBuffer.wrap(cname))) {
                    throw in.corrupt("Duplicate stream consumer detected.");
                }
                long seen = in.readLongLE();
                consumers.add(new StreamImage.Consumer(cname, seen));
                long own = in.readCount(16);
                for (long k = 0; k < own; k++) {
                    Integer p = pelIndex.get(ByteBuffer.wrap(in.readBytes(16)));
                    if (p == null) {
                        throw in.corrupt("Consumer entry not found in group global PEL");
                    }
                    if (owner[p] == consumers.size() - 1) {
                        throw in.corrupt("Duplicated consumer PEL entry  loading a stream consumer group");
                    }
                    if (owner[p] != -1) {
                        throw in.corrupt("Stream PEL entry owned by two consumers");
                    }
                    owner[p] = consumers.size() - 1;
                }
            }
            for (int p = 0; p < n; p++) {
                if (owner[p] == -1) {
                    throw in.corrupt("Stream CG PEL entry without consumer");
                }
            }
            // the PEL in id order (an RDB from Redis has it so; sort defensively)
            Integer[] order = new Integer[n];
            for (int p = 0; p < n; p++) {
                order[p] = p;
            }
            Arrays.sort(order, (x, y) -> IdTree.compare(pms[x], pseq[x], pms[y], pseq[y]));
            long[] sms = new long[n];
            long[] sseq = new long[n];
            long[] stime = new long[n];
            long[] scount = new long[n];
            int[] sowner = new int[n];
            for (int p = 0; p < n; p++) {
                int o = order[p];
                sms[p] = pms[o];
                sseq[p] = pseq[o];
                stime[p] = time[o];
                scount[p] = count[o];
                sowner[p] = owner[o];
            }
            groups.add(new StreamImage.Group(name, gms, gseq, entriesRead, sms, sseq, stime, scount, sowner, consumers));
        }
        groups.sort((x, y) -> Arrays.compareUnsigned(x.name, y.name));
        long[] ms = new long[nodes.size()];
        long[] seq = new long[nodes.size()];
        List<List<byte[]>> lps = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            ms[i] = nodes.get(i).ms;
            seq[i] = nodes.get(i).seq;
            lps.add(nodes.get(i).elements);
        }
        return ValueImage.stream(new StreamImage(ms, seq, lps, length, lastMs, lastSeq, first, maxDelMs, maxDelSeq,
            entriesAdded, groups));
    }

    /** {@code lpGetIntegerIfValid}: the element's integer value, or null when it is not one. */
    private static Long integer(List<byte[]> e, int i) {
        if (i >= e.size()) {
            return null;
        }
        byte[] b = e.get(i);
        return Numbers.isLong(b) ? Numbers.parseLong(b) : null;
    }

    /**
     * Redis's {@code streamValidateListpackIntegrity} in deep mode over the node's decoded
     * elements, plus the live/deleted counts RedJar relies on.
     *
     * @return null when valid, else what is wrong
     */
    static String validateNode(List<byte[]> e, long masterMs, long masterSeq, long[] state) {
        if (e.isEmpty()) {
            return "Empty listpack inside stream";
        }
        Long live = integer(e, 0);
        Long deleted = integer(e, 1);
        Long masterFields = integer(e, 2);
        if (live == null || deleted == null || masterFields == null || masterFields < 0 || live < 0 || deleted < 0) {
            return "malformed master entry";
        }
        int p = 3;
        if (masterFields > e.size()) {
            return "master fields beyond the node";
        }
        p += masterFields.intValue();
        Long zero = integer(e, p);
        if (zero == null || zero != 0) {
            return "missing master entry terminator";
        }
        p++;
        long entries = live + deleted;
        long seenLive = 0;
        long seenDeleted = 0;
        for (long k = 0; k < entries; k++) {
            Long flags = integer(e, p);
            if (flags == null) {
                return "malformed entry flags";
            }
            Long msDiff = integer(e, p + 1);
            Long seqDiff = integer(e, p + 2);
            if (msDiff == null || seqDiff == null) {
                return "malformed entry id";
            }
            long ms = masterMs + msDiff;
            long seq = masterSeq + seqDiff;
            if (IdTree.compare(ms, seq, masterMs, masterSeq) < 0
                || (state[1] != 0 && IdTree.compare(ms, seq, state[2], state[3]) <= 0)) {
                return "entry IDs out of order";
            }
            state[1] = 1;
            state[2] = ms;
            state[3] = seq;
            p += 3;
            long fields = masterFields;
            long extra = 3;
            if ((flags & FLAG_SAMEFIELDS) == 0) {
                Long f = integer(e, p);
                if (f == null || f < 0 || f > e.size()) {
                    return "malformed entry field count";
                }
                fields = f;
                p += 1 + (int) fields;
                extra += fields + 1;
            }
            p += (int) fields;
            Long lpCount = integer(e, p);
            if (lpCount == null || lpCount != fields + extra) {
                return "entry lp-count mismatch";
            }
            p++;
            if ((flags & FLAG_DELETED) != 0) {
                seenDeleted++;
            } else {
                seenLive++;
            }
        }
        if (p != e.size()) {
            return "trailing elements";
        }
        if (seenLive != live || seenDeleted != deleted) {
            return "entry counts do not match the master entry";
        }
        state[0] += seenLive;
        return null;
    }
}
