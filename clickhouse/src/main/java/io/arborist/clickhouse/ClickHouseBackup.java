package io.arborist.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdOutputStream;
import io.arborist.clickhouse.internal.FileNames;
import io.arborist.clickhouse.internal.Http;
import io.arborist.clickhouse.internal.ManifestJson;
import io.arborist.clickhouse.internal.Sql;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.BackupProgress;
import io.arborist.core.backup.BackupProvider;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.plan.BackupTarget;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up ClickHouse databases over the HTTP interface, with no access to the server's file system: each object's
 * DDL in dependency order, every table's rows as {@code SELECT * … FORMAT Native} streamed into one zstd file per
 * partition, and a manifest written last with rows, SHA-256 and a server-side checksum per file.
 *
 * <pre>{@code
 * ClickHouseBackup backup = ClickHouseBackup.builder(ClickHouseEndpoint.of("http://clickhouse:8123", "ch_admin", pw)).build();
 * ClickHouseManifest m = backup.backup(Path.of("/backups/aspects-2025-01-01"));
 * }</pre>
 *
 * <p>Memory stays bounded whatever the table size: bytes flow from the socket through zstd to disk. Consistency is per
 * table (ClickHouse has no cross-table snapshot): pause ingestion (Ralph, Vector, event sinks) for a consistent
 * backup. Unmerged rows of ReplacingMergeTree tables are copied as they are (never {@code FINAL}). Implements
 * {@link BackupProvider} for the executor's ClickHouse backup steps. Immutable and thread-safe; one backup at a time
 * per target directory.
 *
 * @since 0.1
 */
