package io.arborist.core.release;

import java.util.Objects;

/**
 * The search engine a release uses by default.
 *
 * @param engine {@code elasticsearch} or {@code meilisearch}
 * @param version the default image version
 * @since 0.1
 */
public record SearchEngine(String engine, String version) {
    /**
     * Validates both parts.
     *
     * @param engine {@code elasticsearch} or {@code meilisearch}
     * @param version the default image version
     */
    public SearchEngine {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(version, "version");
    }

    @Override
    public String toString() {
        return engine + " " + version;
    }
}
