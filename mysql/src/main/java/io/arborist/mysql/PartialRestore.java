package io.arborist.mysql;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A restore that stopped before it finished and left its target partial: some databases, tables or objects created,
 * some data files loaded. Run the same restore again to resume it, or {@link MySqlRestore#cleanup(Path)} to drop what
 * it created.
 *
 * @param target the server and user it restored into, e.g. {@code jdbc:mysql://127.0.0.1:3306 as root}
 * @param databases the databases it restored into
 * @param dataFilesLoaded data files loaded and committed
 * @param dataFiles data files in the archive (0 when the archive's manifest cannot be read)
 * @param journal its journal
 * @since 0.2
 */
public record PartialRestore(String target, List<String> databases, int dataFilesLoaded, int dataFiles, Path journal) {
    /**
     * Validates and copies.
     *
     * @param target the server and user it restored into, e.g. {@code jdbc:mysql://127.0.0.1:3306 as root}
     * @param databases the databases it restored into
     * @param dataFilesLoaded data files loaded and committed
     * @param dataFiles data files in the archive (0 when the archive's manifest cannot be read)
     * @param journal its journal
     */
    public PartialRestore {
        Objects.requireNonNull(target, "target");
        databases = List.copyOf(databases);
        Objects.requireNonNull(journal, "journal");
    }

    /** @return one line, e.g. {@code partial restore into jdbc:mysql://h:3306 as root (edxapp_copy): 12 of 40 data files loaded} */
    public String describe() {
        return "partial restore into " + target + " (" + String.join(", ", databases) + "): " + dataFilesLoaded + " of "
                + dataFiles + " data files loaded";
    }
}
