/**
 * The backup service interface the executor calls at backup steps ({@link io.arborist.core.backup.BackupProvider})
 * and the values it exchanges. Implemented by the MySQL and ClickHouse modules.
 */
package io.arborist.core.backup;
