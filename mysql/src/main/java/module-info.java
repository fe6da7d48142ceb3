/**
 * Arborist's MySQL and MariaDB adapter: consistent, parallel, verified backups and restores, archive verification and
 * the no-data-loss learner snapshot. Exports only its public package.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.arborist.mysql {
    requires transitive io.arborist.core;
    requires transitive java.sql;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;
    requires org.apache.commons.compress;
    requires com.github.luben.zstd_jni;
    requires mysql.connector.j;

    exports io.arborist.mysql;

    // Jackson binds the archive manifests' records by reflection.
    opens io.arborist.mysql to com.fasterxml.jackson.databind;
    opens io.arborist.mysql.internal to com.fasterxml.jackson.databind;
}
