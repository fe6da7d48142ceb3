package io.arborist.clickhouse;

import java.util.List;
import java.util.Map;

/**
 * The drops of the deprecated-model removal and what blocks them.
 *
 * @param statements the {@code DROP … IF EXISTS} statements for objects that exist, in order
 * @param blockers per object to drop, the views and materialized views (not themselves dropped) that still use it
 * @param applied whether the statements were run
 * @since 0.1
 */
public record RemovalPlan(List<String> statements, Map<String, List<String>> blockers, boolean applied) {
    /**
     * Copies.
     *
     * @param statements the {@code DROP … IF EXISTS} statements for objects that exist, in order
     * @param blockers per object to drop, the views and materialized views (not themselves dropped) that still use it
     * @param applied whether the statements were run
     */
    public RemovalPlan {
        statements = List.copyOf(statements);
        blockers = Map.copyOf(blockers);
    }

    /** @return whether some object to drop is still used */
    public boolean blocked() {
        return !blockers.isEmpty();
    }
}
