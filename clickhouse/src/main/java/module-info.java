/**
 * Arborist's ClickHouse adapter over the HTTP interface (client-v2): backups and restores streamed or through the
 * server's own BACKUP, archive verification, the Aspects schema tools and snapshot. Exports only its public package.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.arborist.clickhouse {
    requires transitive io.arborist.core;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;
    requires com.github.luben.zstd_jni;
    requires client.v2;
    requires com.clickhouse.data;
    // The restore journal's owner is checked against this process's uid (com.sun.security.auth.module.UnixSystem).
    requires jdk.security.auth;

    exports io.arborist.clickhouse;

    // Jackson binds the archive manifests' records by reflection.
    opens io.arborist.clickhouse to com.fasterxml.jackson.databind;
    opens io.arborist.clickhouse.internal to com.fasterxml.jackson.databind;
}
