package io.arborist.tutor.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a process and all its descendants: a polite signal first, then, after a grace period, a forcible one.
 */
public final class ProcessTree {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessTree.class);

    private ProcessTree() {
    }

    /**
     * Destroys the process and every descendant, waits up to {@code grace} for them to exit, then destroys the rest
     * forcibly. Never throws {@link InterruptedException}: if interrupted while waiting it kills forcibly at once and
     * restores the interrupt flag.
     *
     * @param process the root of the tree
     * @param grace how long to wait after the polite signal
     */
    public static void kill(Process process, Duration grace) {
        // Snapshot first: once the root dies its children are re-parented and no longer its descendants.
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        tree.add(process.toHandle());
        boolean interrupted = false;
        try {
            awaitExit(tree, grace);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        List<ProcessHandle> left = new ArrayList<>();
        for (ProcessHandle h : tree) {
            if (isRunning(h)) {
                left.addAll(h.descendants().toList());
                left.add(h);
            }
        }
        if (!left.isEmpty()) {
            LOG.debug("{} processes ignored the stop signal; killing them", left.size());
            left.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitExit(List<ProcessHandle> tree, Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        long pause = 5;
        while (tree.stream().anyMatch(ProcessTree::isRunning) && System.nanoTime() - deadline < 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            Thread.sleep(Math.max(1, Math.min(pause, left)));
            pause = Math.min(pause * 2, 100);
        }
    }

    /**
     * Whether a process still runs. A zombie (exited, waiting for a parent that may never reap it, as under a
     * container init that does not reap) does not run, although {@link ProcessHandle#isAlive()} says it is alive.
     *
     * @param h a process
     * @return whether it runs
     */
    public static boolean isRunning(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(h.pid()), "stat");
        try {
            String s = Files.readString(stat);
            int close = s.lastIndexOf(')');
            char state = close >= 0 && close + 2 < s.length() ? s.charAt(close + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            // No /proc/<pid> on a system with procfs means it is gone; without procfs trust the JDK.
            return !Files.isDirectory(Path.of("/proc/self")) && h.isAlive();
        }
    }
}
