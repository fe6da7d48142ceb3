package io.arborist.clickhouse;

import io.arborist.core.aspects.TableRename;
import java.util.List;
import java.util.Objects;

/**
 * How one rename-map entry stands on a live server.
 *
 * @param entry the map entry
 * @param oldPresent whether the old object exists
 * @param newPresent whether the new object exists
 * @param dependents views and materialized views that read or write the old object (server metadata and DDL text)
 * @param state what an apply would do
 * @since 0.1
 */
public record RenameStatus(TableRename entry, boolean oldPresent, boolean newPresent, List<String> dependents, State state) {
    /** What an apply does with an entry. */
    public enum State {
        /** Old present, new absent: {@code RENAME TABLE old TO new}. */
        TO_RENAME,
        /** Old absent, new present: already done. */
        DONE,
        /** Both present: needs a human (an apply skips it). */
        CONFLICT,
        /** Neither present: nothing to do. */
        ABSENT,
        /** Deprecated without successor: see the deprecated-model removal. */
        DEPRECATED
    }

    /**
     * Validates and copies.
     *
     * @param entry the map entry
     * @param oldPresent whether the old object exists
     * @param newPresent whether the new object exists
     * @param dependents views and materialized views that read or write the old object (server metadata and DDL text)
     * @param state what an apply would do
     */
    public RenameStatus {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(state, "state");
        dependents = List.copyOf(dependents);
    }
}
