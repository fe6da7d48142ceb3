package io.arborist.clickhouse;

import java.util.Objects;

/**
 * A file of a backup other than a data file (the {@code schema/<db>.sql} files written for people), with its digest:
 * the manifest covers every file of the archive.
 *
 * @param path path relative to the backup directory
 * @param bytes its size
 * @param sha256 its SHA-256, lowercase hex
 * @since 0.2
 */
public record ManifestFile(String path, long bytes, String sha256) {
    /**
     * Validates.
     *
     * @param path path relative to the backup directory
     * @param bytes its size
     * @param sha256 its SHA-256, lowercase hex
     */
    public ManifestFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        }
        if (path.isEmpty() || path.contains("..") || path.startsWith("/")) {
            throw new IllegalArgumentException("a manifest file must be relative and inside the backup, got '" + path + "'");
        }
    }
}
