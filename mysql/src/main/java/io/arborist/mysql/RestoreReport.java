package io.arborist.mysql;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a restore did and what its verification found, table by table.
 *
 * @param tables every restored table's verification, in archive order
 * @param resumed whether the restore continued an interrupted one (from the archive's restore journal)
 * @param chunksLoaded data files loaded by this run (fewer than the archive's when resumed)
 * @param rows rows loaded by this run
 * @param took wall time of this run
 * @since 0.1
 */
public record RestoreReport(List<TableCheck> tables, boolean resumed, int chunksLoaded, long rows, Duration took) {
    /**
     * Validates and copies.
     *
     * @param tables every restored table's verification, in archive order
     * @param resumed whether the restore continued an interrupted one (from the archive's restore journal)
     * @param chunksLoaded data files loaded by this run (fewer than the archive's when resumed)
     * @param rows rows loaded by this run
     * @param took wall time of this run
     */
    public RestoreReport {
        tables = List.copyOf(Objects.requireNonNull(tables, "tables"));
        Objects.requireNonNull(took, "took");
    }

    /** @return whether every table's rows and checksum equal the archive's */
    public boolean allMatch() {
        return tables.stream().allMatch(TableCheck::matches);
    }

    /** @return the tables that differ */
    public List<TableCheck> mismatches() {
        return tables.stream().filter(t -> !t.matches()).toList();
    }
}
