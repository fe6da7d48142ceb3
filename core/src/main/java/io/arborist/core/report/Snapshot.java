package io.arborist.core.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What learners have, counted at one moment: before and after an upgrade, or a source and its restored copy.
 * Taken by the MySQL and ClickHouse modules, compared with {@link SnapshotComparison#compare}.
 *
 * @param takenAt when it was taken
 * @param source where from, without credentials (for example {@code mysql 127.0.0.1:3306/edxapp})
 * @param measures the counts
 * @param missingTables tables the snapshot looked for and did not find (a release renamed or dropped them)
 * @since 0.1
 */
public record Snapshot(Instant takenAt, String source, List<Measure> measures, List<String> missingTables) {
    /**
     * Validates and copies.
     *
     * @param takenAt when it was taken
     * @param source where from, without credentials (for example {@code mysql 127.0.0.1:3306/edxapp})
     * @param measures the counts
     * @param missingTables tables the snapshot looked for and did not find (a release renamed or dropped them)
     */
    public Snapshot {
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(source, "source");
        measures = List.copyOf(measures);
        missingTables = List.copyOf(missingTables);
    }

    /**
     * @param other another snapshot (for example of ClickHouse, to join one of MySQL)
     * @return one snapshot holding both
     */
    public Snapshot plus(Snapshot other) {
        java.util.List<Measure> m = new java.util.ArrayList<>(measures);
        m.addAll(other.measures);
        java.util.List<String> t = new java.util.ArrayList<>(missingTables);
        t.addAll(other.missingTables);
        return new Snapshot(takenAt.isBefore(other.takenAt) ? takenAt : other.takenAt, source + " + " + other.source, m, t);
    }

    /**
     * Renames databases in keys and missing tables ({@code edxapp_rehearsal.x} back to {@code edxapp.x}), so that a
     * snapshot of a restored copy compares key for key with the source's.
     *
     * @param databases restored name to original name
     * @return the renamed snapshot
     */
    public Snapshot withDatabasesRenamed(java.util.Map<String, String> databases) {
        java.util.function.UnaryOperator<String> rename = key -> {
            for (java.util.Map.Entry<String, String> e : databases.entrySet()) {
                if (key.startsWith(e.getKey() + ".")) {
                    return e.getValue() + key.substring(e.getKey().length());
                }
            }
            return key;
        };
        return new Snapshot(takenAt, source, measures.stream().map(m -> new Measure(m.area(), rename.apply(m.key()), m.value())).toList(),
                missingTables.stream().map(rename).toList());
    }

    /** @return the snapshot as JSON (format 1) */
    public String toJson() {
        return SnapshotJson.write(this);
    }

    /**
     * @param json a snapshot written by {@link #toJson()}
     * @return the snapshot
     * @throws io.arborist.core.ArboristException of kind CONFIGURATION naming the field when it is not a snapshot
     */
    public static Snapshot fromJson(String json) {
        return SnapshotJson.read(Objects.requireNonNull(json, "json"));
    }
}
