package io.arborist.core.release;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Duration estimates the planner puts on steps, by key ({@code build.openedx}, {@code launch}, ...). Catalog data:
 * a caller who measured their own builds overrides them in a catalog overlay. A key without an estimate falls back
 * to {@code default}.
 *
 * @param values estimates by key; must contain {@code default}
 * @since 0.1
 */
public record Estimates(Map<String, Duration> values) {
    /**
     * Validates and copies.
     *
     * @param values estimates by key; must contain {@code default}
     */
    public Estimates {
        values = Map.copyOf(values);
        if (!values.containsKey("default")) {
            throw new IllegalArgumentException("estimates need a 'default' entry, got keys " + new TreeMap<>(values).keySet());
        }
        values.forEach((k, v) -> {
            if (v.isNegative()) {
                throw new IllegalArgumentException("estimate '" + k + "' must not be negative, got " + v);
            }
        });
    }

    /**
     * @param key estimate key
     * @return its estimate, or the default one
     */
    public Duration of(String key) {
        Objects.requireNonNull(key, "key");
        Duration d = values.get(key);
        return d != null ? d : values.get("default");
    }

    /**
     * @param image an image name
     * @return the build estimate for that image ({@code build.<image>}, else {@code build.default}, else default)
     */
    public Duration build(String image) {
        Duration d = values.get("build." + image);
        return d != null ? d : of("build.default");
    }
}
