package io.redjar.internal.script;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * The instruction hook that makes a running script interruptible (Redis's
 * {@code luaMaskCountHook}, called every 100000 instructions there). LuaJ calls
 * {@code globals.debuglib.onInstruction} before every VM instruction when a {@link DebugLib} is
 * installed; this private subclass is installed as {@code globals.debuglib} only (never as the
 * {@code debug} global) and does almost nothing per instruction: a counter, and every
 * {@link #CHECK_EVERY} instructions a call to the current run's {@link ScriptRun#checkpoint()}
 * (kill flag). Instead of DebugLib's call-stack bookkeeping it keeps the stack of running Lua
 * functions and the last executed instruction, so that an error can be reported at its position
 * ({@link #markError}); per instruction that is a virtual call, two stores and an increment.
 *
 * <p><b>Thread-safety:</b> confined to the thread running the script; {@link #run} is set before
 * a script starts and cleared after it.
 */
final class ScriptHook extends DebugLib {
    /** Instructions between two checkpoints. */
    static final int CHECK_EVERY = 1 << 12;

    private int count;
    private ScriptRun run;
    /** The Lua functions being executed, innermost last. */
    private LuaClosure[] stack = new LuaClosure[16];
    /** Their registers, for naming the operand of an error ({@link LuaNames}). */
    private org.luaj.vm2.LuaValue[][] frames = new org.luaj.vm2.LuaValue[16][];
    private int depth;
    /** The function and instruction executed last (after a return: the returning one's). */
    private LuaClosure lastClosure;
    private int lastPc;
    private String errorSource;
    private String errorLine;
    /** The failed instruction's function, index and registers (null: unknown). */
    private org.luaj.vm2.Prototype errorProto;
    private int errorPc;
    private org.luaj.vm2.LuaValue[] errorFrame;
    /** Outside a run: {@link System#nanoTime()} after which the code is stopped (0: none). */
    private long deadline;
    private String deadlineError;

    /** Coroutines this run created and has not seen finish (see {@link LuaSandbox}'s coroutine guard). */
    final java.util.ArrayList<org.luaj.vm2.LuaThread> coroutines = new java.util.ArrayList<>();

    void run(ScriptRun r) {
        coroutines.clear();
        this.run = r;
        this.count = 0;
        this.depth = 0;
        this.lastClosure = null;
        clearError();
    }

    /**
     * Records where an error is being raised: the position of the instruction executed last
     * (Redis's error handler reports {@code debug.getinfo(2)}, the Lua function that raised or
     * called the raising C function). A tail-called function's errors get the position of the
     * tail call.
     */
    void markError() {
        LuaClosure c = lastClosure;
        if (c == null) {
            return;
        }
        org.luaj.vm2.Prototype p = c.p;
        errorProto = p;
        errorPc = lastPc;
        errorFrame = null;
        for (int i = depth - 1; i >= 0; i--) {
            if (stack[i] == c) {
                errorFrame = frames[i];
                break;
            }
        }
        errorSource = p.source == null ? "?" : p.source.tojstring();
        errorLine = p.lineinfo != null && lastPc >= 0 && lastPc < p.lineinfo.length ? String.valueOf(p.lineinfo[lastPc]) : "?";
    }

    /** Outside a run: stops the code with {@code error} once {@code nanos} have passed (0: no limit). */
    void deadline(long nanos, String error) {
        this.deadline = nanos == 0 ? 0 : System.nanoTime() + nanos;
        this.deadlineError = error;
        this.count = 0;
        this.depth = 0;
        this.lastClosure = null;
        clearError();
    }

    /** Forgets the last error's position (pcall caught it). */
    void clearError() {
        errorSource = null;
        errorLine = null;
        errorProto = null;
        errorFrame = null;
    }

    /**
     * @param kind what failed ({@code call}, {@code index}, {@code length}, {@code arith},
     *             {@code concat})
     * @return C Lua's name for the failed operand of the last error ({@code field 'x'}), or null
     */
    String errorOperand(String kind) {
        return errorProto == null ? null : LuaNames.describe(errorProto, errorPc, errorFrame, kind);
    }

    /** @return the type of the operand C Lua blames for the last error's arithmetic/concatenation, or null */
    String errorOperandType(String kind) {
        return errorProto == null ? null : LuaNames.blamedType(errorProto, errorPc, errorFrame, kind);
    }

    /** @return {@code [source, line]} of the last error raised in this run, or null */
    String[] errorPosition() {
        return errorSource == null ? null : new String[] {errorSource, errorLine};
    }

    ScriptRun run() {
        return run;
    }

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        throw new LuaError("not a library");
    }

    /** A Java function called through pcall: LuaJ reports its return too, so it takes a slot. */
    @Override
    public void onCall(LuaFunction f) {
        if (depth == stack.length) {
            grow();
        }
        frames[depth] = null;
        stack[depth++] = null;
    }

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] frame) {
        if (depth == stack.length) {
            grow();
        }
        frames[depth] = frame;
        stack[depth++] = c;
    }

    private void grow() {
        stack = java.util.Arrays.copyOf(stack, depth * 2);
        frames = java.util.Arrays.copyOf(frames, depth * 2);
    }

    @Override
    public void onReturn() {
        if (depth > 0) {
            stack[--depth] = null;
            frames[depth] = null;
        }
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        lastPc = pc;
        LuaClosure c = depth > 0 ? stack[depth - 1] : null;
        if (c != null) {
            lastClosure = c;
        }
        if (++count >= CHECK_EVERY) {
            count = 0;
            ScriptRun r = run;
            if (r != null) {
                r.checkpoint();
            } else if (deadline != 0 && System.nanoTime() - deadline > 0) {
                deadline = 0;
                markError();
                throw LuaErrors.raise(deadlineError);
            }
        }
    }

    @Override
    public String traceback(int level) {
        return "";
    }
}
