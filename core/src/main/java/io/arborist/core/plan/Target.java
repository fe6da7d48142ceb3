package io.arborist.core.plan;

import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.release.ReleasePoint;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an upgrade should end.
 *
 * @param release the release and point to reach
 * @param aspects the Aspects version to reach; empty means the newest version documented for the target release
 *     (only when Aspects is installed)
 * @since 0.1
 */
public record Target(ReleasePoint release, Optional<AspectsVersion> aspects) {
    /**
     * Validates.
     *
     * @param release the release and point to reach
     * @param aspects the Aspects version to reach; empty means the newest version documented for the target release
     *     (only when Aspects is installed)
     */
    public Target {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(aspects, "aspects");
    }

    /**
     * @param release where to go
     * @return a target with no Aspects version stated
     */
    public static Target of(ReleasePoint release) {
        return new Target(release, Optional.empty());
    }

    /**
     * @param version the Aspects version to reach
     * @return a copy
     */
    public Target withAspects(AspectsVersion version) {
        return new Target(release, Optional.of(version));
    }
}
