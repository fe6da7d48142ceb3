package io.arborist.core.report;

import java.util.Objects;

/**
 * One compared count.
 *
 * @param area the measure's area
 * @param key the measure's key
 * @param before the count before (0 when absent)
 * @param after the count after (0 when absent)
 * @param change how it moved
 * @since 0.1
 */
public record Difference(String area, String key, long before, long after, Change change) {
    /**
     * Validates.
     *
     * @param area the measure's area
     * @param key the measure's key
     * @param before the count before (0 when absent)
     * @param after the count after (0 when absent)
     * @param change how it moved
     */
    public Difference {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(change, "change");
    }

    /** @return after minus before */
    public long delta() {
        return after - before;
    }
}
