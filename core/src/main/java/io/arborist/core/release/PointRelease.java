package io.arborist.core.release;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One point release of a named release ({@code koa.3} is point {@code 3} of Koa), with the range of Tutor versions
 * that pinned it. A point that no Tutor release pinned (for example {@code nutmeg.3}) has empty Tutor bounds.
 *
 * @param name the point, as written after the dot: {@code 1}, {@code 2a}
 * @param date when the tag was cut, if known
 * @param firstTutor the first Tutor version that pinned this point, if any did
 * @param lastTutor the last Tutor version that pinned this point, if any did
 * @since 0.1
 */
public record PointRelease(String name, Optional<LocalDate> date, Optional<TutorVersion> firstTutor,
                           Optional<TutorVersion> lastTutor) {
    /**
     * Validates the point name.
     *
     * @param name the point, as written after the dot: {@code 1}, {@code 2a}
     * @param date when the tag was cut, if known
     * @param firstTutor the first Tutor version that pinned this point, if any did
     * @param lastTutor the last Tutor version that pinned this point, if any did
     */
    public PointRelease {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(firstTutor, "firstTutor");
        Objects.requireNonNull(lastTutor, "lastTutor");
        if (!name.matches("[0-9]+[a-z]?|master")) {
            throw new IllegalArgumentException("point release must look like 3 or 2a, got '" + name + "'");
        }
    }

    /** @return whether a Tutor release installed this point (only those count when Tutor users climb) */
    public boolean shippedByTutor() {
        return firstTutor.isPresent();
    }

    /**
     * @param version a Tutor version
     * @return whether that Tutor version pinned this point
     */
    public boolean pinnedBy(TutorVersion version) {
        return firstTutor.isPresent() && lastTutor.isPresent()
                && version.compareTo(firstTutor.get()) >= 0 && version.compareTo(lastTutor.get()) <= 0;
    }

    @Override
    public String toString() {
        return name;
    }
}
