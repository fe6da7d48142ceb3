package io.arborist.mysql;

import java.util.Objects;

/**
 * A table as recorded in an archive's manifest.
 *
 * @param database its database on the source
 * @param table its name
 * @param rows rows dumped
 * @param bytes uncompressed bytes of its data files
 * @param chunks number of data files
 * @param checksum the checksum of its rows: from format 3 on, computed by Arborist over the server's result rows
 *                 (the values exactly as the server returned them), summed per row (see {@link io.arborist.core.backup.TableCheck})
 * @since 0.1
 */
public record ArchivedTable(String database, String table, long rows, long bytes, int chunks, String checksum) {
    /**
     * Validates.
     *
     * @param database its database on the source
     * @param table its name
     * @param rows rows dumped
     * @param bytes uncompressed bytes of its data files
     * @param chunks number of data files
     * @param checksum the checksum of its rows: from format 3 on, computed by Arborist over the server's result rows
     *     (the values exactly as the server returned them), summed per row (see {@link io.arborist.core.backup.TableCheck})
     */
    public ArchivedTable {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(checksum, "checksum");
    }
}
