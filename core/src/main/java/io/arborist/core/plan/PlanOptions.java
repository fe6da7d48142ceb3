package io.arborist.core.plan;

import java.util.Objects;

/**
 * Planner settings.
 *
 * @param strategy how to climb (default: {@link Strategy#STEPWISE})
 * @since 0.1
 */
public record PlanOptions(Strategy strategy) {
    /** Validates. */
    public PlanOptions {
        Objects.requireNonNull(strategy, "strategy");
    }

    /** @return stepwise planning */
    public static PlanOptions defaults() {
        return new PlanOptions(Strategy.STEPWISE);
    }

    /** @param s strategy @return a copy */
    public PlanOptions withStrategy(Strategy s) {
        return new PlanOptions(s);
    }
}
