package io.redjar.internal.script;

import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * Names the operand of a failed instruction the way C Lua does ({@code attempt to call field
 * 'register_function' (a nil value)}, {@code attempt to index local 't' (a nil value)}): LuaJ's
 * runtime errors only give the operand's type.
 *
 * <p><b>Design.</b> C Lua's {@code luaG_typeerror} names an operand that lives in a register of the
 * running function by the variable it came from: a local in scope at that instruction, or else the
 * instruction that last wrote the register (Lua 5.2's {@code getobjname}/{@code findsetreg}, which
 * read the bytecode: a table read with a constant string key is a {@code field}, or a
 * {@code global} when the table is {@code _ENV}; {@code SELF} gives a {@code method}, an upvalue
 * read an {@code upvalue}; a {@code MOVE} from a lower register is followed). Redis runs Lua 5.1,
 * whose words are the same for these kinds. LuaJ compiles to Lua 5.2 bytecode, so the same
 * reading applies to the {@link Prototype} and the instruction that failed (the script hook
 * knows both). Which register failed depends on the instruction: the called one for
 * {@code CALL}, the indexed one for {@code GETTABLE}/{@code SELF}/{@code SETTABLE}, the operand
 * of {@code LEN}, and for arithmetic and {@code CONCAT} the operand whose type LuaJ's message (or
 * the frame's value) shows to be wrong. When no name is found the message keeps C Lua's unnamed
 * form ({@code a nil value}).
 *
 * <p><b>Thread-safety:</b> stateless; reads immutable prototypes.
 */
final class LuaNames {
    private LuaNames() {
    }

    /**
     * @param p       the function whose instruction failed
     * @param pc      the failed instruction
     * @param frame   the function's registers at the failure, or null if unknown
     * @param kind    what failed: {@code call}, {@code index}, {@code length}, {@code arith},
     *                {@code concat}
     * @return {@code "field 'x'"}, {@code "local 't'"}, ... or null when C Lua would give no name
     */
    static String describe(Prototype p, int pc, LuaValue[] frame, String kind) {
        if (p == null || p.code == null || pc < 0 || pc >= p.code.length) {
            return null;
        }
        int i = p.code[pc];
        int op = Lua.GET_OPCODE(i);
        int reg;
        switch (kind) {
            case "call":
                if (op != Lua.OP_CALL && op != Lua.OP_TAILCALL) {
                    return null;
                }
                reg = Lua.GETARG_A(i);
                break;
            case "index":
                if (op == Lua.OP_GETTABLE || op == Lua.OP_SELF) {
                    reg = Lua.GETARG_B(i);
                } else if (op == Lua.OP_SETTABLE) {
                    reg = Lua.GETARG_A(i);
                } else if (op == Lua.OP_GETTABUP || op == Lua.OP_SETTABUP) {
                    int up = op == Lua.OP_GETTABUP ? Lua.GETARG_B(i) : Lua.GETARG_A(i);
                    String n = upvalueName(p, up);
                    return n == null ? null : "upvalue '" + n + "'";
                } else {
                    return null;
                }
                break;
            case "length":
                if (op != Lua.OP_LEN) {
                    return null;
                }
                reg = Lua.GETARG_B(i);
                break;
            case "arith":
            case "concat": {
                int bad = blamedOperand(p, pc, frame, kind);
                if (bad < 0 || Lua.ISK(bad)) {
                    return null;
                }
                reg = bad;
                break;
            }
            default:
                return null;
        }
        return objectName(p, pc, reg, 0);
    }

    /**
     * @return the type name of the operand C Lua blames for a failed arithmetic or concatenation
     *         at {@code pc} (from the frame's values), or null if unknown
     */
    static String blamedType(Prototype p, int pc, LuaValue[] frame, String kind) {
        int bad = blamedOperand(p, pc, frame, kind);
        LuaValue v = bad < 0 ? null : value(p, frame, bad);
        return v == null ? null : v.typename();
    }

    /**
     * The operand (an RK index) C Lua blames for a failed arithmetic ({@code luaG_aritherror}: the
     * first unless it converts to a number) or concatenation ({@code luaV_concat} works from the
     * top pair {@code R(c-1) .. R(c)}, {@code luaG_concaterror} blaming the left side unless it is
     * a string or number, then leftwards with a string on the right); -1 if unknown.
     */
    private static int blamedOperand(Prototype p, int pc, LuaValue[] frame, String kind) {
        if (p == null || p.code == null || frame == null || pc < 0 || pc >= p.code.length) {
            return -1;
        }
        int i = p.code[pc];
        int op = Lua.GET_OPCODE(i);
        if ("arith".equals(kind) && op >= Lua.OP_ADD && op <= Lua.OP_UNM) {
            int b = Lua.GETARG_B(i);
            LuaValue first = value(p, frame, b);
            if (first == null) {
                return -1;
            }
            return op == Lua.OP_UNM || first.tonumber().isnil() ? b : Lua.GETARG_C(i);
        }
        if ("concat".equals(kind) && op == Lua.OP_CONCAT) {
            int b = Lua.GETARG_B(i);
            int c = Lua.GETARG_C(i);
            if (c >= frame.length || c - 1 < b) {
                return -1;
            }
            if (!stringLike(frame[c - 1])) {
                return c - 1;
            }
            if (!stringLike(frame[c])) {
                return c;
            }
            for (int r = c - 2; r >= b; r--) {
                if (!stringLike(frame[r])) {
                    return r;
                }
            }
        }
        return -1;
    }

