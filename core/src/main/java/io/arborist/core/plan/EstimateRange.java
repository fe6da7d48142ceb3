package io.arborist.core.plan;

import io.arborist.core.internal.Shell;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a plan (or what is left of it) may take: the sum of the step estimates, and the sums of their low and high
 * ends, each step's range given by where its estimate comes from ({@link EstimateSource}).
 *
 * @param low the shortest likely duration
 * @param expected the sum of the estimates
 * @param high the longest likely duration
 * @since 0.2
 */
public record EstimateRange(Duration low, Duration expected, Duration high) {
    /** Nothing left. */
    public static final EstimateRange ZERO = new EstimateRange(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    /**
     * Validates.
     *
     * @param low the shortest likely duration
     * @param expected the sum of the estimates
     * @param high the longest likely duration
     */
    public EstimateRange {
        Objects.requireNonNull(low, "low");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(high, "high");
        if (low.isNegative() || low.compareTo(expected) > 0 || expected.compareTo(high) > 0) {
            throw new IllegalArgumentException("need 0 <= low <= expected <= high, got " + low + ", " + expected + ", " + high);
        }
    }

    /**
     * @param estimate one step's estimate
     * @param source where it comes from
     * @return its range, each end rounded to the second
     */
    public static EstimateRange of(Duration estimate, EstimateSource source) {
        Objects.requireNonNull(estimate, "estimate");
        Objects.requireNonNull(source, "source");
        return new EstimateRange(times(estimate, source.lowFactor()), estimate, times(estimate, source.highFactor()));
    }

    /**
     * @param other another range
     * @return the two added
     */
    public EstimateRange plus(EstimateRange other) {
        return new EstimateRange(low.plus(other.low), expected.plus(other.expected), high.plus(other.high));
    }

    /**
     * @param elapsed time already spent on the step
     * @return what is left of each end, never below zero
     */
    public EstimateRange minus(Duration elapsed) {
        return new EstimateRange(floor(low.minus(elapsed)), floor(expected.minus(elapsed)), floor(high.minus(elapsed)));
    }

    /** @return e.g. {@code about 4 h 54 min (3 h 26 min to 9 h 48 min)} */
    public String describe() {
        return "about " + Shell.human(expected) + " (" + Shell.human(low) + " to " + Shell.human(high) + ")";
    }

    static Duration times(Duration d, double factor) {
        return Duration.ofSeconds(Math.round(d.toMillis() * factor / 1000.0));
    }

    private static Duration floor(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
