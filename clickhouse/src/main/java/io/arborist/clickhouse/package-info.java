/**
 * ClickHouse backup and restore over the HTTP interface, streamed or with the server's own BACKUP
 * ({@link io.arborist.clickhouse.ClickHouseBackup},
 * {@link io.arborist.clickhouse.ClickHouseRestore}, {@link io.arborist.clickhouse.ClickHouseVerifier}) and the Aspects
 * schema tools ({@link io.arborist.clickhouse.AspectsSchemaTool}). Everything is non-null unless documented otherwise.
 */
package io.arborist.clickhouse;
