package io.arborist.core.plan;

import io.arborist.core.aspects.AspectsVersion;
import java.util.Objects;

/**
 * The Aspects plugin as installed.
 *
 * @param version the installed tutor-contrib-aspects version
 * @param inContextMetrics whether in-context (Studio) metrics are on, which needs the mfe image rebuilt (Teak+)
 * @since 0.1
 */
public record AspectsSetup(AspectsVersion version, boolean inContextMetrics) {
    /**
     * Validates.
     *
     * @param version the installed tutor-contrib-aspects version
     * @param inContextMetrics whether in-context (Studio) metrics are on, which needs the mfe image rebuilt (Teak+)
     */
    public AspectsSetup {
        Objects.requireNonNull(version, "version");
    }

    /**
     * @param version installed version
     * @return a setup without in-context metrics
     */
    public static AspectsSetup of(AspectsVersion version) {
        return new AspectsSetup(version, false);
    }
}
