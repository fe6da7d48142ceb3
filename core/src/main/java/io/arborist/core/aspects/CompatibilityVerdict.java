package io.arborist.core.aspects;

import java.util.Objects;

/**
 * Whether an Aspects version runs on a named release.
 *
 * @since 0.1
 */
public sealed interface CompatibilityVerdict
        permits CompatibilityVerdict.Supported, CompatibilityVerdict.Tolerated, CompatibilityVerdict.Unsupported {

    /** @return why, citing the range */
    String reason();

    /** @return whether the documentation supports it (not merely tolerated) */
    default boolean supported() {
        return this instanceof Supported;
    }

    /** @return whether it is known to run at all (supported or tolerated) */
    default boolean runs() {
        return !(this instanceof Unsupported);
    }

    /**
     * Documented as compatible.
     *
     * @param reason the documented range
     */
    record Supported(String reason) implements CompatibilityVerdict {
        /**
         * Validates.
         *
         * @param reason the documented range
         */
        public Supported {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Outside the documented range but known to run (release notes or README say so); fine to pass through, not to
     * upgrade into.
     *
     * @param reason the evidence
     */
    record Tolerated(String reason) implements CompatibilityVerdict {
        /**
         * Validates.
         *
         * @param reason the evidence
         */
        public Tolerated {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Not known to run.
     *
     * @param reason the documented range it falls outside of
     */
    record Unsupported(String reason) implements CompatibilityVerdict {
        /**
         * Validates.
         *
         * @param reason the documented range it falls outside of
         */
        public Unsupported {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
