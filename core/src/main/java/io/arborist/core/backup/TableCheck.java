package io.arborist.core.backup;

import java.util.Objects;

/**
 * One restored table's verification: its row count and checksum in the archive and in the restored table. The
 * checksum's form is the adapter's (MySQL: a sum of per-row hashes; ClickHouse: the sum and xor of per-row hashes);
 * both are empty when the table was not compared by checksum, and {@link #note()} says why.
 *
 * @param database the restored table's database (after renaming)
 * @param table the table, e.g. {@code auth_user}; a ClickHouse materialized view's inner table is {@code .inner.VIEW}
 * @param expectedRows rows in the archive
 * @param actualRows rows in the restored table
 * @param expectedChecksum checksum in the archive, empty when not compared
 * @param actualChecksum checksum of the restored table, empty when not compared
 * @param note why the table was not fully compared (rows appended into an existing table, no checksum in the archive),
 *     or empty
 * @since 0.3
 */
public record TableCheck(String database, String table, long expectedRows, long actualRows, String expectedChecksum,
                         String actualChecksum, String note) {
    /**
     * Validates.
     *
     * @param database the restored table's database (after renaming)
     * @param table the table, e.g. {@code auth_user}; a ClickHouse materialized view's inner table is {@code .inner.VIEW}
     * @param expectedRows rows in the archive
     * @param actualRows rows in the restored table
     * @param expectedChecksum checksum in the archive, empty when not compared
     * @param actualChecksum checksum of the restored table, empty when not compared
     * @param note why the table was not fully compared (rows appended into an existing table, no checksum in the archive), or empty
     */
    public TableCheck {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(expectedChecksum, "expectedChecksum");
        Objects.requireNonNull(actualChecksum, "actualChecksum");
        Objects.requireNonNull(note, "note");
    }

    /**
     * A table compared by rows and checksum.
     *
     * @param database the restored table's database
     * @param table the table
     * @param expectedRows rows in the archive
     * @param actualRows rows in the restored table
     * @param expectedChecksum checksum in the archive
     * @param actualChecksum checksum of the restored table
     * @return the check, without a note
     */
    public static TableCheck of(String database, String table, long expectedRows, long actualRows, String expectedChecksum,
                                String actualChecksum) {
        return new TableCheck(database, table, expectedRows, actualRows, expectedChecksum, actualChecksum, "");
    }

    /** @return {@code database.table} */
    public String qualifiedName() {
        return database + "." + table;
    }

    /** @return whether rows and checksum are equal */
    public boolean matches() {
        return expectedRows == actualRows && expectedChecksum.equals(actualChecksum);
    }

    /** @return e.g. {@code edxapp.auth_user: 1200 rows, checksum ok} */
    public String describe() {
        String what = qualifiedName() + ": ";
        if (!matches()) {
            return what + "expected " + expectedRows + " rows" + (expectedChecksum.isEmpty() ? "" : " / checksum " + expectedChecksum)
                    + ", found " + actualRows + " rows" + (actualChecksum.isEmpty() ? "" : " / checksum " + actualChecksum);
        }
        return what + actualRows + " rows" + (expectedChecksum.isEmpty() ? "" : ", checksum ok") + (note.isEmpty() ? "" : " (" + note + ")");
    }
}
