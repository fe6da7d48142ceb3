package io.arborist.core.plan;

import java.util.Locale;
import java.util.Objects;

/**
 * How the planner climbs from one release to another.
 *
 * @since 0.1
 */
public enum Strategy {
    /**
     * One named release at a time, at the newest point release Tutor shipped, with a backup, an image build, the
     * upgrade, launch and a check per hop: what careful operators do (the default).
     */
    STEPWISE,
    /**
     * Tutor's multi-release {@code upgrade --from}, stopping only where a hop is required (work that must run on an
     * intermediate release, an Aspects major that needs a release first). Fewer builds, less conservative: Django
     * migrations of several releases run at once with the newest code.
     */
    WAYPOINTS;

    /** @return the name users type: {@code stepwise} or {@code waypoints} */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text {@code stepwise} or {@code waypoints}, any case
     * @return the strategy
     * @throws IllegalArgumentException naming the text and the valid values
     */
    public static Strategy parse(String text) {
        Objects.requireNonNull(text, "text");
        for (Strategy s : values()) {
            if (s.word().equalsIgnoreCase(text.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + text + "' (expected stepwise or waypoints)");
    }
}
