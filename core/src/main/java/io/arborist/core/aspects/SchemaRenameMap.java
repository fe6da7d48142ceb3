package io.arborist.core.aspects;

import io.arborist.core.release.ReleaseCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Aspects schema moves between two major lines as a lookup table: old {@code schema.table} to new
 * {@code schema.table}, or DEPRECATED with no successor. The entries are catalog data
 * ({@link ReleaseCatalog#renames(int, int)}), so a later mapping is added to the catalog, not to code.
 *
 * <pre>{@code
 * SchemaRenameMap map = SchemaRenameMap.bundled(1, 2);
 * map.find("xapi.responses").flatMap(TableRename::newTable);   // reporting.dim_learner_response_attempt
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param fromMajor the old Aspects major line
 * @param toMajor the new Aspects major line
 * @param entries the entries in catalog order; each old name appears once
 * @since 0.1
 */
public record SchemaRenameMap(int fromMajor, int toMajor, List<TableRename> entries) {
    /**
     * Validates and copies; rejects an old name that appears twice.
     *
     * @param fromMajor the old Aspects major line
     * @param toMajor the new Aspects major line
     * @param entries the entries in catalog order; each old name appears once
     */
    public SchemaRenameMap {
        entries = List.copyOf(entries);
        Map<String, TableRename> seen = new LinkedHashMap<>();
        for (TableRename e : entries) {
            if (seen.put(e.oldTable(), e) != null) {
                throw new IllegalArgumentException("rename map " + fromMajor + "->" + toMajor + ": '" + e.oldTable() + "' appears twice");
            }
        }
    }

    /**
     * @param catalog the release catalog
     * @param fromMajor old major line
     * @param toMajor new major line
     * @return the map (empty when the catalog has none for that pair)
     */
    public static SchemaRenameMap from(ReleaseCatalog catalog, int fromMajor, int toMajor) {
        Objects.requireNonNull(catalog, "catalog");
        return new SchemaRenameMap(fromMajor, toMajor, catalog.renames(fromMajor, toMajor));
    }

    /**
     * @param fromMajor old major line
     * @param toMajor new major line
     * @return the map from the bundled catalog
     */
    public static SchemaRenameMap bundled(int fromMajor, int toMajor) {
        return from(ReleaseCatalog.bundled(), fromMajor, toMajor);
    }

    /**
     * @param qualifiedName an old {@code schema.table}
     * @return its entry
     */
    public Optional<TableRename> find(String qualifiedName) {
        Objects.requireNonNull(qualifiedName, "qualifiedName");
        return entries.stream().filter(e -> e.oldTable().equals(qualifiedName)).findFirst();
    }

    /**
     * Finds an entry by its old table name alone (as dbt's {@code ref('name')} names a model), when exactly one entry
     * has that name.
     *
     * @param table an old table name without schema
     * @return the entry, or empty when none or several match
     */
    public Optional<TableRename> findByTable(String table) {
        Objects.requireNonNull(table, "table");
        List<TableRename> hits = entries.stream().filter(e -> e.oldTable().substring(e.oldTable().indexOf('.') + 1).equals(table)).toList();
        return hits.size() == 1 ? Optional.of(hits.get(0)) : Optional.empty();
    }

    /** @return the entries with a successor */
    public List<TableRename> renames() {
        return entries.stream().filter(e -> !e.deprecated()).toList();
    }

    /** @return the entries deprecated without a successor */
    public List<TableRename> deprecated() {
        return entries.stream().filter(TableRename::deprecated).toList();
    }

    /**
     * The map for going back (new name to old name), without the deprecated entries, which have nothing to go back
     * from.
     *
     * @return the inverse map
     */
    public SchemaRenameMap inverse() {
        List<TableRename> back = new ArrayList<>();
        for (TableRename e : renames()) {
            back.add(new TableRename(e.newTable().orElseThrow(), Optional.of(e.oldTable()), "inverse of " + e.oldTable()));
        }
        return new SchemaRenameMap(toMajor, fromMajor, back);
    }
}
