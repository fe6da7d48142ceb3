package io.arborist.core.backup;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A restore that stopped before it finished and left its target partial, as its {@link RestoreJournal} records it:
 * some databases, tables or objects created, some data files loaded. Run the same restore again to resume it, or its
 * adapter's {@code cleanup} to drop what it created. A finished restore retires its journal, so there is none.
 *
 * @param journal its journal file
 * @param target the server (and user) it restored into, e.g. {@code jdbc:mysql://127.0.0.1:3306 as root}
 * @param databases the databases it restored into (after renaming)
 * @param created what it created so far, as {@code database} or {@code database.name}, when the journal names it; may be
 *     empty
 * @param interrupted the steps begun and not finished (the ones running when it stopped)
 * @param filesLoaded data files loaded and committed
 * @param files data files in the archive (0 when its manifest cannot be read)
 * @since 0.3
 */
public record PartialRestore(Path journal, String target, List<String> databases, List<String> created, List<String> interrupted,
                             int filesLoaded, int files) {
    /**
     * Validates and copies.
     *
     * @param journal its journal file
     * @param target the server (and user) it restored into, e.g. {@code jdbc:mysql://127.0.0.1:3306 as root}
     * @param databases the databases it restored into (after renaming)
     * @param created what it created so far, as {@code database} or {@code database.name}, when the journal names it; may be empty
     * @param interrupted the steps begun and not finished (the ones running when it stopped)
     * @param filesLoaded data files loaded and committed
     * @param files data files in the archive (0 when its manifest cannot be read)
     */
    public PartialRestore {
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(target, "target");
        databases = List.copyOf(databases);
        created = List.copyOf(created);
        interrupted = List.copyOf(interrupted);
    }

    /**
     * @return one line for people, e.g. {@code partial restore into jdbc:mysql://h:3306 as root (edxapp_copy): 12 of 40
     *     data files loaded (journal …); run the same restore again to resume it, or clean it up (--cleanup) to drop what
     *     it created}
     */
    public String describe() {
        StringBuilder sb = new StringBuilder("partial restore into ").append(target);
        if (!databases.isEmpty()) {
            sb.append(" (").append(String.join(", ", databases)).append(')');
        }
        sb.append(": ").append(filesLoaded).append(files > 0 ? " of " + files : "").append(" data files loaded");
        if (!created.isEmpty()) {
            sb.append(", ").append(created.size()).append(" object(s) created");
        }
        if (!interrupted.isEmpty()) {
            sb.append(", interrupted at ").append(String.join(", ", interrupted));
        }
        return sb.append(" (journal ").append(journal).append("); run the same restore again to resume it, or clean it up (--cleanup)")
                .append(" to drop what it created").toString();
    }
}
