package io.arborist.clickhouse;

import io.arborist.clickhouse.internal.Journal;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A restore that began and did not finish, as its journal records it: its target holds part of the backup. Run the
 * same restore again to resume it, or {@link ClickHouseRestore#cleanUp(Path)} to drop what it created. A finished
 * restore removes its journal, so there is none.
 *
 * @param journal the journal file
 * @param target where the restore writes: the server's URL, the database renames and the archive's manifest digest
 * @param created what it created so far, on the target ({@code database} or {@code database.name}), in order
 * @param interrupted steps begun and not finished (the one running when it stopped)
 * @since 0.2
 */
public record PartialRestore(Path journal, String target, List<String> created, List<String> interrupted) {
    /**
     * Validates and copies.
     *
     * @param journal the journal file
     * @param target where the restore writes: the server's URL, the database renames and the archive's manifest digest
     * @param created what it created so far, on the target ({@code database} or {@code database.name}), in order
     * @param interrupted steps begun and not finished (the one running when it stopped)
     */
    public PartialRestore {
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(target, "target");
        created = List.copyOf(created);
        interrupted = List.copyOf(interrupted);
    }

    /** @return the restore recorded in a journal file, if there is one */
    static Optional<PartialRestore> of(Path journal) {
        return Journal.peek(journal).map(j -> {
            List<String> created = new java.util.ArrayList<>();
            for (String s : j.doneSteps()) {
                if (s.startsWith("created-database:")) {
                    created.add(s.substring("created-database:".length()));
                }
            }
            j.begunSteps().stream().filter(s -> s.startsWith("create:")).sorted().forEach(s -> created.add(s.substring("create:".length())));
            if (j.begun("server-restore:structure")) {
                created.add("the objects of the server-side RESTORE");
            }
            List<String> interrupted = j.begunSteps().stream().filter(j::interrupted).sorted().toList();
            return new PartialRestore(journal, j.header(), created, interrupted);
        });
    }

    /** @return one line for people: what is partial and what to do */
    public String describe() {
        return "partial restore into " + target + ": " + created.size() + " object(s) created" + (interrupted.isEmpty() ? ""
                : ", interrupted at " + String.join(", ", interrupted)) + " (journal " + journal + "); run the same restore again to resume it,"
                + " or clean it up (--cleanup) to drop what it created";
    }
}
