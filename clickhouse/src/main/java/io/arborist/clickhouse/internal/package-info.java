/**
 * Implementation details of the ClickHouse adapter: the engines behind its public services (the backup's
 * {@link io.arborist.clickhouse.internal.Dumper}, the restore's {@link io.arborist.clickhouse.internal.Loader} and
 * {@link io.arborist.clickhouse.internal.Cleanup}, the verifier's {@link io.arborist.clickhouse.internal.ArchiveVerifier}),
 * the archive checks, the HTTP client wrapper, SQL text helpers, the manifest codec and the restore journal's files. No
 * compatibility: anything here may change in any release. Nothing public names these types.
 */
package io.arborist.clickhouse.internal;
