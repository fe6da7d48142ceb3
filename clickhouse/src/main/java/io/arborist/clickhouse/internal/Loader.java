package io.arborist.clickhouse.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdInputStream;
import io.arborist.clickhouse.ClickHouseEndpoint;
import io.arborist.clickhouse.ClickHouseManifest;
import io.arborist.clickhouse.ClickHouseRestore;
import io.arborist.clickhouse.ManifestChunk;
import io.arborist.clickhouse.ManifestDatabase;
import io.arborist.clickhouse.ManifestObject;
import io.arborist.clickhouse.ObjectKind;
import io.arborist.clickhouse.ServerBackup;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.BackupProgress;
import io.arborist.core.backup.ConflictPolicy;
import io.arborist.core.backup.PartialRestore;
import io.arborist.core.backup.RestoreJournal;
import io.arborist.core.backup.RestoreReport;
import io.arborist.core.backup.TableCheck;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.backup.store.ReadAhead;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of {@link ClickHouseRestore}: reads the manifest once, checks everything before the first change
 * ({@link ArchiveCheck}), then creates and loads the objects in an order that never passes a restored row through a
 * materialized view, journaling every step, and compares every table with the backup. One instance per restore.
 */
public final class Loader {
    // logs under the public class's name, as before the engine moved here
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseRestore.class);

    /**
     * A restore's settings, as {@link ClickHouseRestore.Builder} collected them.
     *
     * @param endpoint the target server
     * @param databaseRenames archive database to target database
     * @param conflictPolicy what to do with objects that already exist
     * @param journal the journal file, when not the default one
     * @param encryption the key that decrypts the archive, if any
     * @param listener progress receiver
     * @param statementTimeout longest time one statement may take
     * @param ddlOverrides full DDL by {@code database.name} in the archive
     * @param key the key the archive's seal must match, if any
     * @param alsoReadable databases outside the restore that restored objects may read
     * @param skipped objects left out, by {@code database.name} in the archive
     * @param allowOtherObjects whether target databases may hold objects the backup does not have
     */
    public record Settings(ClickHouseEndpoint endpoint, Map<String, String> databaseRenames, ConflictPolicy conflictPolicy, Optional<Path> journal,
                           Optional<EncryptionKey> encryption, BackupListener listener, Duration statementTimeout, Map<String, String> ddlOverrides,
                           Optional<ArchiveKey> key, Set<String> alsoReadable, Set<String> skipped, boolean allowOtherObjects) {
        /** Copies the maps and sets. */
        public Settings {
            databaseRenames = Map.copyOf(databaseRenames);
            ddlOverrides = Map.copyOf(ddlOverrides);
            alsoReadable = Set.copyOf(alsoReadable);
            skipped = Set.copyOf(skipped);
        }
    }

    private final ClickHouseEndpoint endpoint;
    private final Map<String, String> databaseRenames;
    private final ConflictPolicy conflictPolicy;
    private final Optional<Path> journal;
    private final BackupListener listener;
    private final Duration statementTimeout;
    private final Map<String, String> ddlOverrides;
    private final Optional<ArchiveKey> key;
    private final Set<String> alsoReadable;
    private final Set<String> skipped;
    private final boolean allowOtherObjects;

    /** @param s the restore's settings */
    public Loader(Settings s) {
        this.endpoint = s.endpoint();
        this.databaseRenames = s.databaseRenames();
        this.conflictPolicy = s.conflictPolicy();
        this.journal = s.journal();
        this.listener = s.listener();
        this.statementTimeout = s.statementTimeout();
        this.ddlOverrides = s.ddlOverrides();
        this.key = s.key();
        this.alsoReadable = s.alsoReadable();
        this.skipped = s.skipped();
        this.allowOtherObjects = s.allowOtherObjects();
    }

    /**
     * Restores an archive; see {@link ClickHouseRestore#restore(Path)}.
     *
     * @param from the archive
     * @return what was restored and verified
     */
    public RestoreReport restore(ArchiveSource from) {
        Instant start = Instant.now();
        // The HTTP client takes a good part of a second to load on a cold JVM: it starts while the archive is checked.
        CompletableFuture<Http> connecting = CompletableFuture.supplyAsync(() -> new Http(endpoint, statementTimeout, ErrorKind.RESTORE),
                r -> daemon(r, "arborist-ch-connect").start());
        OpenedArchive a;
        ArchiveCheck.Statements statements;
        try {
            a = OpenedArchive.open(from, key);
            statements = preflight(from, a);
        } catch (RuntimeException e) {
            connecting.thenAccept(Http::close);
            throw e;
        }
        try (Http http = connected(connecting); RestoreJournal j = Journals.open(journal, from, endpoint, databaseRenames, a)) {
            RestoreReport r = new Run(a.manifest(), statements, from, j, http, start).execute();
            j.finish();
            return r;
        }
    }

    private static Http connected(CompletableFuture<Http> connecting) {
        try {
            return connecting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * See {@link ClickHouseRestore#unfinished(Path)}.
     *
     * @param from the backup directory
     * @return the unfinished restore of this backup recorded in the journal (the builder's or the default one), if any
     */
    public Optional<PartialRestore> unfinished(Path from) {
        return Journals.partial(journal.orElseGet(() -> Journals.defaultJournal(Objects.requireNonNull(from, "from"))));
    }

    private String db(String source) {
        return databaseRenames.getOrDefault(source, source);
    }

    /** Everything checked before the first change; @return the statements to run */
    ArchiveCheck.Statements preflight(ArchiveSource from, OpenedArchive a) {
        ClickHouseManifest m = a.manifest();
        List<String> problems = new ArrayList<>(a.seal().problems());
        problems.addAll(ArchiveCheck.structure(m));
        Set<String> dbs = new HashSet<>();
        m.databases().forEach(d -> dbs.add(d.name()));
        List<String> config = new ArrayList<>();
        databaseRenames.keySet().stream().filter(d -> !dbs.contains(d)).sorted().forEach(d -> config.add("rename: the backup has no database "
                + ArchiveCheck.shown(d) + " (it has " + new TreeSet<>(dbs) + ")"));
        skipped.stream().filter(s -> m.objects().stream().noneMatch(o -> o.qualifiedName().equals(s))).sorted()
                .forEach(s -> config.add("skip: the backup has no object " + ArchiveCheck.shown(s)));
        if (!config.isEmpty()) {
            throw new ArboristException(ErrorKind.CONFIGURATION, String.join("; ", config) + "; nothing was restored");
        }
        List<String> hidden = new ArrayList<>();
        for (ManifestObject o : m.objects()) {
            if (skipped.contains(o.qualifiedName())) {
                continue;
            }
            // A server-side backup holds the real DDL: its RESTORE needs no override.
            if (o.secretsHidden() && !ddlOverrides.containsKey(o.qualifiedName()) && m.serverBackup().isEmpty()) {
                hidden.add(o.qualifiedName());
            }
            for (ManifestChunk c : o.chunks()) {
                if (c.file().isEmpty()) {
                    if (m.serverBackup().isEmpty()) {
                        problems.add(ArchiveCheck.shown(o.qualifiedName()) + ": a chunk has no data file and the manifest names no server-side backup");
                    }
                    continue;
                }
                from.present(c.file(), c.bytes()).ifPresent(problems::add);
            }
        }
        ArchiveCheck.Statements s = ArchiveCheck.statements(m, ArchiveCheck.scope(m, databaseRenames, alsoReadable), ddlOverrides, skipped);
        problems.addAll(s.problems());
        if (!problems.isEmpty()) {
            throw new ArboristException(ErrorKind.VERIFICATION, "backup " + from.where() + " is damaged or was edited; nothing was restored\n"
                    + String.join("\n", problems));
        }
        List<String> refused = new ArrayList<>(s.outside());
        refused.addAll(s.outsideReads());
        if (!refused.isEmpty()) {
            throw new ArboristException(ErrorKind.RESTORE, "backup " + from.where() + " holds objects this restore does not create; nothing was restored\n"
                    + String.join("\n", refused) + "\n" + (s.outside().isEmpty() ? "" : "skip them (skip, --skip DB.NAME) and create them by hand after the"
                    + " restore" + (s.outsideReads().isEmpty() ? "" : "; ")) + (s.outsideReads().isEmpty() ? "" : "allow the reads (allowReadsFrom, "
                    + "--allow-reads-from " + String.join(",", s.outsideDatabases()) + ") if those databases are meant to be read"));
        }
        if (!hidden.isEmpty()) {
            throw new ArboristException(ErrorKind.RESTORE, "the source server hid secrets in the DDL of " + hidden
                    + "; supply each full CREATE statement with ddlOverride(name, ddl); nothing was restored");
        }
        return s;
    }

    /** One restore run; confined to the calling thread. */
    private final class Run {
        private final ClickHouseManifest m;
        private final ArchiveCheck.Statements statements;
        private final ArchiveSource from;
        private final RestoreJournal journal;
        private final Http http;
        private final Instant start;
        private final Set<String> appended = new HashSet<>();
        private final Set<String> existingDatabases = new HashSet<>();
        private final Map<String, String> insertSettings = new LinkedHashMap<>();
        private final List<String> mergesStopped = new ArrayList<>();
        private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> daemon(r, "arborist-ch-check"));
        private final Map<String, Future<Optional<String>>> checks = new HashMap<>();
        private final ExecutorService comparer = Executors.newSingleThreadExecutor(r -> daemon(r, "arborist-ch-compare"));
        private final Map<ManifestObject, Future<TableCheck>> compared = new HashMap<>();
        private long rowsDone;
        private long bytesDone;
        private int tablesDone;
        private int filesLoaded;
        private int filesSkipped;
        private long rowsLoaded;

        Run(ClickHouseManifest m, ArchiveCheck.Statements statements, ArchiveSource from, RestoreJournal journal, Http http, Instant start) {
            this.m = m;
            this.statements = statements;
            this.from = from;
            this.journal = journal;
            this.http = http;
            this.start = start;
        }

        /** @return the objects restored (not skipped), in manifest order, inner tables included */
        private List<ManifestObject> restored(ObjectKind kind) {
            return m.objects().stream().filter(o -> o.kind() == kind && (kind == ObjectKind.INNER_TABLE
                    ? !skipped.contains(o.database() + "." + o.innerOf()) : statements.objects().containsKey(o))).toList();
        }

        RestoreReport execute() {
            String version = http.value("SELECT version()");
            if (m.serverBackup().isPresent()) {
                return serverSide(version, m.serverBackup().get());
            }
            if (Http.atLeast(version, 20, 12)) {
                insertSettings.put("optimize_on_insert", "0");
            }
            LOG.info("restoring {} objects into ClickHouse {} at {}{}", m.objects().size(), version, endpoint.url(),
                    journal.resumed() ? " (resuming)" : "");
            try {
                return restoreObjects();
            } finally {
                checker.shutdownNow();
                comparer.shutdownNow();
            }
        }

        private RestoreReport restoreObjects() {
            conflicts();
            // A data file is read once: its size and SHA-256 are checked as it streams into the table, and a table this
            // restore created is emptied again when they differ. Rows appended to a pre-existing table could not be told
            // apart from its own, so those files are checked first, on another thread while the tables are created.
            for (ManifestObject o : restored(ObjectKind.TABLE)) {
                checkAhead(o);
            }
            for (ManifestObject o : restored(ObjectKind.INNER_TABLE)) {
                checkAhead(o);
            }
            for (ManifestDatabase d : m.databases()) {
                createDatabase(d);
            }
            for (ManifestObject o : restored(ObjectKind.TABLE)) {
                create(o);
            }
            // Each table is compared with the backup on another connection while the next one loads. Only when no inner
            // table is loaded later: its rows could reach a table through a materialized view, and those tables are
            // compared at the end, once every row is in.
            boolean early = restored(ObjectKind.INNER_TABLE).stream().allMatch(o -> o.chunks().isEmpty());
            for (ManifestObject o : restored(ObjectKind.TABLE)) {
                load(o, o.name());
                if (early && compares(o)) {
                    compared.put(o, comparer.submit(() -> check(o)));
                }
            }
            createWithRetry(ObjectKind.VIEW);
            createWithRetry(ObjectKind.MATERIALIZED_VIEW);
            for (ManifestObject o : restored(ObjectKind.INNER_TABLE)) {
                load(o, innerName(o));
            }
            createWithRetry(ObjectKind.DICTIONARY);
            return verified();
        }

        /** Checks every table against the manifest, starts the merges stopped for the load, and reports. */
        private RestoreReport verified() {
            List<TableCheck> checks = new ArrayList<>();
            for (ManifestObject o : m.objects()) {
                Future<TableCheck> early = compared.get(o);
                if (early != null) {
                    checks.add(await(early, o));
                } else if (compares(o)) {
                    checks.add(check(o));
                }
            }
            for (String t : mergesStopped) {
                http.execute("SYSTEM START MERGES " + t, Optional.empty());
            }
            RestoreReport report = new RestoreReport(checks, journal.resumed(), filesLoaded, filesSkipped, rowsLoaded,
                    Duration.between(start, Instant.now()));
            if (!report.allMatch()) {
                throw new ArboristException(ErrorKind.RESTORE, "restore finished but " + report.mismatches().size() + " table(s) differ from the backup\n"
                        + String.join("\n", report.mismatches().stream().map(TableCheck::describe).toList()));
            }
            return report;
        }

        /** Whether this object is restored and holds rows to compare with the backup. */
        private boolean compares(ManifestObject o) {
            boolean restored = o.kind() == ObjectKind.INNER_TABLE ? restored(ObjectKind.INNER_TABLE).contains(o) : statements.objects().containsKey(o);
            return restored && o.holdsData() && (o.kind() == ObjectKind.TABLE ? !o.chunks().isEmpty() || o.engine().contains("MergeTree")
                    || o.engine().endsWith("Log") || o.engine().equals("Memory") : true);
        }

        private static TableCheck await(Future<TableCheck> f, ManifestObject o) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArboristException(ErrorKind.INTERRUPTED, "interrupted while comparing " + o.qualifiedName() + " with the backup", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new ArboristException(ErrorKind.RESTORE, "cannot compare " + o.qualifiedName() + " with the backup: " + e.getCause(), e.getCause());
            }
        }

        /**
         * Restores a server-side backup with the server's RESTORE, in two operations: the structure (databases, tables,
         * views, materialized views with their inner tables, dictionaries; no rows), then, once the merges of the tables
         * that collapse rows are stopped, the rows. Rows are restored as parts, so no materialized view fires.
         */
        private RestoreReport serverSide(String version, ServerBackup sb) {
            if (!ServerSide.supported(version)) {
                throw new ArboristException(ErrorKind.RESTORE, "ClickHouse " + version + " at " + endpoint.url() + " has no RESTORE statement (it came in "
                        + ServerSide.MIN_MAJOR + "." + ServerSide.MIN_MINOR + "); a server-side backup restores on 22.8 or newer only; nothing was restored");
            }
            if (conflictPolicy == ConflictPolicy.APPEND) {
                throw new ArboristException(ErrorKind.RESTORE, "ifExists(APPEND) does not apply to a server-side backup (its RESTORE loads whole parts into"
                        + " empty tables); restore into other databases (rename) or choose DROP; nothing was restored");
            }
            if (!skipped.isEmpty()) {
                throw new ArboristException(ErrorKind.RESTORE, "skip does not apply to a server-side backup (its RESTORE brings back whole databases);"
                        + " nothing was restored");
            }
            LOG.info("restoring the server-side backup {} ({}) into ClickHouse {} at {}{}", sb.id(), sb.destination().sql(), version, endpoint.url(),
                    journal.resumed() ? " (resuming)" : "");
            conflicts();
            for (ManifestDatabase d : m.databases()) {
                if (!existingDatabases.contains(db(d.name())) && !journal.isDone("created-database:" + db(d.name()))) {
                    journal.done("created-database:" + db(d.name()));
                }
            }
            String restore = "RESTORE " + String.join(", ", m.databases().stream().map(d -> "DATABASE " + Sql.id(d.name())
                    + (db(d.name()).equals(d.name()) ? "" : " AS " + Sql.id(db(d.name())))).toList()) + " FROM " + sb.destination().sql();
            serverStep("server-restore:structure", restore + " SETTINGS structure_only = 1", () -> { });
            for (ManifestObject o : m.objects()) {
                if (o.holdsData() && collapses(o) && !o.chunks().isEmpty()) {
                    String table = Sql.qualified(db(o.database()), o.kind() == ObjectKind.INNER_TABLE ? innerName(o) : o.name());
                    http.execute("SYSTEM STOP MERGES " + table, Optional.empty());
                    mergesStopped.add(table);
                }
            }
            serverStep("server-restore:data", restore, this::truncateTargets);
            rowsLoaded = m.rows();
            rowsDone = m.rows();
            return verified();
        }

        /** Runs one RESTORE once; after an interrupted run, waits for its operation if the server still runs it, then cleans up. */
        private void serverStep(String step, String sql, Runnable cleanUp) {
            if (journal.isDone(step)) {
                return;
            }
            if (journal.interrupted(step)) {
                journal.noted(step).ifPresent(id -> {
                    try {
                        ServerSide.await(http, id, statementTimeout, b -> { });
                    } catch (ArboristException e) {
                        LOG.info("the interrupted run's RESTORE {} did not finish ({}); doing it again", id, e.getMessage());
                    }
                });
                cleanUp.run();
            }
            journal.begin(step);
            ServerSide.run(http, sql, statementTimeout, id -> journal.note(step, id), this::serverProgress);
            journal.done(step);
        }

        /** Empties the restored tables an interrupted RESTORE of rows may have filled in part (they did not exist before). */
        private void truncateTargets() {
            for (ManifestObject o : m.objects()) {
                if (o.holdsData()) {
                    String table = Sql.qualified(db(o.database()), o.kind() == ObjectKind.INNER_TABLE ? innerName(o) : o.name());
                    LOG.info("resume: truncating {} (partly restored by the interrupted run)", table);
                    http.execute("TRUNCATE TABLE IF EXISTS " + table, Optional.empty());
                }
            }
        }

        private void serverProgress(long bytes) {
            bytesDone = bytes;
            report("server-side RESTORE");
        }

        private void createDatabase(ManifestDatabase d) {
            String t = db(d.name());
            if (journal.isDone("database:" + t)) {
                return;
            }
            if (!existingDatabases.contains(t) && !journal.isDone("created-database:" + t)) {
                journal.done("created-database:" + t);
            }
            http.execute(statements.databases().get(d.name()), Optional.empty());
            journal.done("database:" + t);
        }

        /**
         * Finds what is in the way before anything changes: objects of the backup that already exist (by the conflict
         * policy), and objects the backup does not have in its target databases (refused unless allowed).
         */
        private void conflicts() {
            http.rows("SELECT name FROM system.databases").forEach(r -> existingDatabases.add(r.path("name").asText()));
            journal.doneSteps().stream().filter(s -> s.startsWith("existing:")).forEach(s -> appended.add(s.substring(9)));
            if (m.serverBackup().isPresent() && journal.begun("server-restore:structure")) {
                return;  // the objects there are this restore's own, made by its earlier run
            }
            Set<String> existing = new LinkedHashSet<>();
            Set<String> ours = new HashSet<>();
            Set<String> targets = new LinkedHashSet<>();
            m.databases().forEach(d -> targets.add(db(d.name())));
            m.objects().forEach(o -> ours.add(db(o.database()) + "." + o.name()));
            for (String t : targets) {
                if (existingDatabases.contains(t)) {
                    http.rows("SELECT name FROM system.tables WHERE database = " + Sql.literal(t) + " ORDER BY name")
                            .forEach(r -> existing.add(t + "." + r.path("name").asText()));
                }
            }
            List<String> others = others(existing, ours);
            if (!others.isEmpty() && !allowOtherObjects) {
                throw new ArboristException(ErrorKind.RESTORE, "the target database(s) on " + endpoint.url() + " already hold " + others.size()
                        + " object(s) the backup does not have: " + shownList(others) + "; nothing was restored. Restore into new databases"
                        + " (rename), or allow it (allowOtherObjects, --allow-other-objects)");
            }
            List<ManifestObject> clash = new ArrayList<>();
            for (ManifestObject o : m.objects()) {
                String target = db(o.database()) + "." + o.name();
                if (o.kind() != ObjectKind.INNER_TABLE && !skipped.contains(o.qualifiedName()) && existing.contains(target)
                        && !journal.begun("create:" + target) && !journal.isDone("existing:" + target)) {
                    clash.add(o);
                }
            }
            if (clash.isEmpty()) {
                return;
            }
            List<String> names = clash.stream().map(o -> db(o.database()) + "." + o.name()).toList();
            switch (conflictPolicy) {
                case FAIL -> throw new ArboristException(ErrorKind.RESTORE, names.size() + " object(s) already exist on " + endpoint.url() + ": "
                        + shownList(names) + "; nothing was restored. Drop them, restore into other databases (rename), or choose the DROP or APPEND policy");
                case DROP -> {
                    List<ManifestObject> order = new ArrayList<>(clash);
                    Collections.reverse(order);
                    for (ManifestObject o : order) {
                        String kw = o.kind() == ObjectKind.DICTIONARY ? "DICTIONARY" : "TABLE";
                        String target = db(o.database()) + "." + o.name();
                        LOG.info("dropping existing {} {}", kw.toLowerCase(Locale.ROOT), target);
                        journal.done("dropped:" + target);
                        http.execute("DROP " + kw + " IF EXISTS " + Sql.qualified(db(o.database()), o.name()), Optional.empty());
                    }
                }
                case APPEND -> {
                    for (ManifestObject o : clash) {
                        appended.add(db(o.database()) + "." + o.name());
                        journal.done("existing:" + db(o.database()) + "." + o.name());
                    }
                }
            }
        }

        /** Creates one object with its checked statement; an interrupted creation (ours) is dropped and redone. */
        private void create(ManifestObject o) {
            String target = db(o.database()) + "." + o.name();
            String step = "create:" + target;
            if (journal.isDone(step) || journal.isDone("existing:" + target)) {
                return;
            }
            if (journal.interrupted(step)) {
                http.execute("DROP " + (o.kind() == ObjectKind.DICTIONARY ? "DICTIONARY" : "TABLE") + " IF EXISTS "
                        + Sql.qualified(db(o.database()), o.name()), Optional.empty());
            }
            journal.begin(step);
            http.execute(statements.objects().get(o), Optional.of(db(o.database())));
            journal.done(step);
        }

        private void createWithRetry(ObjectKind kind) {
            List<ManifestObject> pending = new ArrayList<>(restored(kind).stream()
                    .filter(o -> !journal.isDone("create:" + db(o.database()) + "." + o.name())).toList());
            while (!pending.isEmpty()) {
                ArboristException last = null;
                List<ManifestObject> failed = new ArrayList<>();
                for (ManifestObject o : pending) {
                    try {
                        create(o);
                    } catch (ArboristException e) {
                        if (!e.getMessage().contains("doesn't exist") && !e.getMessage().contains("does not exist")
                                && !e.getMessage().contains("UNKNOWN_TABLE") && !e.getMessage().contains("error 60 ")
                                && !e.getMessage().contains("Unreadable error message")) {
                            throw e;
                        }
                        last = e;
                        failed.add(o);
                    }
                }
                if (failed.size() == pending.size()) {
                    throw last;
                }
                pending = failed;
            }
        }

        /** @return whether merges of this table change its rows (so they are stopped while it is loaded and checked) */
        private boolean collapses(ManifestObject o) {
            return Sql.mergesChangeRows(o.engine());
        }

        private String innerName(ManifestObject o) {
            String tdb = db(o.database());
            String legacy = ".inner." + o.innerOf();
            if (!http.rows("SELECT name FROM system.tables WHERE database = " + Sql.literal(tdb) + " AND name = " + Sql.literal(legacy)).isEmpty()) {
                return legacy;
            }
            List<JsonNode> r = http.rows("SELECT concat('.inner_id.', toString(uuid)) AS n FROM system.tables WHERE database = " + Sql.literal(tdb)
                    + " AND name = " + Sql.literal(o.innerOf()));
            if (r.isEmpty()) {
                throw new ArboristException(ErrorKind.RESTORE, "cannot find the inner table of materialized view " + tdb + "." + o.innerOf());
            }
            return r.get(0).path("n").asText();
        }

        private void checkAhead(ManifestObject o) {
            if (!appended.contains(db(o.database()) + "." + o.name())) {
                return;
            }
            for (ManifestChunk c : o.chunks()) {
                if (!c.file().isEmpty() && !journal.isDone(step(o, c))) {
                    checks.put(c.file(), checker.submit(() -> ArchiveVerifier.check(from, c)));
                }
            }
        }

        private String step(ManifestObject o, ManifestChunk c) {
            return "data:" + db(o.database()) + "." + o.name() + ":" + c.file();
        }

        /** @return the problem with a data file checked ahead, if any */
        private Optional<String> checked(ManifestChunk c) {
            Future<Optional<String>> f = checks.remove(c.file());
            if (f == null) {
                return Optional.empty();
            }
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArboristException(ErrorKind.INTERRUPTED, "interrupted while checking " + c.file(), e);
            } catch (ExecutionException e) {
                throw new ArboristException(ErrorKind.RESTORE, "cannot check " + c.file() + ": " + e.getCause(), e.getCause());
            }
        }

        private void load(ManifestObject o, String targetName) {
            String tdb = db(o.database());
            String table = Sql.qualified(tdb, targetName);
            if (collapses(o) && !o.chunks().isEmpty()) {
                http.execute("SYSTEM STOP MERGES " + table, Optional.empty());
                mergesStopped.add(table);
            }
            for (ManifestChunk c : o.chunks()) {
                String step = step(o, c);
                if (journal.isDone(step)) {
                    filesSkipped++;
                    rowsDone += c.rows();
                    bytesDone += c.bytes();
                    continue;
                }
                checked(c).ifPresent(p -> {
                    throw new ArboristException(ErrorKind.VERIFICATION, "backup file for " + o.qualifiedName() + " is damaged: " + p
                            + "; none of its rows were loaded (files loaded before it stay; fix the file and run the restore again to resume)");
                });
                if (journal.interrupted(step)) {
                    cleanUp(o, table, c);
                }
                journal.begin(step);
                // The file is read, checked and decompressed on its own thread while this one uploads, as zstd -dc | curl.
                AtomicLong read = new AtomicLong();
                VerifyingInput file = null;
                try {
                    file = new VerifyingInput(from.open(c.file()));
                    try (InputStream native_ = new ReadAhead(new ZstdInputStream(counting(new BufferedInputStream(file, 1 << 17), read)),
                            "arborist-ch-read");
                         InputStream reported = reporting(native_, read, tdb + "." + o.name())) {
                        http.insertNative(table, reported, insertSettings);
                    }
                    file.drain();
                } catch (IOException | RuntimeException e) {
                    // Damage shows as a digest that differs at the end, or earlier as a zstd or Native error: read the rest of
                    // the file to tell them apart (a file that cannot be read is a read failure, not damage).
                    Optional<String> damage = Optional.empty();
                    if (file != null) {
                        try {
                            file.drain();
                            damage = file.problem(c);
                        } catch (IOException unreadable) {
                            e.addSuppressed(unreadable);
                        }
                    }
                    if (damage.isEmpty()) {
                        throw e instanceof IOException io ? new ArboristException(ErrorKind.RESTORE, "cannot read " + c.file() + ": " + io.getMessage(), io)
                                : (RuntimeException) e;
                    }
                    throw damaged(o, table, c, damage.get(), e);
                } finally {
                    closeQuietly(file);
                }
                Optional<String> damage = file.problem(c);
                if (damage.isPresent()) {
                    throw damaged(o, table, c, damage.get(), null);
                }
                journal.done(step);
                filesLoaded++;
                rowsLoaded += c.rows();
                rowsDone += c.rows();
                report(tdb + "." + o.name());
            }
            tablesDone++;
        }

        /** Removes what a damaged file loaded (its partition, or the table this restore created) and says so. */
        private ArboristException damaged(ManifestObject o, String table, ManifestChunk c, String problem, Exception cause) {
            try {
                cleanUp(o, table, c);
            } catch (RuntimeException e) {
                return new ArboristException(ErrorKind.VERIFICATION, "backup file for " + o.qualifiedName() + " is damaged: " + problem
                        + "; removing the rows it loaded failed (" + e.getMessage() + "): run the restore with --cleanup", cause);
            }
            return new ArboristException(ErrorKind.VERIFICATION, "backup file for " + o.qualifiedName() + " is damaged: " + problem
                    + "; none of its rows were kept (files loaded before it stay; fix the file and run the restore again to resume)", cause);
        }

        private static void closeQuietly(VerifyingInput in) {
            if (in != null) {
                try {
                    in.release();
                } catch (IOException e) {
                    LOG.debug("closing a data file: {}", e.toString());
                }
            }
        }

        /** Removes the rows an interrupted load of this file may have left. */
        private void cleanUp(ManifestObject o, String table, ManifestChunk c) {
            String target = db(o.database()) + "." + o.name();
            if (appended.contains(target)) {
                throw new ArboristException(ErrorKind.RESTORE, "the load of " + c.file() + " into the pre-existing table " + target
                        + " was interrupted; its partial rows cannot be told apart from the old ones. Clean the table by hand, then resume");
            }
            waitForInserts(table);
            if (!c.partitionId().isEmpty()) {
                LOG.info("resume: dropping partition {} of {} (partly loaded by the interrupted run)", c.partitionId(), target);
                http.execute("ALTER TABLE " + table + " DROP PARTITION ID " + Sql.literal(c.partitionId()), Optional.empty());
            } else {
                LOG.info("resume: truncating {} (partly loaded by the interrupted run)", target);
                http.execute("TRUNCATE TABLE " + table, Optional.empty());
            }
        }

        private void waitForInserts(String table) {
            String probe = "SELECT count() FROM system.processes WHERE query LIKE " + Sql.literal("%INSERT INTO " + table + " FORMAT%")
                    + " AND query NOT LIKE '%system.processes%'";
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            long pause = 50;
            while (Long.parseLong(http.value(probe)) > 0) {
                if (System.nanoTime() > deadline) {
                    throw new ArboristException(ErrorKind.RESTORE, "an earlier INSERT into " + table + " is still running on the server; "
                            + "wait for it (or KILL QUERY) and resume");
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ArboristException(ErrorKind.INTERRUPTED, "interrupted while waiting for an earlier INSERT into " + table, e);
                }
                pause = Math.min(pause * 2, 1000);
            }
        }

        private TableCheck check(ManifestObject o) {
            // An inner table is named after its view: Atomic databases call it .inner_id.<uuid>, and the copy's uuid is new.
            String shownName = o.kind() == ObjectKind.INNER_TABLE ? ".inner." + o.innerOf() : o.name();
            String target = db(o.database()) + "." + shownName;
            String table = Sql.qualified(db(o.database()), o.kind() == ObjectKind.INNER_TABLE ? innerName(o) : o.name());
            if (appended.contains(target)) {
                return new TableCheck(db(o.database()), shownName, o.rows(), o.rows(), "", "", "appended into an existing table: not compared");
            }
            Optional<String> expected = expectedHash(o.chunks());
            List<String[]> columns = new ArrayList<>();
            for (JsonNode c : http.rows("SELECT name, type FROM system.columns WHERE database = " + Sql.literal(db(o.database())) + " AND table = "
                    + Sql.literal(o.kind() == ObjectKind.INNER_TABLE ? innerName(o) : o.name()) + " AND default_kind NOT IN ('MATERIALIZED', 'ALIAS', 'EPHEMERAL')")) {
                columns.add(new String[] {c.path("name").asText(), c.path("type").asText()});
            }
            if (expected.isEmpty()) {
                long rows = Long.parseLong(http.value("SELECT count() FROM " + table));
                return new TableCheck(db(o.database()), shownName, o.rows(), rows, "", "", "no row hash in the backup: rows compared only");
            }
            JsonNode r = http.rows("SELECT count() AS c, sum(h) AS s, groupBitXor(h) AS x FROM (SELECT " + Sql.rowHash(columns) + " AS h FROM "
                    + table + ")").get(0);
            long rows = r.path("c").asLong();
            String actual = Long.toUnsignedString(Long.parseUnsignedLong(r.path("s").asText())) + "/"
                    + Long.toUnsignedString(Long.parseUnsignedLong(r.path("x").asText()));
            return TableCheck.of(db(o.database()), shownName, o.rows(), rows, expected.get(), actual);
        }

        /** Counts the bytes read from a data file (on the thread that reads ahead). */
        private static InputStream counting(InputStream in, AtomicLong read) {
            return new FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        read.addAndGet(n);
                    }
                    return n;
                }
            };
        }

        /** Reports progress by the file bytes read so far, on this run's thread, every 4 MiB. */
        private InputStream reporting(InputStream in, AtomicLong read, String table) {
            return new FilterInputStream(in) {
                private long counted;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    long now = read.get();
                    if (now - counted >= 4 << 20 || (n < 0 && now > counted)) {
                        bytesDone += now - counted;
                        counted = now;
                        report(table);
                    }
                    return n;
                }
            };
        }

        private void report(String current) {
            Duration elapsed = Duration.between(start, Instant.now());
            long total = m.rows();
            listener.progress(new BackupProgress("restore", current, rowsDone, total, bytesDone, tablesDone,
                    (int) m.objects().stream().filter(ManifestObject::holdsData).count(), elapsed, BackupProgress.eta(rowsDone, total, elapsed)));
        }
    }

    /**
     * @param existing {@code db.name} of every object in the target databases
     * @param ours {@code db.name} (renamed) of every object of the backup
     * @return the objects in the way that the backup does not have (inner tables aside: they belong to their view)
     */
    static List<String> others(Set<String> existing, Set<String> ours) {
        return existing.stream().filter(e -> !ours.contains(e) && !e.substring(e.indexOf('.') + 1).startsWith(".inner")).toList();
    }

    /**
     * @param chunks a table's chunks
     * @return what the restored table's row hashes must sum to ({@code sum/xor}, unsigned), or empty when a chunk has
     *     no row hash (the table is then compared by its rows only)
     */
    static Optional<String> expectedHash(List<ManifestChunk> chunks) {
        if (!chunks.stream().allMatch(c -> !c.hashSum().isEmpty())) {
            return Optional.empty();
        }
        long sum = 0;
        long xor = 0;
        for (ManifestChunk c : chunks) {
            sum += Long.parseUnsignedLong(c.hashSum());
            xor ^= Long.parseUnsignedLong(c.hashXor());
        }
        return Optional.of(Long.toUnsignedString(sum) + "/" + Long.toUnsignedString(xor));
    }

    private static String shownList(List<String> names) {
        List<String> shown = names.stream().limit(20).map(ArchiveCheck::shown).toList();
        return shown + (names.size() > 20 ? " and " + (names.size() - 20) + " more" : "");
    }
}
