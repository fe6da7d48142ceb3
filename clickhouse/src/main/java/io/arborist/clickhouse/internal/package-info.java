/**
 * Implementation details of the ClickHouse adapter: the HTTP client wrapper, SQL text helpers, the manifest codec and
 * the restore journal. No compatibility: anything here may change in any release. Nothing public names these types.
 */
package io.arborist.clickhouse.internal;
