package io.arborist.core.report;

import java.util.Objects;

/**
 * One number a learner would miss if it shrank: certificates of a course in a status, enrollments of a course in a
 * mode, rows of an Aspects table, xAPI events of a day.
 *
 * @param area what is counted ({@code certificates}, {@code enrollments}, {@code completions}, {@code grades},
 *     {@code passes}, {@code users}, {@code clickhouse.rows}, {@code xapi.events})
 * @param key what within the area ({@code course-v1:Org+C1+2024/downloadable}); {@code *} for a total
 * @param value the count
 * @since 0.1
 */
public record Measure(String area, String key, long value) {
    /**
     * Validates.
     *
     * @param area what is counted ({@code certificates}, {@code enrollments}, {@code completions}, {@code grades},
     *     {@code passes}, {@code users}, {@code clickhouse.rows}, {@code xapi.events})
     * @param key what within the area ({@code course-v1:Org+C1+2024/downloadable}); {@code *} for a total
     * @param value the count
     */
    public Measure {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(key, "key");
        if (area.isBlank()) {
            throw new IllegalArgumentException("area must not be blank");
        }
        if (value < 0) {
            throw new IllegalArgumentException("a count cannot be negative, got " + value + " for " + area + " " + key);
        }
    }
}
