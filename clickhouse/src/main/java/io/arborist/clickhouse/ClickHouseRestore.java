package io.arborist.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdInputStream;
import io.arborist.clickhouse.internal.Http;
import io.arborist.clickhouse.internal.Journal;
import io.arborist.clickhouse.internal.ServerSide;
import io.arborist.clickhouse.internal.Sql;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.aspects.SqlReferenceRewriter;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.BackupProgress;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a ClickHouse backup taken by {@link ClickHouseBackup} over the HTTP interface, in an order that never
 * passes a restored row through a materialized view: databases, then tables (including materialized-view
 * {@code TO} targets), then their data, then views, then materialized views (which create their inner tables), then
 * the inner tables' data, then dictionaries. Every table is verified against the manifest (row count and row-hash
 * sums computed by the server).
 *
 * <pre>{@code
 * RestoreReport r = ClickHouseRestore.builder(endpoint).renameDatabase("xapi", "xapi_copy").build()
 *         .restore(Path.of("/backups/aspects"));
 * }</pre>
 *
 * <p>Resumable: every step is written to a journal (default {@code <backup>/restore.journal}) and forced to disk; a
 * restore run again with the same journal skips finished steps and reloads an interrupted data file after removing
 * its partial rows (its partition, or the whole table when the table is one file). Each file's SHA-256 is checked
 * before any of its bytes are sent. Memory stays bounded: files are streamed. Immutable and thread-safe; one restore
 * at a time per journal.
 *
 * @since 0.1
 */
