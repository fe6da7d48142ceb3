package io.arborist.mysql;

import java.util.Objects;

/**
 * One table's verification after a restore: the row count and the server-side checksum (an order-independent sum of
 * per-row CRC32-based hashes computed by the server, MD5-based for format 1 archives) in the archive's manifest and in the restored table.
 *
 * @param database the restored table's database (after renaming)
 * @param table the table
 * @param expectedRows rows in the archive
 * @param actualRows rows in the restored table
 * @param expectedChecksum checksum in the archive
 * @param actualChecksum checksum of the restored table
 * @since 0.1
 */
public record TableCheck(String database, String table, long expectedRows, long actualRows, String expectedChecksum,
                         String actualChecksum) {
    /**
     * Validates.
     *
     * @param database the restored table's database (after renaming)
     * @param table the table
     * @param expectedRows rows in the archive
     * @param actualRows rows in the restored table
     * @param expectedChecksum checksum in the archive
     * @param actualChecksum checksum of the restored table
     */
    public TableCheck {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(expectedChecksum, "expectedChecksum");
        Objects.requireNonNull(actualChecksum, "actualChecksum");
    }

    /** @return whether rows and checksum are equal */
    public boolean matches() {
        return expectedRows == actualRows && expectedChecksum.equals(actualChecksum);
    }

    /** @return e.g. {@code edxapp.auth_user: 1200 rows, checksum ok} */
    public String describe() {
        return database + "." + table + ": " + (matches() ? actualRows + " rows, checksum ok"
                : "expected " + expectedRows + " rows / checksum " + expectedChecksum + ", found " + actualRows
                + " rows / checksum " + actualChecksum);
    }
}
