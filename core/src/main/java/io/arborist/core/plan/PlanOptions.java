package io.arborist.core.plan;

import java.util.Objects;

/**
 * Planner settings.
 *
 * @param strategy how to climb (default: {@link Strategy#STEPWISE})
 * @param calibration rehearsal measurements that replace the catalog's estimates (default: {@link Calibration#NONE})
 * @since 0.1
 */
public record PlanOptions(Strategy strategy, Calibration calibration) {
    /**
     * Validates.
     *
     * @param strategy how to climb (default: {@link Strategy#STEPWISE})
     * @param calibration rehearsal measurements that replace the catalog's estimates (default: {@link Calibration#NONE})
     */
    public PlanOptions {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(calibration, "calibration");
    }

    /** @param strategy how to climb */
    public PlanOptions(Strategy strategy) {
        this(strategy, Calibration.NONE);
    }

    /** @return stepwise planning with the catalog's estimates */
    public static PlanOptions defaults() {
        return new PlanOptions(Strategy.STEPWISE, Calibration.NONE);
    }

    /**
     * @param s strategy
     * @return a copy
     */
    public PlanOptions withStrategy(Strategy s) {
        return new PlanOptions(s, calibration);
    }

    /**
     * @param c measurements and scales, see {@link UpgradePlan#calibrated(Calibration)}
     * @return a copy
     */
    public PlanOptions withCalibration(Calibration c) {
        return new PlanOptions(strategy, c);
    }
}
