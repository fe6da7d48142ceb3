package io.arborist.core.release;

import java.util.Objects;

/**
 * A named release at one point release, such as {@code koa.3}: the light reference plans carry. Resolve what users
 * type with {@link ReleaseCatalog#resolve(String)}.
 *
 * @param release the named release
 * @param point the point release, as written after the dot
 * @since 0.1
 */
public record ReleasePoint(ReleaseName release, String point) {
    /**
     * Validates both parts.
     *
     * @param release the named release
     * @param point the point release, as written after the dot
     */
    public ReleasePoint {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(point, "point");
        if (point.isBlank()) {
            throw new IllegalArgumentException("point must not be blank");
        }
    }

    /**
     * @param release codename
     * @param point point release
     * @return the reference
     */
    public static ReleasePoint of(String release, String point) {
        return new ReleasePoint(ReleaseName.of(release), point);
    }

    @Override
    public String toString() {
        return release + "." + point;
    }
}
