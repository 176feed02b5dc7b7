package io.redjar.internal.types;

import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.structure.IdTree;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamGroupsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> groupNames(long groups) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < StreamGroups.groupCount(groups); i++) {
            names.add(new String(StreamGroups.groupName(StreamGroups.groupAt(groups, i)), StandardCharsets.UTF_8));
        }
        return names;
    }

    @Test
    void groupsAreListedInRaxOrder() {
        try (SlabAllocator a = new SlabAllocator()) {
            long groups = StreamGroups.create(a);
            for (String n : new String[] {"b", "a", "ab", "", "B", "\u00e9", "aa"}) {
                assertNotEquals(0, StreamGroups.createGroup(a, groups, b(n), 0, 0, 0));
            }
            assertEquals(0, StreamGroups.createGroup(a, groups, b("ab"), 0, 0, 0));
            assertEquals(List.of("", "B", "a", "aa", "ab", "b", "\u00e9"), groupNames(groups));
            assertTrue(StreamGroups.destroyGroup(a, groups, b("aa")));
            assertEquals(List.of("", "B", "a", "ab", "b", "\u00e9"), groupNames(groups));
            StreamGroups.verify(groups, (x, y) -> { });
            StreamGroups.release(a, groups);
            assertEquals(0, a.usedBytes());
        }
    }

    @Test
    void pendingEntriesStayConsistentThroughCopyAndRelease() {
        Seeds.run("StreamGroupsTest.pel", random -> {
            try (SlabAllocator a = new SlabAllocator(); SlabAllocator other = new SlabAllocator()) {
                long groups = StreamGroups.create(a);
                long g = StreamGroups.createGroup(a, groups, b("g"), 0, 0, 0);
                long[] consumers = new long[4];
                for (int i = 0; i < consumers.length; i++) {
                    consumers[i] = StreamGroups.createConsumer(a, g, b("c" + i), i);
                }
                TreeSet<Long> pending = new TreeSet<>();
                for (int i = 0; i < 500; i++) {
                    long id = random.nextInt(300);
                    long c = consumers[random.nextInt(consumers.length)];
                    if (random.nextInt(3) > 0 && !pending.contains(id)) {
                        long nack = StreamGroups.createNack(a, c, i);
                        IdTree.insert(a, StreamGroups.pel(g), id, 0, nack);
                        IdTree.insert(a, StreamGroups.consumerPel(c), id, 0, nack);
                        pending.add(id);
                    } else if (pending.remove(id)) {
                        long nack = IdTree.remove(a, StreamGroups.pel(g), id, 0, 0);
                        IdTree.remove(a, StreamGroups.consumerPel(StreamGroups.nackConsumer(nack)), id, 0, 0);
                        StreamGroups.freeNack(a, nack);
                    }
                }
                long[] sum = new long[1];
                StreamGroups.verify(groups, (x, y) -> sum[0] += y);
                assertEquals(sum[0], StreamGroups.memoryUsage(groups));
                long copy = StreamGroups.copy(groups, other);
                StreamGroups.verify(copy, (x, y) -> { });
                assertEquals(StreamGroups.memoryUsage(groups), StreamGroups.memoryUsage(copy));
                long cg = StreamGroups.lookupGroup(copy, b("g"));
                assertEquals(pending.size(), IdTree.size(StreamGroups.pel(cg)));
                long removed = StreamGroups.deleteConsumer(other, cg, StreamGroups.lookupConsumer(cg, b("c1")));
                assertEquals(pending.size() - removed, IdTree.size(StreamGroups.pel(cg)));
                StreamGroups.verify(copy, (x, y) -> { });
                StreamGroups.release(other, copy);
                assertEquals(0, other.usedBytes());
                // a NACK pointing to a foreign consumer is caught
                long gpel = StreamGroups.pel(g);
                IdTree.Cursor cur = new IdTree.Cursor().first(gpel);
                if (cur.valid()) {
                    long nack = cur.value();
                    long owner = StreamGroups.nackConsumer(nack);
                    StreamGroups.setNackConsumer(nack, owner == consumers[0] ? consumers[1] : consumers[0]);
                    assertThrows(IllegalStateException.class, () -> StreamGroups.verify(groups, (x, y) -> { }));
                    StreamGroups.setNackConsumer(nack, owner);
                }
                StreamGroups.release(a, groups);
                assertEquals(0, a.usedBytes());
            }
        });
    }
}