public final class ClickHouseBackup implements BackupProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseBackup.class);
    /** The Aspects databases, backed up by default when present. */
    public static final List<String> ASPECTS_DATABASES = List.of("xapi", "event_sink", "reporting", "openedx");
    static final String TOOL = "arborist-clickhouse 0.1";
    static final String CHECKSUM = "count(), sum and groupBitXor of cityHash64 over every column (UUID via toString, NULL as 1)";
    private static final Set<String> DATA_ENGINES = Set.of("Log", "TinyLog", "StripeLog", "Memory");

    private final ClickHouseEndpoint endpoint;
    private final List<String> databases;
    private final BackupListener listener;
    private final Duration statementTimeout;
    private final int compressionLevel;
    private final boolean verify;

    private ClickHouseBackup(Builder b) {
        this.endpoint = b.endpoint;
        this.databases = List.copyOf(b.databases);
        this.listener = b.listener;
        this.statementTimeout = b.statementTimeout;
        this.compressionLevel = b.compressionLevel;
        this.verify = b.verify;
    }

    /**
     * @param endpoint the server
     * @return a builder with the defaults
     */
    public static Builder builder(ClickHouseEndpoint endpoint) {
        return new Builder(endpoint);
    }

    /** @return a builder holding this backup's settings */
    public Builder toBuilder() {
        Builder b = new Builder(endpoint);
        b.databases = new ArrayList<>(databases);
        b.listener = listener;
        b.statementTimeout = statementTimeout;
        b.compressionLevel = compressionLevel;
        b.verify = verify;
        return b;
    }

    @Override
    public BackupArtifact backup(BackupRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.target() != BackupTarget.CLICKHOUSE) {
            throw new IllegalArgumentException("ClickHouseBackup saves CLICKHOUSE targets, got " + request.target());
        }
        ClickHouseManifest m = backup(request.directory());
        return new BackupArtifact(request.stepId() + "/clickhouse", BackupTarget.CLICKHOUSE, request.directory(), m.bytes(), m.created());
    }

    /**
     * Takes a backup into a directory that is missing or empty.
     *
     * @param directory where to write
     * @return the manifest, after it was written and (by default) the files were verified
     * @throws ArboristException of kind BACKUP on any failure; the directory then has no manifest
     */
    public ClickHouseManifest backup(Path directory) {
        Objects.requireNonNull(directory, "directory");
        prepare(directory);
        Instant start = Instant.now();
        try (Http http = new Http(endpoint.url(), endpoint.user(), endpoint.password(), statementTimeout, ErrorKind.BACKUP)) {
            String version = http.value("SELECT version()");
            LOG.info("backing up ClickHouse {} at {}", version, endpoint.url());
            List<String> notes = new ArrayList<>();
            notes.add("consistency: per table (ClickHouse has no cross-table snapshot); rows ingested during the backup may be missing");
            List<String> dbs = resolveDatabases(http, notes);
            List<ManifestDatabase> dbEntries = new ArrayList<>();
            List<JsonNode> tables = new ArrayList<>();
            for (String db : dbs) {
                String ddl;
                try {
                    ddl = http.value("SHOW CREATE DATABASE " + Sql.id(db));
                } catch (ArboristException e) {
                    ddl = "CREATE DATABASE " + Sql.id(db);
                }
                dbEntries.add(new ManifestDatabase(db, ddl));
                tables.addAll(http.rows("SELECT database, name, engine, create_table_query, partition_key FROM system.tables WHERE database = "
                        + Sql.literal(db) + " ORDER BY name"));
            }
            long estimate = 0;
            for (JsonNode row : http.rows("SELECT database, sum(rows) AS r FROM system.parts WHERE active GROUP BY database")) {
                if (dbs.contains(row.path("database").asText())) {
                    estimate += row.path("r").asLong();
                }
            }
            Progress progress = new Progress(listener, start, estimate, tables.size());
            List<ManifestObject> objects = new ArrayList<>();
            for (JsonNode t : tables) {
                objects.add(object(http, directory, t, notes, progress));
            }
            objects = order(objects);
            writeSchema(directory, dbEntries, objects);
            ClickHouseManifest manifest = new ClickHouseManifest(1, TOOL, version, Instant.now(), dbEntries, objects, CHECKSUM, notes);
            ManifestJson.write(directory, manifest);
            if (verify) {
                ClickHouseVerifier.builder().listener(listener).build().verify(directory).orThrow(ErrorKind.BACKUP);
            }
            LOG.info("backup of {} rows in {} objects done in {}", manifest.rows(), objects.size(), Duration.between(start, Instant.now()));
            return manifest;
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.BACKUP, "cannot write backup to " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void prepare(Path directory) {
        try {
            if (Files.exists(directory)) {
                try (Stream<Path> s = Files.list(directory)) {
                    if (s.findAny().isPresent()) {
                        throw new ArboristException(ErrorKind.BACKUP, "backup directory " + directory + " is not empty; choose a new directory");
                    }
                }
            }
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.BACKUP, "cannot create backup directory " + directory + ": " + e.getMessage(), e);
        }
    }

    private List<String> resolveDatabases(Http http, List<String> notes) {
        Set<String> present = new LinkedHashSet<>();
        http.rows("SELECT name FROM system.databases").forEach(r -> present.add(r.path("name").asText()));
        List<String> out = new ArrayList<>();
        boolean defaults = databases.isEmpty();
        for (String db : defaults ? ASPECTS_DATABASES : databases) {
            if (present.contains(db)) {
                out.add(db);
            } else if (defaults) {
                notes.add("database " + db + " does not exist on the source and was skipped");
            } else {
                throw new ArboristException(ErrorKind.BACKUP, "database '" + db + "' does not exist on " + endpoint.url() + "; present: " + present);
            }
        }
        if (out.isEmpty()) {
            throw new ArboristException(ErrorKind.BACKUP, "none of the databases " + (defaults ? ASPECTS_DATABASES : databases) + " exists on "
                    + endpoint.url() + "; present: " + present);
        }
        return out;
    }

    private ManifestObject object(Http http, Path dir, JsonNode t, List<String> notes, Progress progress) throws IOException {
        String db = t.path("database").asText();
        String name = t.path("name").asText();
        String engine = t.path("engine").asText();
        String ddl = t.path("create_table_query").asText();
        boolean hidden = ddl.contains("[HIDDEN]") || ddl.contains("'******'");
        if (hidden) {
            notes.add(db + "." + name + ": the server hid secrets in its DDL; re-supply the DDL at restore (ddlOverride)");
        }
        ObjectKind kind;
        String innerOf = "";
        if (engine.equals("View")) {
            kind = ObjectKind.VIEW;
        } else if (engine.equals("MaterializedView")) {
            kind = ObjectKind.MATERIALIZED_VIEW;
        } else if (engine.equals("Dictionary")) {
            kind = ObjectKind.DICTIONARY;
        } else if (name.startsWith(".inner.")) {
            kind = ObjectKind.INNER_TABLE;
            innerOf = name.substring(".inner.".length());
        } else if (name.startsWith(".inner_id.")) {
            kind = ObjectKind.INNER_TABLE;
            innerOf = innerOwner(http, db, name.substring(".inner_id.".length()));
        } else {
            kind = ObjectKind.TABLE;
        }
        List<ManifestChunk> chunks = new ArrayList<>();
        boolean mergeTree = engine.contains("MergeTree");
        if ((kind == ObjectKind.TABLE || kind == ObjectKind.INNER_TABLE) && (mergeTree || DATA_ENGINES.contains(engine))) {
            List<String[]> columns = new ArrayList<>();
            for (JsonNode c : http.rows("SELECT name, type FROM system.columns WHERE database = " + Sql.literal(db) + " AND table = "
                    + Sql.literal(name) + " AND default_kind NOT IN ('MATERIALIZED', 'ALIAS', 'EPHEMERAL')")) {
                columns.add(new String[] {c.path("name").asText(), c.path("type").asText()});
            }
            List<String> partitions = new ArrayList<>();
            if (mergeTree) {
                http.rows("SELECT DISTINCT partition_id FROM system.parts WHERE active AND database = " + Sql.literal(db) + " AND table = "
                        + Sql.literal(name) + " ORDER BY partition_id").forEach(r -> partitions.add(r.path("partition_id").asText()));
            } else {
                partitions.add("");
            }
            boolean whole = !mergeTree || (partitions.size() == 1 && partitions.get(0).equals("all"));
            for (String p : whole && !partitions.isEmpty() ? List.of("") : partitions) {
                chunks.add(chunk(http, dir, db, name, p, columns, progress));
            }
        } else if (kind == ObjectKind.TABLE) {
            notes.add(db + "." + name + ": engine " + engine + " keeps no data of its own here; only its DDL is saved");
        }
        progress.tableDone(db + "." + name);
        return new ManifestObject(db, name, kind, engine, ddl, hidden, innerOf, chunks);
    }

    private static String innerOwner(Http http, String db, String uuid) {
        List<JsonNode> owner = http.rows("SELECT name FROM system.tables WHERE database = " + Sql.literal(db) + " AND toString(uuid) = "
                + Sql.literal(uuid));
        return owner.isEmpty() ? "" : owner.get(0).path("name").asText();
    }

    private ManifestChunk chunk(Http http, Path dir, String db, String table, String partition, List<String[]> columns, Progress progress)
            throws IOException {
        String from = Sql.qualified(db, table) + (partition.isEmpty() ? "" : " WHERE _partition_id = " + Sql.literal(partition));
        String sumHash = "";
        String xorHash = "";
        long rows;
        try {
            JsonNode c = http.rows("SELECT count() AS c, sum(h) AS s, groupBitXor(h) AS x FROM (SELECT " + Sql.rowHash(columns) + " AS h FROM "
                    + from + ")").get(0);
            rows = c.path("c").asLong();
            sumHash = c.path("s").asText();
            xorHash = c.path("x").asText();
        } catch (ArboristException e) {
            LOG.warn("row hash not available for {}.{} ({}); recording the row count only", db, table, e.getMessage().lines().findFirst().orElse(""));
            rows = Long.parseLong(http.value("SELECT count() FROM " + from));
        }
        String rel = "data/" + FileNames.encode(db) + "/" + FileNames.encode(table) + "/" + (partition.isEmpty() ? "all" : FileNames.encode(partition))
                + ".native.zst";
        Path file = dir.resolve(rel);
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".partial");
        MessageDigest sha = sha256();
        try (OutputStream fileOut = Files.newOutputStream(tmp);
             DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(fileOut, 1 << 16), sha);
             ZstdOutputStream zstd = new ZstdOutputStream(digest, compressionLevel);
             OutputStream counted = progress.counting(zstd, db + "." + table)) {
            http.export("SELECT * FROM " + from + " FORMAT Native", counted);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        progress.rows(rows);
        return new ManifestChunk(rel, partition, rows, Files.size(file), HexFormat.of().formatHex(sha.digest()), sumHash, xorHash);
    }

    /** Tables first, then inner tables, views, materialized views, dictionaries; views referencing other views after them. */
    static List<ManifestObject> order(List<ManifestObject> objects) {
        List<ManifestObject> out = new ArrayList<>();
        for (ObjectKind k : List.of(ObjectKind.TABLE, ObjectKind.INNER_TABLE)) {
            objects.stream().filter(o -> o.kind() == k).forEach(out::add);
        }
        for (ObjectKind k : List.of(ObjectKind.VIEW, ObjectKind.MATERIALIZED_VIEW)) {
            List<ManifestObject> pending = new ArrayList<>(objects.stream().filter(o -> o.kind() == k).toList());
            while (!pending.isEmpty()) {
                ManifestObject next = pending.stream().filter(v -> pending.stream().noneMatch(o -> o != v && mentions(v.ddl(), o)))
                        .findFirst().orElse(pending.get(0));
                out.add(next);
                pending.remove(next);
            }
        }
        objects.stream().filter(o -> o.kind() == ObjectKind.DICTIONARY).forEach(out::add);
        return out;
    }

    private static boolean mentions(String ddl, ManifestObject o) {
        int as = ddl.indexOf(" AS ");
        String body = as < 0 ? ddl : ddl.substring(as);
        return body.contains(o.database() + "." + o.name()) || body.contains(Sql.qualified(o.database(), o.name()));
    }

    private static void writeSchema(Path dir, List<ManifestDatabase> dbs, List<ManifestObject> objects) throws IOException {
        Path schema = Files.createDirectories(dir.resolve("schema"));
        for (ManifestDatabase d : dbs) {
            StringBuilder sb = new StringBuilder("-- ").append(d.name()).append(" (for reading; restores use manifest.json)\n");
            sb.append(d.ddl()).append(";\n\n");
            objects.stream().filter(o -> o.database().equals(d.name()) && o.kind() != ObjectKind.INNER_TABLE)
                    .forEach(o -> sb.append(o.ddl()).append(";\n\n"));
            Files.writeString(schema.resolve(FileNames.encode(d.name()) + ".sql"), sb);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Thread-confined progress reporting, throttled to every 4 MiB. */
    static final class Progress {
        private final BackupListener listener;
        private final Instant start;
        private final long rowsTotal;
        private final int tablesTotal;
        private long rowsDone;
        private long bytesDone;
        private int tablesDone;

        Progress(BackupListener listener, Instant start, long rowsTotal, int tablesTotal) {
            this.listener = listener;
            this.start = start;
            this.rowsTotal = rowsTotal;
            this.tablesTotal = tablesTotal;
        }

        OutputStream counting(OutputStream out, String table) {
            return new java.io.FilterOutputStream(out) {
                private long sinceReport;

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    bytes(len, table);
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    bytes(1, table);
                }

                private void bytes(long n, String t) {
                    bytesDone += n;
                    sinceReport += n;
                    if (sinceReport >= 4 << 20) {
                        sinceReport = 0;
                        report(t);
                    }
                }
            };
        }

        void rows(long n) {
            rowsDone += n;
        }

        void tableDone(String table) {
            tablesDone++;
            report(table);
        }

        private void report(String current) {
            Duration elapsed = Duration.between(start, Instant.now());
            listener.progress(new BackupProgress("backup", current, rowsDone, rowsTotal, bytesDone, tablesDone, tablesTotal, elapsed,
                    BackupProgress.eta(rowsDone, rowsTotal, elapsed)));
        }
    }

    /** Collects a backup's settings. Not thread-safe. */
    public static final class Builder {
        private final ClickHouseEndpoint endpoint;
        private List<String> databases = new ArrayList<>();
        private BackupListener listener = BackupListener.NONE;
        private Duration statementTimeout = Duration.ofHours(6);
        private int compressionLevel = 1;
        private boolean verify = true;

        private Builder(ClickHouseEndpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /**
         * @param names databases to save (default: those of {@link #ASPECTS_DATABASES} that exist)
         * @return this builder
         */
        public Builder databases(List<String> names) {
            this.databases = new ArrayList<>(Objects.requireNonNull(names, "names"));
            this.databases.forEach(n -> Objects.requireNonNull(n, "database name"));
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
         * @param timeout longest time one statement (a partition's export) may take (default: 6 h)
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
         * @param level zstd level 1–19 (default: 1, the speed of {@code zstd -1})
         * @return this builder
         */
        public Builder compressionLevel(int level) {
            if (level < 1 || level > 19) {
                throw new IllegalArgumentException("compressionLevel must be 1..19, got " + level);
            }
            this.compressionLevel = level;
            return this;
        }

        /**
         * @param verify whether to re-read every file against its SHA-256 before returning (default: true)
         * @return this builder
         */
        public Builder verifyAfterBackup(boolean verify) {
            this.verify = verify;
            return this;
        }

        /** @return the backup service */
        public ClickHouseBackup build() {
            return new ClickHouseBackup(this);
        }
    }

    @Override
    public String toString() {
        return "ClickHouseBackup[" + endpoint + ", databases=" + (databases.isEmpty() ? "Aspects defaults" : databases) + "]";
    }

}
