package io.arborist.clickhouse;

import java.util.List;

/**
 * The statements an apply of the rename map runs, and the statements that undo them.
 *
 * @param statements the statements, in order ({@code CREATE DATABASE IF NOT EXISTS}, {@code RENAME TABLE})
 * @param inverse statements that undo the renames, in order (rollback plan)
 * @param notes entries skipped and why, and dependents that need attention
 * @param applied whether the statements were run (false for a dry run)
 * @since 0.1
 */
public record RenamePlan(List<String> statements, List<String> inverse, List<String> notes, boolean applied) {
    /**
     * Copies.
     *
     * @param statements the statements, in order ({@code CREATE DATABASE IF NOT EXISTS}, {@code RENAME TABLE})
     * @param inverse statements that undo the renames, in order (rollback plan)
     * @param notes entries skipped and why, and dependents that need attention
     * @param applied whether the statements were run (false for a dry run)
     */
    public RenamePlan {
        statements = List.copyOf(statements);
        inverse = List.copyOf(inverse);
        notes = List.copyOf(notes);
    }

    /** @return whether there is nothing to do (a second apply) */
    public boolean noOp() {
        return statements.isEmpty();
    }
}
