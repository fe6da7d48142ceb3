package io.arborist.tutor.internal;

import io.arborist.core.spi.OutputListener.Source;
import io.arborist.core.spi.Secrets;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs one process to completion or timeout: stdin closed, both pipes drained concurrently into a sink, the whole
 * process tree killed on timeout or interruption.
 */
public final class ProcessCall {
    /** How long to wait for the pipes to reach end-of-file once the process has exited. */
    private static final Duration PIPE_GRACE = Duration.ofSeconds(2);

    /**
     * How a process ended.
     *
     * @param exitCode its exit status
     * @param took how long it ran
     * @param timedOut whether it was killed for running too long
     */
    public record Outcome(int exitCode, Duration took, boolean timedOut) {
    }

    private ProcessCall() {
    }

    /**
     * @param builder the process to start; its redirects are left as pipes
     * @param timeout how long it may run
     * @param killGrace how long descendants get between the polite and the forcible kill
     * @param maxLine the longest line passed to the sink
     * @param secrets values to redact from every line
     * @param sink receives redacted lines, from the pump threads
     * @return how it ended
     * @throws IOException if it cannot be started
     * @throws InterruptedException if the thread was interrupted; the tree has been killed, the flag is cleared
     */
    public static Outcome run(ProcessBuilder builder, Duration timeout, Duration killGrace, int maxLine, Secrets secrets,
                              LinePump.Sink sink) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = builder.start();
        LinePump out = new LinePump(process.getInputStream(), Source.STDOUT, maxLine, secrets, sink);
        LinePump err = new LinePump(process.getErrorStream(), Source.STDERR, maxLine, secrets, sink);
        Thread outThread = out.start("arborist-stdout-" + process.pid());
        Thread errThread = err.start("arborist-stderr-" + process.pid());
        closeQuietly(process);
        try {
            boolean timedOut = !process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (timedOut) {
                ProcessTree.kill(process, killGrace);
            }
            int exitCode = process.waitFor();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            long joinDeadline = System.nanoTime() + PIPE_GRACE.toNanos();
            outThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
            errThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
            return new Outcome(exitCode, took, timedOut);
        } catch (InterruptedException e) {
            ProcessTree.kill(process, killGrace);
            Thread.interrupted();
            throw e;
        } finally {
            // A background grandchild may keep a pipe open after the process exits: stop listening, keep draining.
            out.detach();
            err.detach();
        }
    }

    /** Closes stdin so a command that prompts reads end-of-file instead of waiting forever. */
    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Nothing was written; a failed close cannot lose data.
        }
    }
}
