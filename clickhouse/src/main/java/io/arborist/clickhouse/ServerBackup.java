package io.arborist.clickhouse;

import java.util.Objects;

/**
 * The server-side {@code BACKUP} that holds a backup's rows (see {@link ClickHouseBackup.Builder#serverSide}): the
 * manifest keeps the objects, DDL, row counts and row-hash checksums; the data stays on the server.
 *
 * @param destination where the server wrote it
 * @param id the server's id of the {@code BACKUP} operation
 * @param files files the server wrote ({@code system.backups.num_files})
 * @param bytes their total size ({@code system.backups.total_size})
 * @since 0.1
 */
public record ServerBackup(BackupDestination destination, String id, long files, long bytes) {
    /**
     * Validates.
     *
     * @param destination where the server wrote it
     * @param id the server's id of the {@code BACKUP} operation
     * @param files files the server wrote ({@code system.backups.num_files})
     * @param bytes their total size ({@code system.backups.total_size})
     */
    public ServerBackup {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(id, "id");
        if (files < 0 || bytes < 0) {
            throw new IllegalArgumentException("files and bytes must be >= 0, got " + files + ", " + bytes);
        }
    }
}
