package io.arborist.tutor;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.spi.TutorCommand;
import io.arborist.core.spi.TutorCommandException;
import io.arborist.core.spi.TutorResult;
import io.arborist.core.spi.TutorRunner;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for something to become ready by polling it with exponential backoff until it succeeds or the deadline
 * passes, instead of sleeping for a fixed time. Checks run at once, then after {@code initialDelay}, twice that,
 * and so on up to {@code maxDelay}; the last check happens at the deadline.
 *
 * <pre>{@code
 * Readiness.within(Duration.ofMinutes(5))
 *         .await("the LMS to answer", runner, TutorCommands.exec(DeploymentMode.LOCAL, "lms", "./manage.py", "lms", "check"));
 * Readiness.within(Duration.ofMinutes(2)).await("MySQL to accept connections", () -> ping(dataSource));
 * }</pre>
 *
 * <p>A check that throws counts as "not ready yet", except an {@link ArboristException} of kind
 * {@link ErrorKind#INTERRUPTED}, which ends the wait. Interruption while waiting restores the flag and throws
 * {@link ErrorKind#INTERRUPTED}. Immutable and thread-safe.
 *
 * @param timeout how long to keep trying (default: 5 min)
 * @param initialDelay the pause after the first failed check (default: 250 ms)
 * @param maxDelay the longest pause between checks (default: 10 s)
 * @since 0.1
 */
public record Readiness(Duration timeout, Duration initialDelay, Duration maxDelay) {
    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    private static final Duration MIN_PROBE_TIME = Duration.ofSeconds(1);

    /**
     * Validates.
     *
     * @param timeout how long to keep trying (default: 5 min)
     * @param initialDelay the pause after the first failed check (default: 250 ms)
     * @param maxDelay the longest pause between checks (default: 10 s)
     */
    public Readiness {
        positive(timeout, "timeout");
        positive(initialDelay, "initialDelay");
        positive(maxDelay, "maxDelay");
        if (initialDelay.compareTo(maxDelay) > 0) {
            throw new IllegalArgumentException("initialDelay " + initialDelay + " must not exceed maxDelay " + maxDelay);
        }
    }

    /** @return 5 min timeout, 250 ms initial delay, 10 s longest delay */
    public static Readiness defaults() {
        return new Readiness(Duration.ofMinutes(5), Duration.ofMillis(250), Duration.ofSeconds(10));
    }

    /**
     * @param timeout how long to keep trying
     * @return the defaults with that timeout (the longest delay is capped at the timeout)
     */
    public static Readiness within(Duration timeout) {
        positive(timeout, "timeout");
        Readiness d = defaults();
        Duration max = d.maxDelay().compareTo(timeout) > 0 ? timeout : d.maxDelay();
        Duration initial = d.initialDelay().compareTo(max) > 0 ? max : d.initialDelay();
        return new Readiness(timeout, initial, max);
    }

    /**
     * @param timeout how long to keep trying
     * @return a copy with that timeout
     */
    public Readiness withTimeout(Duration timeout) {
        return new Readiness(timeout, initialDelay, maxDelay);
    }

    /**
     * @param initialDelay the pause after the first failed check
     * @return a copy with that delay
     */
    public Readiness withInitialDelay(Duration initialDelay) {
        return new Readiness(timeout, initialDelay, maxDelay);
    }

    /**
     * @param maxDelay the longest pause between checks
     * @return a copy with that delay
     */
    public Readiness withMaxDelay(Duration maxDelay) {
        return new Readiness(timeout, initialDelay, maxDelay);
    }

    /**
     * Polls a check until it returns {@code true}.
     *
     * @param what what is awaited, for the message, e.g. {@code "MySQL to accept connections"}
     * @param ready the check
     * @throws ArboristException of kind {@link ErrorKind#TIMEOUT} naming {@code what} if the deadline passes
     */
    public void await(String what, BooleanSupplier ready) {
        Objects.requireNonNull(ready, "ready");
        poll(what, () -> ready.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), () -> null);
    }

    /**
     * Runs a probe command until it succeeds. Each run is limited to the time left, but to at least one second so
     * that a last run at the deadline can still answer (or to the probe's own timeout, if shorter).
     *
     * @param what what is awaited, for the message
     * @param runner runs the probe
     * @param probe a command that succeeds once the thing is ready
     * @return the successful probe's result
     * @throws ArboristException of kind {@link ErrorKind#TIMEOUT} naming {@code what}, with the last failed probe as
     *         a {@link TutorCommandException} cause
     */
    public TutorResult await(String what, TutorRunner runner, TutorCommand probe) {
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(probe, "probe");
        long deadline = System.nanoTime() + timeout.toNanos();
        TutorResult[] last = new TutorResult[1];
        return poll(what, () -> {
            Duration left = Duration.ofNanos(Math.max(MIN_PROBE_TIME.toNanos(), deadline - System.nanoTime()));
            Duration limit = probe.timeout().filter(t -> t.compareTo(left) < 0).orElse(left);
            TutorResult result = runner.run(probe.withTimeout(limit));
            last[0] = result;
            return result.succeeded() ? Optional.of(result) : Optional.empty();
        }, () -> last[0] == null ? null : new TutorCommandException(last[0]));
    }

    private <T> T poll(String what, Supplier<Optional<T>> attempt, Supplier<RuntimeException> lastFailure) {
        Objects.requireNonNull(what, "what");
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long delay = initialDelay.toNanos();
        RuntimeException thrown = null;
        for (int attempts = 1; ; attempts++) {
            try {
                Optional<T> done = attempt.get();
                if (done.isPresent()) {
                    return done.get();
                }
                thrown = null;
            } catch (ArboristException e) {
                if (e.kind() == ErrorKind.INTERRUPTED) {
                    throw e;
                }
                thrown = e;
            } catch (RuntimeException e) {
                thrown = e;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                RuntimeException cause = thrown != null ? thrown : lastFailure.get();
                throw new ArboristException(ErrorKind.TIMEOUT, "gave up waiting for " + what + " after " + attempts
                        + " attempts in " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms (timeout "
                        + timeout + ")" + (cause == null ? "" : "; last failure: " + describe(cause))
                        + "\nWhat to do: check why " + what + " does not happen, or allow more time with"
                        + " Readiness.within(..).", cause);
            }
            long pause = Math.min(delay, left);
            LOG.debug("{} not yet after attempt {}; next check in {} ms", what, attempts, pause / 1_000_000);
            sleep(pause, what);
            delay = Math.min(delay * 2, maxDelay.toNanos());
        }
    }

    private static void sleep(long nanos, String what) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArboristException(ErrorKind.INTERRUPTED, "interrupted while waiting for " + what, e);
        }
    }

    private static String describe(RuntimeException e) {
        if (e instanceof TutorCommandException tce) {
            TutorResult r = tce.result();
            String[] lines = r.output().strip().split("\n");
            return "`" + r.commandLine() + "` " + (r.timedOut() ? "timed out" : "exited " + r.exitCode())
                    + (lines[lines.length - 1].isBlank() ? "" : ": " + lines[lines.length - 1]);
        }
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
