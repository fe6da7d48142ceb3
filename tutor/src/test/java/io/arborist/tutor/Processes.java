package io.arborist.tutor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers about operating-system processes. */
final class Processes {
    private Processes() {
    }

    /**
     * Whether a process no longer runs. A zombie counts as gone: it has exited and only waits to be reaped by its new
     * parent, which in a container may be an init that never reaps.
     */
    static boolean isGone(long pid) {
        if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException e) {
            return true;
        }
    }

    static long readPid(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    /** Kills a process this test started, by its pid, if it still runs. */
    static void killQuietly(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
