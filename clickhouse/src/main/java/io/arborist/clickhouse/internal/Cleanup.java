package io.arborist.clickhouse.internal;

import io.arborist.clickhouse.ClickHouseEndpoint;
import io.arborist.clickhouse.ClickHouseManifest;
import io.arborist.clickhouse.ClickHouseRestore;
import io.arborist.clickhouse.ObjectKind;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.RestoreCleanup;
import io.arborist.core.backup.RestoreJournal;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.EncryptionKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops what an unfinished restore created, as its journal records it (the engine of {@link ClickHouseRestore#cleanup(Path)}):
 * the objects it created in reverse order, then the databases it created when nothing else is in them.
 */
public final class Cleanup {
    // logs under the public class's name, as before the engine moved here
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseRestore.class);

    private final ClickHouseEndpoint endpoint;
    private final Map<String, String> databaseRenames;
    private final Optional<Path> journal;
    private final Optional<EncryptionKey> encryption;
    private final Duration statementTimeout;
    private final Optional<ArchiveKey> key;

    /** @param s the restore's settings (endpoint, renames, journal, keys and timeout count here) */
    public Cleanup(Loader.Settings s) {
        this.endpoint = s.endpoint();
        this.databaseRenames = s.databaseRenames();
        this.journal = s.journal();
        this.encryption = s.encryption();
        this.statementTimeout = s.statementTimeout();
        this.key = s.key();
    }

    /**
     * See {@link ClickHouseRestore#cleanup(Path)}.
     *
     * @param from the backup directory
     * @return what was dropped and what was kept; empty when there is no unfinished restore
     */
    public RestoreCleanup run(Path from) {
        Objects.requireNonNull(from, "from");
        if (RestoreJournal.read(journal.orElseGet(() -> Journals.defaultJournal(from))).isEmpty()) {
            return new RestoreCleanup(List.of(), List.of());
        }
        try (ArchiveSource source = ArchiveSource.directory(from, encryption)) {
            return run(source);
        }
    }

    /**
     * See {@link ClickHouseRestore#cleanup(BackupStore, String)}.
     *
     * @param store where the archive is
     * @param archive its prefix inside the store, or {@code ""}
     * @return what was dropped and what was kept; empty when there is no unfinished restore
     */
    public RestoreCleanup run(BackupStore store, String archive) {
        Objects.requireNonNull(store, "store");
        try (ArchiveSource source = ArchiveSource.store(store, archive, encryption)) {
            if (RestoreJournal.read(Journals.file(journal, source)).isEmpty()) {
                return new RestoreCleanup(List.of(), List.of());
            }
            return run(source);
        }
    }

    private RestoreCleanup run(ArchiveSource from) {
        OpenedArchive a = OpenedArchive.open(from, key);
        ClickHouseManifest m = a.manifest();
        List<String> dropped = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        try (RestoreJournal j = Journals.open(journal, from, endpoint, databaseRenames, a); Http http = new Http(endpoint, statementTimeout, ErrorKind.RESTORE)) {
            Map<String, ObjectKind> kinds = new HashMap<>();
            m.objects().forEach(o -> kinds.put(db(o.database()) + "." + o.name(), o.kind()));
            List<String> created = new ArrayList<>();
            if (j.begun("server-restore:structure")) {
                m.objects().stream().filter(o -> o.kind() != ObjectKind.INNER_TABLE).forEach(o -> created.add(db(o.database()) + "." + o.name()));
            } else {
                j.doneSteps().stream().filter(s -> s.startsWith("create:")).forEach(s -> created.add(s.substring(7)));
                j.begunSteps().stream().filter(s -> s.startsWith("create:") && j.interrupted(s)).sorted().forEach(s -> created.add(s.substring(7)));
            }
            Collections.reverse(created);
            for (String t : created) {
                int dot = t.indexOf('.');
                String what = kinds.get(t) == ObjectKind.DICTIONARY ? "DICTIONARY" : "TABLE";
                http.execute("DROP " + what + " IF EXISTS " + Sql.qualified(t.substring(0, dot), t.substring(dot + 1)), Optional.empty());
                dropped.add(t);
            }
            for (String s : j.doneSteps()) {
                if (s.startsWith("existing:")) {
                    kept.add(s.substring(9) + ": existed before the restore; rows appended into it stay");
                } else if (s.startsWith("dropped:")) {
                    kept.add(s.substring(8) + ": the restore dropped the object that was there before (ifExists DROP); it is not brought back");
                }
            }
            for (String s : j.doneSteps()) {
                if (s.startsWith("created-database:")) {
                    String d = s.substring(17);
                    if (Long.parseLong(http.value("SELECT count() FROM system.tables WHERE database = " + Sql.literal(d))) == 0) {
                        http.execute("DROP DATABASE IF EXISTS " + Sql.id(d), Optional.empty());
                        dropped.add(d);
                    } else {
                        kept.add(d + ": the restore created it, but it now holds objects the restore did not create");
                    }
                }
            }
            LOG.info("cleaned up the unfinished restore into {}: dropped {}", j.target(), dropped);
            j.cleaned();
        }
        return new RestoreCleanup(dropped, kept);
    }

    private String db(String source) {
        return databaseRenames.getOrDefault(source, source);
    }
}
