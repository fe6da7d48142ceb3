package io.arborist.clickhouse;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a restore did.
 *
 * @param tables per-table verification, in restore order
 * @param filesLoaded data files loaded in this run
 * @param filesSkipped data files already loaded by an interrupted earlier run (resume)
 * @param rows rows loaded in this run
 * @param took wall time
 * @since 0.1
 */
public record RestoreReport(List<TableCheck> tables, int filesLoaded, int filesSkipped, long rows, Duration took) {
    /**
     * Validates and copies.
     *
     * @param tables per-table verification, in restore order
     * @param filesLoaded data files loaded in this run
     * @param filesSkipped data files already loaded by an interrupted earlier run (resume)
     * @param rows rows loaded in this run
     * @param took wall time
     */
    public RestoreReport {
        tables = List.copyOf(tables);
        Objects.requireNonNull(took, "took");
    }

    /** @return whether every table matched */
    public boolean ok() {
        return tables.stream().allMatch(TableCheck::ok);
    }
}
