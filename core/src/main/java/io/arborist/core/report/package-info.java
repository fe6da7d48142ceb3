/**
 * The no-data-loss report: {@link io.arborist.core.report.Snapshot}s of what learners have (certificates,
 * enrollments, completions, grades, Aspects rows) and their {@link io.arborist.core.report.SnapshotComparison}.
 * The MySQL and ClickHouse modules take the snapshots.
 */
package io.arborist.core.report;
