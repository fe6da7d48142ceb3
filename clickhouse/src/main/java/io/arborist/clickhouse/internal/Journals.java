package io.arborist.clickhouse.internal;

import io.arborist.clickhouse.ClickHouseEndpoint;
import io.arborist.core.backup.PartialRestore;
import io.arborist.core.backup.RestoreJournal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Where a ClickHouse restore keeps its {@link RestoreJournal}, and what an unfinished one says. */
public final class Journals {
    private Journals() {
    }

    /** @return the journal of a restore of this archive: the configured file, else the default one */
    static Path file(Optional<Path> configured, ArchiveSource from) {
        return configured.orElseGet(() -> defaultJournal(from));
    }

    /**
     * Opens (or resumes) the journal of a restore of this archive into this target with these renames: a journal of
     * another target, other renames or another manifest is refused.
     */
    static RestoreJournal open(Optional<Path> configured, ArchiveSource from, ClickHouseEndpoint endpoint, Map<String, String> renames,
            OpenedArchive a) {
        return RestoreJournal.open(file(configured, from), endpoint.url().toString(), "rename=" + new TreeMap<>(renames) + " manifest="
                + a.digest().substring(0, 16), a.manifest().databases().stream().map(d -> renames.getOrDefault(d.name(), d.name())).toList());
    }

    /**
     * Where a restore of an archive keeps its journal unless told otherwise: next to a backup directory; for an S3
     * archive on this machine, {@code ~/.arborist/restore-journals/s3/BUCKET/PREFIX/restore.journal}.
     */
    static Path defaultJournal(ArchiveSource source) {
        return source.directory().map(Journals::defaultJournal).orElseGet(() -> {
            Path p = Path.of(System.getProperty("user.home"), ".arborist", "restore-journals", "s3");
            for (String part : source.where().substring("s3://".length()).split("/")) {
                if (!part.isEmpty()) {
                    p = p.resolve(part);
                }
            }
            return p.resolve("restore.journal");
        });
    }

    /**
     * Where a restore of a backup keeps its journal unless told otherwise: next to the backup
     * ({@code <backup>.restore.journal}), never inside it, so a journal that came with an archive is never resumed.
     *
     * @param backup the backup directory
     * @return the journal file
     */
    public static Path defaultJournal(Path backup) {
        Path abs = backup.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        return parent == null ? abs.resolve("restore.journal") : parent.resolve(abs.getFileName() + ".restore.journal");
    }

    /** @return the restore recorded in a journal file, if there is one that changed its target */
    static Optional<PartialRestore> partial(Path journal) {
        return RestoreJournal.read(journal).filter(RestoreJournal.State::changed).map(j -> {
            List<String> created = new ArrayList<>();
            for (String s : j.done()) {
                if (s.startsWith("created-database:")) {
                    created.add(s.substring("created-database:".length()));
                }
            }
            j.begun().stream().filter(s -> s.startsWith("create:")).sorted().forEach(s -> created.add(s.substring("create:".length())));
            if (j.begun().contains("server-restore:structure")) {
                created.add("the objects of the server-side RESTORE");
            }
            int loaded = (int) j.done().stream().filter(s -> s.startsWith("data:")).count();
            return new PartialRestore(journal, j.target(), j.databases(), created, j.interrupted(), loaded, 0);
        });
    }
}