public final class ClickHouseRestore {
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseRestore.class);
    /** {@code CREATE DATABASE [IF NOT EXISTS] name}, the name bare, `quoted` or "quoted"; group 1: the rest (engine, comment). */
    private static final Pattern CREATE_DATABASE = Pattern.compile("(?is)\\s*CREATE\\s+DATABASE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?"
            + "(?:`(?:[^`\\\\]|\\\\.)*`|\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s`\"]+)(\\s.*)?");

    private final ClickHouseEndpoint endpoint;
    private final Map<String, String> databaseRenames;
    private final ConflictPolicy conflictPolicy;
    private final Optional<Path> journal;
    private final BackupListener listener;
    private final Duration statementTimeout;
    private final Map<String, String> ddlOverrides;

    private ClickHouseRestore(Builder b) {
        this.endpoint = b.endpoint;
        this.databaseRenames = Map.copyOf(b.databaseRenames);
        this.conflictPolicy = b.conflictPolicy;
        this.journal = b.journal;
        this.listener = b.listener;
        this.statementTimeout = b.statementTimeout;
        this.ddlOverrides = Map.copyOf(b.ddlOverrides);
    }

    /**
     * @param endpoint the target server
     * @return a builder with the defaults
     */
    public static Builder builder(ClickHouseEndpoint endpoint) {
        return new Builder(endpoint);
    }

    /**
     * Restores a backup directory.
     *
     * @param from the backup directory
     * @return what was restored and verified
     * @throws ArboristException of kind VERIFICATION (damaged backup), RESTORE (conflict, server failure, mismatch after
     *                           the load) or JOURNAL
     */
    public RestoreReport restore(Path from) {
        Objects.requireNonNull(from, "from");
        Instant start = Instant.now();
        ClickHouseManifest m = ClickHouseManifest.read(from);
        preflight(from, m);
        SqlReferenceRewriter.Builder rb = SqlReferenceRewriter.builder();
        databaseRenames.forEach(rb::renameDatabase);
        SqlReferenceRewriter rewriter = rb.build();
        String header = endpoint.url() + " " + new TreeMap<>(databaseRenames);
        try (Journal j = Journal.open(journal.orElse(from.resolve("restore.journal")), header);
             Http http = new Http(endpoint.url(), endpoint.user(), endpoint.password(), statementTimeout, ErrorKind.RESTORE)) {
            return new Run(m, from, j, http, rewriter, start).execute();
        }
    }

    private void preflight(Path from, ClickHouseManifest m) {
        List<String> problems = new ArrayList<>();
        List<String> hidden = new ArrayList<>();
        for (ManifestObject o : m.objects()) {
            // A server-side backup holds the real DDL: its RESTORE needs no override.
            if (o.secretsHidden() && !ddlOverrides.containsKey(o.qualifiedName()) && m.serverBackup().isEmpty()) {
                hidden.add(o.qualifiedName());
            }
            for (ManifestChunk c : o.chunks()) {
                if (c.file().isEmpty()) {
                    if (m.serverBackup().isEmpty()) {
                        problems.add(o.qualifiedName() + " has a chunk without a data file and the manifest names no server-side backup");
                    }
                    continue;
                }
                Path f = from.resolve(c.file());
                try {
                    if (!Files.isRegularFile(f)) {
                        problems.add(c.file() + " is missing");
                    } else if (Files.size(f) != c.bytes()) {
                        problems.add(c.file() + " has " + Files.size(f) + " bytes, the manifest says " + c.bytes() + " (truncated or replaced)");
                    }
                } catch (IOException e) {
                    problems.add(c.file() + " cannot be read: " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ArboristException(ErrorKind.VERIFICATION, "backup " + from + " is damaged; nothing was restored\n" + String.join("\n", problems));
        }
        if (!hidden.isEmpty()) {
            throw new ArboristException(ErrorKind.RESTORE, "the source server hid secrets in the DDL of " + hidden
                    + "; supply each full CREATE statement with ddlOverride(name, ddl); nothing was restored");
        }
    }

    /** One restore run; confined to the calling thread. */
    private final class Run {
        private final ClickHouseManifest m;
        private final Path from;
        private final Journal journal;
        private final Http http;
        private final SqlReferenceRewriter rewriter;
        private final Instant start;
        private final Set<String> appended = new HashSet<>();
        private final Map<String, String> insertSettings = new LinkedHashMap<>();
        private final List<String> mergesStopped = new ArrayList<>();
        private long rowsDone;
        private long bytesDone;
        private int tablesDone;
        private int filesLoaded;
        private int filesSkipped;
        private long rowsLoaded;

        Run(ClickHouseManifest m, Path from, Journal journal, Http http, SqlReferenceRewriter rewriter, Instant start) {
            this.m = m;
            this.from = from;
            this.journal = journal;
            this.http = http;
            this.rewriter = rewriter;
            this.start = start;
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
            conflicts();
            for (ManifestDatabase d : m.databases()) {
                step("database:" + db(d.name()), () -> http.execute(createDatabase(d), Optional.empty()));
            }
            for (ManifestObject o : m.objects()) {
                if (o.kind() == ObjectKind.TABLE) {
                    create(o);
                }
            }
            for (ManifestObject o : m.objects()) {
                if (o.kind() == ObjectKind.TABLE) {
                    load(o, o.name());
                }
            }
            createWithRetry(ObjectKind.VIEW);
            createWithRetry(ObjectKind.MATERIALIZED_VIEW);
            for (ManifestObject o : m.objects()) {
                if (o.kind() == ObjectKind.INNER_TABLE) {
                    load(o, innerName(o));
                }
            }
            createWithRetry(ObjectKind.DICTIONARY);
            List<TableCheck> checks = new ArrayList<>();
            return verified();
        }

        /** Checks every table against the manifest, starts the merges stopped for the load, and reports. */
        private RestoreReport verified() {
            List<TableCheck> checks = new ArrayList<>();
            for (ManifestObject o : m.objects()) {
                if (o.holdsData() && (o.kind() == ObjectKind.TABLE ? !o.chunks().isEmpty() || o.engine().contains("MergeTree") || o.engine().endsWith("Log")
                        || o.engine().equals("Memory") : true)) {
                    checks.add(check(o));
                }
            }
            for (String t : mergesStopped) {
                http.execute("SYSTEM START MERGES " + t, Optional.empty());
            }
            List<TableCheck> bad = checks.stream().filter(c -> !c.ok()).toList();
            if (!bad.isEmpty()) {
                throw new ArboristException(ErrorKind.RESTORE, "restore finished but " + bad.size() + " table(s) differ from the backup\n"
                        + String.join("\n", bad.stream().map(Object::toString).toList()));
            }
            return new RestoreReport(checks, filesLoaded, filesSkipped, rowsLoaded, Duration.between(start, Instant.now()));
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
                        + " empty tables); restore into other databases (renameDatabase) or choose DROP; nothing was restored");
            }
            LOG.info("restoring the server-side backup {} ({}) into ClickHouse {} at {}{}", sb.id(), sb.destination().sql(), version, endpoint.url(),
                    journal.resumed() ? " (resuming)" : "");
            conflicts();
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

        private String db(String source) {
            return databaseRenames.getOrDefault(source, source);
        }

        /** Keeps everything after the name: the engine (18.16: same line; 22.x+: on a new line) and a COMMENT (22.x+). */
        private String createDatabase(ManifestDatabase d) {
            Matcher m = CREATE_DATABASE.matcher(d.ddl());
            return "CREATE DATABASE IF NOT EXISTS " + Sql.id(db(d.name())) + (m.matches() && m.group(1) != null ? m.group(1) : "");
        }

        private void conflicts() {
            if (m.serverBackup().isPresent() && (journal.isDone("server-restore:structure") || journal.interrupted("server-restore:structure"))) {
                return;  // the objects there are this restore's own, made by its earlier run
            }
            Set<String> existing = new HashSet<>();
            Set<String> targets = new HashSet<>();
            m.databases().forEach(d -> targets.add(db(d.name())));
            for (String t : targets) {
                http.rows("SELECT name FROM system.tables WHERE database = " + Sql.literal(t)).forEach(r -> existing.add(t + "." + r.path("name").asText()));
            }
            List<ManifestObject> clash = new ArrayList<>();
            for (ManifestObject o : m.objects()) {
                String target = db(o.database()) + "." + o.name();
                if (o.kind() != ObjectKind.INNER_TABLE && existing.contains(target) && !journal.isDone("create:" + target)) {
                    clash.add(o);
                }
            }
            if (clash.isEmpty()) {
                return;
            }
            List<String> names = clash.stream().map(o -> db(o.database()) + "." + o.name()).toList();
            switch (conflictPolicy) {
                case FAIL -> throw new ArboristException(ErrorKind.RESTORE, names.size() + " object(s) already exist on " + endpoint.url() + ": "
                        + names + "; nothing was restored. Drop them, restore into other databases (rename), or choose the DROP or APPEND policy");
                case DROP -> {
                    List<ManifestObject> order = new ArrayList<>(clash);
                    java.util.Collections.reverse(order);
                    for (ManifestObject o : order) {
                        String kw = o.kind() == ObjectKind.DICTIONARY ? "DICTIONARY" : "TABLE";
                        LOG.info("dropping existing {} {}", kw.toLowerCase(java.util.Locale.ROOT), db(o.database()) + "." + o.name());
                        http.execute("DROP " + kw + " IF EXISTS " + Sql.qualified(db(o.database()), o.name()), Optional.empty());
                    }
                }
                case APPEND -> {
                    for (ManifestObject o : clash) {
                        appended.add(db(o.database()) + "." + o.name());
                        journal.done("create:" + db(o.database()) + "." + o.name());
                    }
                }
            }
        }

        private String ddl(ManifestObject o) {
            String ddl = ddlOverrides.getOrDefault(o.qualifiedName(), o.ddl());
            return databaseRenames.isEmpty() ? ddl : rewriter.rewrite(ddl).sql();
        }

        private void create(ManifestObject o) {
            String target = db(o.database()) + "." + o.name();
            step("create:" + target, () -> http.execute(ddl(o), Optional.of(db(o.database()))));
        }

        private void createWithRetry(ObjectKind kind) {
            List<ManifestObject> pending = new ArrayList<>(m.objects().stream().filter(o -> o.kind() == kind
                    && !journal.isDone("create:" + db(o.database()) + "." + o.name())).toList());
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

        private void load(ManifestObject o, String targetName) {
            String tdb = db(o.database());
            String table = Sql.qualified(tdb, targetName);
            if (collapses(o) && !o.chunks().isEmpty()) {
                http.execute("SYSTEM STOP MERGES " + table, Optional.empty());
                mergesStopped.add(table);
            }
            for (ManifestChunk c : o.chunks()) {
                String step = "data:" + tdb + "." + o.name() + ":" + c.file();
                if (journal.isDone(step)) {
                    filesSkipped++;
                    rowsDone += c.rows();
                    bytesDone += c.bytes();
                    continue;
                }
                ClickHouseVerifier.check(from, c).ifPresent(p -> {
                    throw new ArboristException(ErrorKind.VERIFICATION, "backup file for " + o.qualifiedName() + " is damaged: " + p
                            + "; none of its rows were loaded (files loaded before it stay; fix the file and run the restore again to resume)");
                });
                if (journal.interrupted(step)) {
                    cleanUp(o, table, c);
                }
                journal.begin(step);
                try (InputStream file = Files.newInputStream(from.resolve(c.file()));
                     InputStream counted = counting(new BufferedInputStream(file, 1 << 16), tdb + "." + o.name());
                     InputStream native_ = new ZstdInputStream(counted)) {
                    http.insertNative(table, native_, insertSettings);
                } catch (IOException e) {
                    throw new ArboristException(ErrorKind.RESTORE, "cannot read " + c.file() + ": " + e.getMessage(), e);
                }
                journal.done(step);
                filesLoaded++;
                rowsLoaded += c.rows();
                rowsDone += c.rows();
                report(tdb + "." + o.name());
            }
            tablesDone++;
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
            String target = db(o.database()) + "." + (o.kind() == ObjectKind.INNER_TABLE ? ".inner." + o.innerOf() : o.name());
            String table = Sql.qualified(db(o.database()), o.kind() == ObjectKind.INNER_TABLE ? innerName(o) : o.name());
            if (appended.contains(target)) {
                return new TableCheck(target, o.rows(), o.rows(), true, "appended into an existing table: not compared");
            }
            boolean hashed = o.chunks().stream().allMatch(c -> !c.hashSum().isEmpty());
            long sum = 0;
            long xor = 0;
            for (ManifestChunk c : o.chunks()) {
                if (hashed) {
                    sum += Long.parseUnsignedLong(c.hashSum());
                    xor ^= Long.parseUnsignedLong(c.hashXor());
                }
            }
            List<String[]> columns = new ArrayList<>();
            for (JsonNode c : http.rows("SELECT name, type FROM system.columns WHERE database = " + Sql.literal(db(o.database())) + " AND table = "
                    + Sql.literal(o.kind() == ObjectKind.INNER_TABLE ? innerName(o) : o.name()) + " AND default_kind NOT IN ('MATERIALIZED', 'ALIAS', 'EPHEMERAL')")) {
                columns.add(new String[] {c.path("name").asText(), c.path("type").asText()});
            }
            if (!hashed) {
                long rows = Long.parseLong(http.value("SELECT count() FROM " + table));
                return new TableCheck(target, o.rows(), rows, true, "no row hash in the backup: rows compared only");
            }
            JsonNode r = http.rows("SELECT count() AS c, sum(h) AS s, groupBitXor(h) AS x FROM (SELECT " + Sql.rowHash(columns) + " AS h FROM "
                    + table + ")").get(0);
            long rows = r.path("c").asLong();
            boolean match = rows == o.rows() && Long.parseUnsignedLong(r.path("s").asText()) == sum && Long.parseUnsignedLong(r.path("x").asText()) == xor;
            return new TableCheck(target, o.rows(), rows, match, "");
        }

        private void step(String id, Runnable action) {
            if (journal.isDone(id)) {
                return;
            }
            action.run();
            journal.done(id);
        }

        private InputStream counting(InputStream in, String table) {
            return new FilterInputStream(in) {
                private long sinceReport;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        bytesDone += n;
                        sinceReport += n;
                        if (sinceReport >= 4 << 20) {
                            sinceReport = 0;
                            report(table);
                        }
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

    /** Collects a restore's settings. Not thread-safe. */
    public static final class Builder {
        private final ClickHouseEndpoint endpoint;
        private final Map<String, String> databaseRenames = new LinkedHashMap<>();
        private ConflictPolicy conflictPolicy = ConflictPolicy.FAIL;
        private Optional<Path> journal = Optional.empty();
        private BackupListener listener = BackupListener.NONE;
        private Duration statementTimeout = Duration.ofHours(6);
        private final Map<String, String> ddlOverrides = new LinkedHashMap<>();

        private Builder(ClickHouseEndpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /**
         * Restores database {@code from} of the backup as {@code to}; qualified names in every DDL are rewritten.
         *
         * @param from database in the backup
         * @param to database on the target
         * @return this builder
         */
        public Builder renameDatabase(String from, String to) {
            databaseRenames.put(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to"));
            return this;
        }

        /**
         * @param policy what to do with objects that already exist (default: {@link ConflictPolicy#FAIL})
         * @return this builder
         */
        public Builder ifExists(ConflictPolicy policy) {
            this.conflictPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param file the restore journal (default: {@code restore.journal} in the backup directory)
         * @return this builder
         */
        public Builder journal(Path file) {
            this.journal = Optional.of(Objects.requireNonNull(file, "file"));
            return this;
        }

        /**
         * @param listener progress receiver (default: {@link BackupListener#NONE})
         * @return this builder
         */
        public Builder listener(BackupListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param timeout longest time one statement (a file's INSERT) may take (default: 6 h)
         * @return this builder
         */
        public Builder statementTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("statementTimeout must be positive, got " + timeout);
            }
            this.statementTimeout = timeout;
            return this;
        }

        /**
         * Supplies the full DDL of an object whose secrets the source server hid (see
         * {@link ManifestObject#secretsHidden()}).
         *
         * @param qualifiedName {@code database.name} as in the backup
         * @param ddl the complete CREATE statement
         * @return this builder
         */
        public Builder ddlOverride(String qualifiedName, String ddl) {
            ddlOverrides.put(Objects.requireNonNull(qualifiedName, "qualifiedName"), Objects.requireNonNull(ddl, "ddl"));
            return this;
        }

        /** @return the restore service */
        public ClickHouseRestore build() {
            return new ClickHouseRestore(this);
        }
    }

    @Override
    public String toString() {
        return "ClickHouseRestore[" + endpoint + ", renames=" + databaseRenames + ", ifExists=" + conflictPolicy + "]";
    }
}
