package io.arborist.core.release;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An Open edX named release as the catalog knows it.
 *
 * @param name codename
 * @param ordinal position in the alphabet of releases (Koa is 12); strictly increasing along the catalog
 * @param released date of the first point release, if it has been released
 * @param branch the release branch ({@code open-release/koa.master}, {@code release/teak} from Teak on)
 * @param tagPrefix the tag before the point ({@code open-release/koa.}, {@code release/teak.})
 * @param points point releases, oldest first
 * @param tutor the Tutor line that deploys it
 * @param python Python version inside the openedx image
 * @param django Django version of edx-platform, when known
 * @param datastores default datastore versions
 * @param images images an upgrade to this release builds ({@code openedx}, {@code mfe})
 * @param leaving what must happen when an installation leaves this release for the next one
 * @param notes facts an operator should read before arriving at this release
 * @param theming what changes for custom themes from this release on, said where the theme is activated
 * @since 0.1
 */
public record Release(ReleaseName name, int ordinal, Optional<LocalDate> released, String branch, String tagPrefix,
                      List<PointRelease> points, TutorLine tutor, String python, Optional<String> django,
                      Datastores datastores, List<String> images, List<UpgradeAction> leaving, List<String> notes,
                      Optional<String> theming) {
    /**
     * Validates and copies.
     *
     * @param name codename
     * @param ordinal position in the alphabet of releases (Koa is 12); strictly increasing along the catalog
     * @param released date of the first point release, if it has been released
     * @param branch the release branch ({@code open-release/koa.master}, {@code release/teak} from Teak on)
     * @param tagPrefix the tag before the point ({@code open-release/koa.}, {@code release/teak.})
     * @param points point releases, oldest first
     * @param tutor the Tutor line that deploys it
     * @param python Python version inside the openedx image
     * @param django Django version of edx-platform, when known
     * @param datastores default datastore versions
     * @param images images an upgrade to this release builds ({@code openedx}, {@code mfe})
     * @param leaving what must happen when an installation leaves this release for the next one
     * @param notes facts an operator should read before arriving at this release
     * @param theming what changes for custom themes from this release on, said where the theme is activated
     */
    public Release {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(released, "released");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(tagPrefix, "tagPrefix");
        points = List.copyOf(points);
        Objects.requireNonNull(tutor, "tutor");
        Objects.requireNonNull(python, "python");
        Objects.requireNonNull(django, "django");
        Objects.requireNonNull(datastores, "datastores");
        images = List.copyOf(images);
        leaving = List.copyOf(leaving);
        notes = List.copyOf(notes);
        Objects.requireNonNull(theming, "theming");
        if (points.isEmpty()) {
            throw new IllegalArgumentException("release " + name + " has no point release");
        }
    }

    /**
     * @return the newest point release a Tutor release pinned (what a Tutor user can install), or the newest point
     *     when no Tutor release pinned any
     */
    public PointRelease newestPoint() {
        for (int i = points.size() - 1; i >= 0; i--) {
            if (points.get(i).shippedByTutor()) {
                return points.get(i);
            }
        }
        return points.get(points.size() - 1);
    }

    /**
     * @param pointName the point, as written after the dot
     * @return that point, if the release has it
     */
    public Optional<PointRelease> point(String pointName) {
        Objects.requireNonNull(pointName, "pointName");
        return points.stream().filter(p -> p.name().equals(pointName)).findFirst();
    }

    /**
     * @param point one of this release's points
     * @return the git tag, e.g. {@code open-release/koa.3} or {@code release/teak.2}
     */
    public String tag(PointRelease point) {
        return tagPrefix + point.name();
    }

    /** @return the reference to the newest point */
    public ReleasePoint newest() {
        return new ReleasePoint(name, newestPoint().name());
    }

    /** @return whether {@code tutor upgrade --from=<this release>} does anything */
    public boolean hasUpgradeWork() {
        return leaving.stream().anyMatch(a -> a.phase() == ActionPhase.UPGRADE);
    }

    /** @return the codename for people ({@code Koa}) */
    public String displayName() {
        return name.displayName();
    }
}
