package io.arborist.core.release;

import java.util.Objects;
import java.util.Optional;

/**
 * Default datastore versions of a release, as its Tutor release configures them.
 *
 * @param mysql MySQL image version ({@code 5.7.35}, {@code 8.4.0})
 * @param mongodb MongoDB image version
 * @param search search engine and version
 * @param redis Redis version; empty for releases that used RabbitMQ and memcached instead
 * @since 0.1
 */
public record Datastores(String mysql, String mongodb, SearchEngine search, Optional<String> redis) {
    /**
     * Validates all parts.
     *
     * @param mysql MySQL image version ({@code 5.7.35}, {@code 8.4.0})
     * @param mongodb MongoDB image version
     * @param search search engine and version
     * @param redis Redis version; empty for releases that used RabbitMQ and memcached instead
     */
    public Datastores {
        Objects.requireNonNull(mysql, "mysql");
        Objects.requireNonNull(mongodb, "mongodb");
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(redis, "redis");
    }

    /**
     * @param store which datastore
     * @return its version text ({@code meilisearch v1.8.4} for search), or empty when the release has none
     */
    public Optional<String> version(Datastore store) {
        return switch (Objects.requireNonNull(store, "store")) {
            case MYSQL -> Optional.of(mysql);
            case MONGODB -> Optional.of(mongodb);
            case SEARCH -> Optional.of(search.toString());
            case REDIS -> redis;
        };
    }
}
