package io.arborist.core.backup;

import java.util.List;

/**
 * What an adapter's {@code cleanup} did to the target of an unfinished restore ({@link PartialRestore}).
 *
 * @param dropped what it dropped, on the target, e.g. {@code table edxapp.auth_user}, {@code database edxapp}
 * @param kept what it left, each with the reason (a database it created that now holds other objects, rows appended
 *     into tables that existed before the restore)
 * @since 0.3
 */
public record RestoreCleanup(List<String> dropped, List<String> kept) {
    /**
     * Copies.
     *
     * @param dropped what it dropped, on the target, e.g. {@code table edxapp.auth_user}, {@code database edxapp}
     * @param kept what it left, each with the reason (a database it created that now holds other objects, rows appended into tables
     *     that existed before the restore)
     */
    public RestoreCleanup {
        dropped = List.copyOf(dropped);
        kept = List.copyOf(kept);
    }

    /** @return the dropped objects, then the kept ones, one line each ({@code dropped …}, {@code kept …}) */
    public List<String> lines() {
        return java.util.stream.Stream.concat(dropped.stream().map(d -> "dropped " + d), kept.stream().map(k -> "kept " + k)).toList();
    }
}
