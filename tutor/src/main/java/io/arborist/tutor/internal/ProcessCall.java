package io.arborist.tutor.internal;

import io.arborist.core.spi.OutputListener.Source;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one process to completion or timeout: stdin closed (or fed from a caller's stream), stdout drained as lines
 * (or copied as bytes to a caller's stream), stderr drained as lines, the whole process tree killed on timeout,
 * interruption or a failure of the caller's stream.
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
     * @param streamFailure what went wrong with a caller's stream, if anything did
     */
    public record Outcome(int exitCode, Duration took, boolean timedOut, Optional<StreamFailure> streamFailure) {
    }

    /**
     * A caller's stream failed, or the process's output did not end with it.
     *
     * @param what what failed, e.g. {@code writing its standard output}
     * @param cause the underlying failure, when there is one
     */
    public record StreamFailure(String what, Optional<IOException> cause) {
    }

    /**
     * Binary streams for one call.
     *
     * @param stdout where standard output goes as bytes; empty: it is read as lines
     * @param stdin what is fed to standard input; empty: it is closed at once
     */
    public record Binary(Optional<OutputStream> stdout, Optional<InputStream> stdin) {
        /** Text only: stdout as lines, stdin closed. */
        public static final Binary NONE = new Binary(Optional.empty(), Optional.empty());
    }

    private ProcessCall() {
    }

    /**
     * @param builder the process to start; its redirects are left as pipes
     * @param timeout how long it may run
     * @param killGrace how long descendants get between the polite and the forcible kill
     * @param maxLine the longest line passed to the sink
     * @param stdoutRedactor what hides secrets in standard output lines
     * @param stderrRedactor what hides secrets in standard error lines
     * @param sink receives redacted lines (stderr, and stdout unless it goes to {@code binary}), from pump threads
     * @param binary the caller's byte streams, if any
     * @return how it ended; a caller's stream that failed is reported in it, never thrown
     * @throws IOException if it cannot be started
     * @throws InterruptedException if the thread was interrupted; the tree has been killed, the flag is cleared
     */
    public static Outcome run(ProcessBuilder builder, Duration timeout, Duration killGrace, int maxLine,
                              Redactor stdoutRedactor, Redactor stderrRedactor, LinePump.Sink sink, Binary binary)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = builder.start();
        Runnable stop = () -> ProcessTree.kill(process, killGrace);
        LinePump outLines = binary.stdout().isPresent() ? null
                : new LinePump(process.getInputStream(), Source.STDOUT, maxLine, stdoutRedactor, sink);
        BytePump outBytes = binary.stdout().map(s -> new BytePump(process.getInputStream(), s, stop)).orElse(null);
        LinePump err = new LinePump(process.getErrorStream(), Source.STDERR, maxLine, stderrRedactor, sink);
        Thread outThread = outLines != null ? outLines.start("arborist-stdout-" + process.pid())
                : outBytes.start("arborist-stdout-bytes-" + process.pid());
        Thread errThread = err.start("arborist-stderr-" + process.pid());
        StdinFeeder feeder = binary.stdin().map(in -> new StdinFeeder(in, process.getOutputStream(), stop)).orElse(null);
        Thread feedThread = feeder == null ? null : feeder.start("arborist-stdin-" + process.pid());
        if (feeder == null) {
            closeQuietly(process);
        }
        try {
            boolean timedOut = !process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (timedOut) {
                ProcessTree.kill(process, killGrace);
            }
            int exitCode = process.waitFor();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            long joinDeadline = System.nanoTime() + PIPE_GRACE.toNanos();
            Optional<StreamFailure> failure = Optional.empty();
            if (outBytes != null && !drained(outThread, outBytes)) {
                failure = Optional.of(new StreamFailure("its standard output stayed open after it exited (a process"
                        + " it started in the background holds it), so the bytes received may be incomplete", Optional.empty()));
            } else {
                outThread.join(remainingMillis(joinDeadline));
            }
            errThread.join(remainingMillis(joinDeadline));
            if (feedThread != null) {
                feeder.stop();
                feedThread.join(remainingMillis(joinDeadline));
            }
            if (outBytes != null && outBytes.sinkFailure() != null) {
                failure = Optional.of(new StreamFailure("writing its standard output", Optional.of(outBytes.sinkFailure())));
            } else if (feeder != null && feeder.sourceFailure() != null) {
                failure = Optional.of(new StreamFailure("reading the data for its standard input",
                        Optional.of(feeder.sourceFailure())));
            }
            return new Outcome(exitCode, took, timedOut, failure);
        } catch (InterruptedException e) {
            ProcessTree.kill(process, killGrace);
            Thread.interrupted();
            throw e;
        } finally {
            // A background grandchild may keep a pipe open after the process exits: stop listening, keep draining.
            if (outLines != null) {
                outLines.detach();
            }
            if (outBytes != null) {
                outBytes.detach();
            }
            if (feeder != null) {
                feeder.stop();
            }
            err.detach();
        }
    }

    /**
     * Waits for the byte pump to reach end-of-file after the process exited, as long as bytes keep arriving.
     *
     * @return whether it did
     */
    private static boolean drained(Thread pumpThread, BytePump pump) throws InterruptedException {
        long seen = -1;
        while (pumpThread.isAlive() && pump.bytes() != seen) {
            seen = pump.bytes();
            pumpThread.join(5 * PIPE_GRACE.toMillis());
        }
        return !pumpThread.isAlive();
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
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
