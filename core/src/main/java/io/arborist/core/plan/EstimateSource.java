package io.arborist.core.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a step's estimate comes from, and so how far off it may be: the catalog's {@code estimates} table, or a
 * duration measured in a rehearsal ({@link Calibration}), possibly scaled to other data.
 *
 * <p>Ranges: a catalog estimate may be 30 % shorter or twice as long (−30 %/+100 %: it was written for no particular
 * machine or data); a measured one 20 % shorter or longer (±20 %: the same steps on other hardware, other load, other
 * image caches).
 *
 * @since 0.2
 */
public sealed interface EstimateSource permits EstimateSource.Catalog, EstimateSource.Measured {
    /** The catalog's estimate. */
    EstimateSource CATALOG = new Catalog();

    /** @return what a short estimate is multiplied by: the low end of the range */
    double lowFactor();

    /** @return what a long estimate is multiplied by: the high end of the range */
    double highFactor();

    /** @return e.g. {@code catalog} or {@code measured 4 min × 3.2} (the scale to two decimals, left out when it is 1) */
    String describe();

    /** The estimate is the catalog's ({@code estimates} in {@code catalog.json}). */
    record Catalog() implements EstimateSource {
        @Override
        public double lowFactor() {
            return 0.7;
        }

        @Override
        public double highFactor() {
            return 2.0;
        }

        @Override
        public String describe() {
            return "catalog";
        }
    }

    /**
     * The estimate is a duration measured in a rehearsal, multiplied by a data-size scale.
     *
     * @param stagingStep the id of the rehearsal's step whose duration it is
     * @param took how long that step took in the rehearsal
     * @param scale what the duration was multiplied by: 1 for steps that do not depend on data size (image builds and
     *     pulls, installs, checks), the data-size ratio for backups and migrations
     */
    record Measured(String stagingStep, Duration took, double scale) implements EstimateSource {
        /**
         * Validates.
         *
         * @param stagingStep the id of the rehearsal's step whose duration it is
         * @param took how long that step took in the rehearsal
         * @param scale what the duration was multiplied by: 1 for steps that do not depend on data size (image builds and
         *     pulls, installs, checks), the data-size ratio for backups and migrations
         */
        public Measured {
            Objects.requireNonNull(stagingStep, "stagingStep");
            Objects.requireNonNull(took, "took");
            if (!stagingStep.matches("[a-z0-9][a-z0-9.-]*")) {
                throw new IllegalArgumentException("stagingStep must be a step id (lower-case letters, digits, '.' and '-'), got '"
                        + stagingStep + "'");
            }
            if (took.isNegative()) {
                throw new IllegalArgumentException("took must not be negative, got " + took);
            }
            if (!(scale > 0) || Double.isInfinite(scale)) {
                throw new IllegalArgumentException("scale must be a positive number, got " + scale);
            }
        }

        @Override
        public double lowFactor() {
            return 0.8;
        }

        @Override
        public double highFactor() {
            return 1.2;
        }

        @Override
        public String describe() {
            String factor = Calibration.format(scale);
            return "measured " + io.arborist.core.internal.Shell.human(took) + (factor.equals("1") ? "" : " × " + factor);
        }
    }
}
