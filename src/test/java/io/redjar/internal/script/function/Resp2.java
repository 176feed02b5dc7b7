package io.redjar.internal.script.function;

import io.redjar.Reply;

import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: an in-process reply as a RESP2 client receives it (maps flattened, sets as arrays,
 * booleans as 1/0), so in-process replies compare with a RESP2 redis-server connection's.
 */
final class Resp2 {
    private Resp2() {
    }

    static Reply downgrade(Reply r) {
        if (r instanceof Reply.Map m) {
            return Reply.array(all(m.flat()));
        } else if (r instanceof Reply.SetReply s) {
            return Reply.array(all(s.elements()));
        } else if (r instanceof Reply.ArrayReply a) {
            return Reply.array(all(a.elements()));
        } else if (r instanceof Reply.Bool b) {
            return Reply.integer(b.value() ? 1 : 0);
        }
        return r;
    }

    private static List<Reply> all(List<Reply> in) {
        List<Reply> out = new ArrayList<>(in.size());
        for (Reply e : in) {
            out.add(downgrade(e));
        }
        return out;
    }
}
