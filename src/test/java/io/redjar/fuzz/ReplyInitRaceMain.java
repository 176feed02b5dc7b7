package io.redjar.fuzz;

import io.redjar.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

/**
 * Child-JVM main for {@link ReplyInitDeadlockTest}: eight threads make their first replies at the
 * same moment, each through a different {@link Reply} type; exits 0 if all finish within five
 * seconds, 2 if they deadlock in class initialization.
 */
public final class ReplyInitRaceMain {
    private ReplyInitRaceMain() {
    }

    public static void main(String[] args) throws Exception {
        List<Runnable> firstTouches = List.of(
            () -> Reply.integer(7).isError(),
            () -> new Reply.SimpleString("none").isError(),
            () -> new Reply.ErrorReply("ERR x").isError(),
            () -> Reply.NULL.isError(),
            () -> new Reply.IntegerReply(3).isError(),
            () -> new Reply.ArrayReply(List.of()).isError(),
            () -> Reply.OK.isError(),
            () -> new Reply.Null(true).isError());
        CyclicBarrier start = new CyclicBarrier(firstTouches.size());
        List<Thread> threads = new ArrayList<>();
        for (Runnable r : firstTouches) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    return;
                }
                r.run();
            });
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(5000);
            if (t.isAlive()) {
                System.out.println("DEADLOCK in Reply class initialization");
                System.exit(2);
            }
        }
        System.exit(0);
    }
}
