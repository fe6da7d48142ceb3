package io.arborist.core.aspects;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of an Aspects schema rename map: an old {@code schema.table} and its successor, or none when the model
 * was deprecated without a successor.
 *
 * @param oldTable the old qualified name, e.g. {@code event_sink.course_names}
 * @param newTable the new qualified name; empty when deprecated
 * @param note extra fact about the entry (for example "later deprecated in 2.5"), possibly empty
 * @since 0.1
 */
public record TableRename(String oldTable, Optional<String> newTable, String note) {
    /**
     * Validates both names.
     *
     * @param oldTable the old qualified name, e.g. {@code event_sink.course_names}
     * @param newTable the new qualified name; empty when deprecated
     * @param note extra fact about the entry (for example "later deprecated in 2.5"), possibly empty
     */
    public TableRename {
        Objects.requireNonNull(oldTable, "oldTable");
        Objects.requireNonNull(newTable, "newTable");
        Objects.requireNonNull(note, "note");
        if (!oldTable.matches("[A-Za-z0-9_]+\\.[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("table must be schema.table, got '" + oldTable + "'");
        }
        newTable.ifPresent(n -> {
            if (!n.matches("[A-Za-z0-9_]+\\.[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("table must be schema.table, got '" + n + "'");
            }
        });
    }

    /** @return whether the model was deprecated with no successor */
    public boolean deprecated() {
        return newTable.isEmpty();
    }

    @Override
    public String toString() {
        return oldTable + " -> " + newTable.orElse("DEPRECATED");
    }
}
