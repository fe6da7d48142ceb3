package io.arborist.clickhouse;

import java.util.Objects;

/**
 * The verification of one restored table against the manifest.
 *
 * @param table the restored table, {@code database.name} (after database renames); the inner table of a materialized
 *     view is {@code database..inner.<view>} on every server version (Atomic databases name it
 *     {@code .inner_id.<uuid>}, and a restored copy gets a new uuid)
 * @param expectedRows rows in the backup
 * @param actualRows rows found after the restore (in the restored partitions)
 * @param checksumMatches whether count and row-hash sums equal the manifest's
 * @param note why a table was not compared (appended into an existing table, no checksum in the backup), or empty
 * @since 0.1
 */
public record TableCheck(String table, long expectedRows, long actualRows, boolean checksumMatches, String note) {
    /**
     * Validates.
     *
     * @param table the restored table, {@code database.name} (after database renames); the inner table of a materialized
     *     view is {@code database..inner.<view>} on every server version (Atomic databases name it
     *     {@code .inner_id.<uuid>}, and a restored copy gets a new uuid)
     * @param expectedRows rows in the backup
     * @param actualRows rows found after the restore (in the restored partitions)
     * @param checksumMatches whether count and row-hash sums equal the manifest's
     * @param note why a table was not compared (appended into an existing table, no checksum in the backup), or empty
     */
    public TableCheck {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(note, "note");
    }

    /** @return whether the table matches the backup */
    public boolean ok() {
        return checksumMatches && expectedRows == actualRows;
    }
}
