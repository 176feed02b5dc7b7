package io.redjar.internal.types;

import io.redjar.internal.structure.StreamIndex;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * XINFO STREAM's {@code radix-tree-nodes}: the number of nodes Redis's rax would have for the
 * stream's master IDs (16-byte big-endian keys), computed for the canonical compressed trie: the
 * root, every branching prefix, every child of a branching prefix, and every key (a leaf). Redis's
 * rax builds exactly this shape for these fixed-length keys when inserting; after deletions its
 * count can differ (it does not always re-compress), so this is exact for append-only streams and
 * an estimate otherwise.
 *
 * <p><b>Thread-safety:</b> stateless; allocates (XINFO only).
 */
final class RaxEstimate {
    private RaxEstimate() {
    }

    static long nodes(long stream) {
        long idx = StreamObject.index(stream);
        int n = StreamIndex.count(idx);
        byte[][] keys = new byte[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = encode(StreamIndex.masterMs(idx, i), StreamIndex.masterSeq(idx, i));
        }
        Set<String> branching = new HashSet<>();
        for (int i = 0; i + 1 < n; i++) {
            branching.add(prefix(keys[i], lcp(keys[i], keys[i + 1])));
        }
        Set<String> nodes = new HashSet<>();
        nodes.add("");
        nodes.addAll(branching);
        for (byte[] k : keys) {
            nodes.add(prefix(k, 16));
            for (int l = 0; l < 16; l++) {
                if (branching.contains(prefix(k, l))) {
                    nodes.add(prefix(k, l + 1));
                }
            }
        }
        return nodes.size();
    }

    private static byte[] encode(long ms, long seq) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (ms >>> (56 - 8 * i));
            b[8 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return b;
    }

    private static int lcp(byte[] a, byte[] b) {
        int i = 0;
        while (i < 16 && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    private static String prefix(byte[] k, int len) {
        return new String(k, 0, len, StandardCharsets.ISO_8859_1);
    }
}