    private static LuaValue value(Prototype p, LuaValue[] frame, int rk) {
        if (Lua.ISK(rk)) {
            int k = Lua.INDEXK(rk);
            return k < p.k.length ? p.k[k] : null;
        }
        return frame != null && rk < frame.length ? frame[rk] : null;
    }

    private static boolean stringLike(LuaValue v) {
        return v != null && (v.type() == LuaValue.TSTRING || v.type() == LuaValue.TNUMBER);
    }

    /** Lua 5.2's {@code getobjname}: the kind and name of what register {@code reg} holds at {@code pc}. */
    private static String objectName(Prototype p, int pc, int reg, int depth) {
        String local = localName(p, reg + 1, pc);
        if (local != null) {
            return "local '" + local + "'";
        }
        if (depth > 32) {
            return null;
        }
        int set = findSetReg(p, pc, reg);
        if (set < 0) {
            return null;
        }
        int i = p.code[set];
        int op = Lua.GET_OPCODE(i);
        if (op == Lua.OP_MOVE) {
            int b = Lua.GETARG_B(i);
            return b < Lua.GETARG_A(i) ? objectName(p, set, b, depth + 1) : null;
        }
        if (op == Lua.OP_GETTABUP || op == Lua.OP_GETTABLE) {
            int t = Lua.GETARG_B(i);
            String table = op == Lua.OP_GETTABLE ? localName(p, t + 1, set) : upvalueName(p, t);
            String key = keyName(p, Lua.GETARG_C(i));
            return ("_ENV".equals(table) ? "global '" : "field '") + key + "'";
        }
        if (op == Lua.OP_GETUPVAL) {
            String n = upvalueName(p, Lua.GETARG_B(i));
            return n == null ? null : "upvalue '" + n + "'";
        }
        if (op == Lua.OP_SELF) {
            return "method '" + keyName(p, Lua.GETARG_C(i)) + "'";
        }
        return null;
    }

    /** Lua 5.1's {@code kname}: a constant string key's text, else {@code ?} (a key in a register is not followed). */
    private static String keyName(Prototype p, int c) {
        if (Lua.ISK(c)) {
            int k = Lua.INDEXK(c);
            return k < p.k.length && p.k[k].type() == LuaValue.TSTRING ? p.k[k].tojstring() : "?";
        }
        return "?";
    }

    /** Lua 5.2's {@code findsetreg}: the last instruction before {@code lastPc} that surely set {@code reg}, or -1. */
    private static int findSetReg(Prototype p, int lastPc, int reg) {
        int setReg = -1;
        int jumpTarget = 0;
        for (int pc = 0; pc < lastPc; pc++) {
            int i = p.code[pc];
            int op = Lua.GET_OPCODE(i);
            int a = Lua.GETARG_A(i);
            boolean sets;
            if (op == Lua.OP_LOADNIL) {
                sets = a <= reg && reg <= a + Lua.GETARG_B(i);
            } else if (op == Lua.OP_TFORCALL) {
                sets = reg >= a + 2;
            } else if (op == Lua.OP_CALL || op == Lua.OP_TAILCALL) {
                sets = reg >= a;
            } else if (op == Lua.OP_JMP) {
                int dest = pc + 1 + Lua.GETARG_sBx(i);
                if (pc < dest && dest <= lastPc && dest > jumpTarget) {
                    jumpTarget = dest;
                }
                sets = false;
            } else if (op == Lua.OP_TEST) {
                sets = reg == a;
            } else {
                sets = Lua.testAMode(op) && reg == a;
            }
            if (sets) {
                setReg = pc < jumpTarget ? -1 : pc;
            }
        }
        return setReg;
    }

    /** Lua's {@code luaF_getlocalname}: the {@code n}th (1-based) local active at {@code pc}. */
    private static String localName(Prototype p, int n, int pc) {
        if (p.locvars == null) {
            return null;
        }
        for (int i = 0; i < p.locvars.length && p.locvars[i].startpc <= pc; i++) {
            if (pc < p.locvars[i].endpc) {
                n--;
                if (n == 0) {
                    return p.locvars[i].varname.tojstring();
                }
            }
        }
        return null;
    }

    private static String upvalueName(Prototype p, int up) {
        if (p.upvalues == null || up < 0 || up >= p.upvalues.length || p.upvalues[up].name == null) {
            return null;
        }
        return p.upvalues[up].name.tojstring();
    }
}
