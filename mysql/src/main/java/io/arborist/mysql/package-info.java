/**
 * MySQL and MariaDB backup and restore: {@link io.arborist.mysql.MySqlBackup} (also the executor's
 * {@link io.arborist.core.backup.BackupProvider}) writes consistent, parallel, zstd-compressed archives (a directory,
 * or a single {@code .tar} file) with a manifest written last; {@link io.arborist.mysql.MySqlRestore} restores them
 * in dependency order, resumably, and verifies row counts and row checksums (computed over the server's result
 * rows); {@link io.arborist.mysql.MySqlArchive#verify(java.nio.file.Path)} checks an archive without a database.
 *
 * <p>Everything here is non-null unless it is an {@link java.util.Optional}; collections are empty, never null.
 *
 * @since 0.1
 */
package io.arborist.mysql;
