package io.arborist.clickhouse;

import java.util.List;

/**
 * What {@link ClickHouseRestore#cleanUp(java.nio.file.Path)} did to the target of an unfinished restore.
 *
 * @param dropped the objects and databases it dropped, on the target ({@code database.name} or {@code database})
 * @param kept what it left, each with the reason (a database it created that now holds other objects, rows appended
 *     into tables that existed before the restore)
 * @since 0.2
 */
public record RestoreCleanup(List<String> dropped, List<String> kept) {
    /**
     * Copies.
     *
     * @param dropped the objects and databases it dropped, on the target ({@code database.name} or {@code database})
     * @param kept what it left, each with the reason (a database it created that now holds other objects, rows appended
     *     into tables that existed before the restore)
     */
    public RestoreCleanup {
        dropped = List.copyOf(dropped);
        kept = List.copyOf(kept);
    }
}
