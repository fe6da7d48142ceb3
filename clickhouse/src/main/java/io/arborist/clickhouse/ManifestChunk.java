package io.arborist.clickhouse;

import java.util.Objects;

/**
 * One data file of a backup: a partition of a table (or the whole table), as {@code SELECT * … FORMAT Native}
 * compressed with zstd. In a server-side backup ({@link ClickHouseManifest#serverBackup()}) a table's one chunk has
 * no file (empty {@code file} and {@code sha256}, 0 bytes): it records the rows and checksums the server held.
 *
 * @param file path relative to the backup directory, or empty in a server-side backup
 * @param partitionId the partition's id ({@code _partition_id}), or empty for the whole table
 * @param rows rows in the file, counted by the server
 * @param bytes size of the file
 * @param sha256 SHA-256 of the file, lowercase hex (empty without a file)
 * @param hashSum server-side {@code sum} of the row hashes (unsigned 64-bit, decimal), or empty when the server could not compute it
 * @param hashXor server-side {@code groupBitXor} of the row hashes (unsigned 64-bit, decimal), or empty likewise
 * @since 0.1
 */
public record ManifestChunk(String file, String partitionId, long rows, long bytes, String sha256, String hashSum, String hashXor) {
    /**
     * Validates.
     *
     * @param file path relative to the backup directory, or empty in a server-side backup
     * @param partitionId the partition's id ({@code _partition_id}), or empty for the whole table
     * @param rows rows in the file, counted by the server
     * @param bytes size of the file
     * @param sha256 SHA-256 of the file, lowercase hex (empty without a file)
     * @param hashSum server-side {@code sum} of the row hashes (unsigned 64-bit, decimal), or empty when the server could not compute it
     * @param hashXor server-side {@code groupBitXor} of the row hashes (unsigned 64-bit, decimal), or empty likewise
     */
    public ManifestChunk {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(partitionId, "partitionId");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(hashSum, "hashSum");
        Objects.requireNonNull(hashXor, "hashXor");
        if (rows < 0 || bytes < 0) {
            throw new IllegalArgumentException("rows and bytes must be >= 0, got " + rows + ", " + bytes);
        }
        if (file.contains("..") || file.startsWith("/")) {
            throw new IllegalArgumentException("chunk file must be relative and inside the backup, got '" + file + "'");
        }
    }
}
