package io.arborist.clickhouse;

import java.util.List;
import java.util.Objects;

/**
 * A backed-up table, view, materialized view or dictionary.
 *
 * @param database its database
 * @param name its name
 * @param kind what it is
 * @param engine the engine ({@code ReplacingMergeTree}, {@code View}, {@code MaterializedView}…)
 * @param ddl the {@code CREATE} statement the server reported
 * @param secretsHidden whether the server masked secrets in the DDL; a restore needs the DDL re-supplied
 * @param innerOf for an {@link ObjectKind#INNER_TABLE}, the materialized view that owns it; otherwise empty
 * @param chunks the data files, in load order (empty for views, for empty tables and for engines without data); in a
 *     server-side backup, one chunk without a file per table with rows
 * @since 0.1
 */
public record ManifestObject(String database, String name, ObjectKind kind, String engine, String ddl, boolean secretsHidden,
                             String innerOf, List<ManifestChunk> chunks) {
    /**
     * Validates and copies.
     *
     * @param database its database
     * @param name its name
     * @param kind what it is
     * @param engine the engine ({@code ReplacingMergeTree}, {@code View}, {@code MaterializedView}…)
     * @param ddl the {@code CREATE} statement the server reported
     * @param secretsHidden whether the server masked secrets in the DDL; a restore needs the DDL re-supplied
     * @param innerOf for an {@link ObjectKind#INNER_TABLE}, the materialized view that owns it; otherwise empty
     * @param chunks the data files, in load order (empty for views, for empty tables and for engines without data); in a
     *     server-side backup, one chunk without a file per table with rows
     */
    public ManifestObject {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(ddl, "ddl");
        Objects.requireNonNull(innerOf, "innerOf");
        chunks = List.copyOf(chunks);
    }

    /** @return {@code database.name} */
    public String qualifiedName() {
        return database + "." + name;
    }

    /** @return rows over all chunks */
    public long rows() {
        return chunks.stream().mapToLong(ManifestChunk::rows).sum();
    }

    /** @return whether a restore loads data into it */
    public boolean holdsData() {
        return kind == ObjectKind.TABLE || kind == ObjectKind.INNER_TABLE;
    }
}
