package io.arborist.clickhouse;

import io.arborist.clickhouse.internal.Sql;
import java.util.Objects;

/**
 * Where a server-side {@code BACKUP} (ClickHouse 22.8+) writes, on the ClickHouse server itself: a path the server
 * allows ({@code <backups><allowed_path>}) or a disk it allows ({@code <backups><allowed_disk>}). Object storage is a
 * later destination of this family.
 *
 * <pre>{@code
 * BackupDestination.file("/var/lib/clickhouse/backups/aspects-2025-01-01/")
 * BackupDestination.disk("backups", "aspects-2025-01-01/")
 * }</pre>
 *
 * @since 0.1
 */
public sealed interface BackupDestination permits BackupDestination.File, BackupDestination.Disk {
    /** @return the destination as ClickHouse writes it after {@code TO}/{@code FROM}, e.g. {@code File('/backups/x/')} */
    String sql();

    /** @return the kind, as the manifest records it ({@code File} or {@code Disk}) */
    String kind();

    /**
     * @param path a path on the server, inside one of its {@code backups.allowed_path} entries (a trailing {@code /}
     *     makes a directory; {@code .zip}/{@code .tar} an archive)
     * @return the destination
     */
    static BackupDestination file(String path) {
        return new File(path);
    }

    /**
     * @param disk a disk of the server's storage configuration listed in {@code backups.allowed_disk}
     * @param path the path on that disk
     * @return the destination
     */
    static BackupDestination disk(String disk, String path) {
        return new Disk(disk, path);
    }

    /**
     * A path on the server's file system.
     *
     * @param path the path, not empty
     */
    record File(String path) implements BackupDestination {
        /**
         * Validates.
         *
         * @param path the path, not empty
         */
        public File {
            Objects.requireNonNull(path, "path");
            if (path.isBlank()) {
                throw new IllegalArgumentException("a File backup destination needs a path on the ClickHouse server");
            }
        }

        @Override
        public String sql() {
            return "File(" + Sql.literal(path) + ")";
        }

        @Override
        public String kind() {
            return "File";
        }
    }

    /**
     * A path on one of the server's configured disks.
     *
     * @param disk the disk's name, not empty
     * @param path the path on the disk, not empty
     */
    record Disk(String disk, String path) implements BackupDestination {
        /**
         * Validates.
         *
         * @param disk the disk's name, not empty
         * @param path the path on the disk, not empty
         */
        public Disk {
            Objects.requireNonNull(disk, "disk");
            Objects.requireNonNull(path, "path");
            if (disk.isBlank() || path.isBlank()) {
                throw new IllegalArgumentException("a Disk backup destination needs a disk name and a path, got '" + disk + "', '" + path + "'");
            }
        }

        @Override
        public String sql() {
            return "Disk(" + Sql.literal(disk) + ", " + Sql.literal(path) + ")";
        }

        @Override
        public String kind() {
            return "Disk";
        }
    }
}
