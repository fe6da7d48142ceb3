package io.arborist.core.backup;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a restore did and what its verification found, table by table.
 *
 * @param tables every restored table's verification, in restore order
 * @param resumed whether the restore continued an interrupted one (from its restore journal)
 * @param filesLoaded data files loaded by this run
 * @param filesSkipped data files an interrupted earlier run had already loaded (0 unless resumed)
 * @param rows rows loaded by this run
 * @param took wall time of this run
 * @since 0.3
 */
public record RestoreReport(List<TableCheck> tables, boolean resumed, int filesLoaded, int filesSkipped, long rows, Duration took) {
    /**
     * Validates and copies.
     *
     * @param tables every restored table's verification, in restore order
     * @param resumed whether the restore continued an interrupted one (from its restore journal)
     * @param filesLoaded data files loaded by this run
     * @param filesSkipped data files an interrupted earlier run had already loaded (0 unless resumed)
     * @param rows rows loaded by this run
     * @param took wall time of this run
     */
    public RestoreReport {
        tables = List.copyOf(Objects.requireNonNull(tables, "tables"));
        Objects.requireNonNull(took, "took");
        if (filesLoaded < 0 || filesSkipped < 0 || rows < 0) {
            throw new IllegalArgumentException("file and row counts must be >= 0, got " + filesLoaded + ", " + filesSkipped + ", " + rows);
        }
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
