package io.arborist.clickhouse;

import java.util.Objects;

/**
 * A backed-up database.
 *
 * @param name database name
 * @param ddl its {@code CREATE DATABASE} statement
 * @since 0.1
 */
public record ManifestDatabase(String name, String ddl) {
    /**
     * Validates.
     *
     * @param name database name
     * @param ddl its {@code CREATE DATABASE} statement
     */
    public ManifestDatabase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ddl, "ddl");
    }
}
