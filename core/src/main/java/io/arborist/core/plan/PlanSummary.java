package io.arborist.core.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * Figures about a plan, next to what the naive path (every point release, every image build) would cost.
 *
 * @param hops number of release hops (each installs a Tutor version and builds or pulls images)
 * @param releasesCrossed named releases between start and target
 * @param imageBuilds image builds in the plan
 * @param imagePulls official images the plan pulls instead of building them
 * @param buildTime the plan's build time alone
 * @param estimate the plan's summed step estimates
 * @param naivePointReleases point releases a naive climb installs one by one
 * @param naiveImageBuilds image builds a naive climb needs
 * @param naiveBuildTime the naive climb's build time alone
 * @since 0.1
 */
public record PlanSummary(int hops, int releasesCrossed, int imageBuilds, int imagePulls, Duration buildTime, Duration estimate, int naivePointReleases,
                          int naiveImageBuilds, Duration naiveBuildTime) {
    /**
     * Validates.
     *
     * @param hops number of release hops (each installs a Tutor version and builds or pulls images)
     * @param releasesCrossed named releases between start and target
     * @param imageBuilds image builds in the plan
     * @param imagePulls official images the plan pulls instead of building them
     * @param buildTime the plan's build time alone
     * @param estimate the plan's summed step estimates
     * @param naivePointReleases point releases a naive climb installs one by one
     * @param naiveImageBuilds image builds a naive climb needs
     * @param naiveBuildTime the naive climb's build time alone
     */
    public PlanSummary {
        Objects.requireNonNull(buildTime, "buildTime");
        Objects.requireNonNull(estimate, "estimate");
        Objects.requireNonNull(naiveBuildTime, "naiveBuildTime");
    }
}
