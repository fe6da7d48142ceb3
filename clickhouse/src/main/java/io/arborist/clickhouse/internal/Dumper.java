package io.arborist.clickhouse.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdOutputStream;
import io.arborist.clickhouse.BackupDestination;
import io.arborist.clickhouse.ClickHouseBackup;
import io.arborist.clickhouse.ClickHouseEndpoint;
import io.arborist.clickhouse.ClickHouseManifest;
import io.arborist.clickhouse.ManifestChunk;
import io.arborist.clickhouse.ManifestDatabase;
import io.arborist.clickhouse.ManifestFile;
import io.arborist.clickhouse.ManifestObject;
import io.arborist.clickhouse.ObjectKind;
import io.arborist.clickhouse.ServerBackup;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of {@link ClickHouseBackup}: the streaming backup (each object's DDL, every table's rows as
 * {@code SELECT * … FORMAT Native} into zstd files with their SHA-256 and a server-side checksum) or the server's own
 * {@code BACKUP}, then the manifest, written last, and the read-back check. One instance per backup.
 */
public final class Dumper {
    // logs under the public class's name, as before the engine moved here
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseBackup.class);
    /** The tool that wrote an archive, as its manifest records it. */
    public static final String TOOL = "arborist-clickhouse 0.1";
    /** How the manifest's row checksums are computed, as it records it. */
    public static final String CHECKSUM = "count(), sum and groupBitXor of cityHash64 over every column (UUID via toString, NULL as 1)";
    private static final int ZSTD_WORKERS = 2;
    private static final Set<String> DATA_ENGINES = Set.of("Log", "TinyLog", "StripeLog", "Memory");

    /**
     * A backup's settings, as {@link ClickHouseBackup.Builder} collected them.
     *
     * @param endpoint the server
     * @param databases the databases to save; empty for those of {@link ClickHouseBackup#ASPECTS_DATABASES} that exist
     * @param listener progress receiver
     * @param statementTimeout longest time one statement may take
     * @param compressionLevel zstd level
     * @param verify whether to check the written archive before returning
     * @param splitAbove uncompressed bytes above which a table gets one file per partition
     * @param parallelism tables exported at the same time
     * @param serverSide where the server writes its own BACKUP, if it does
     * @param key the key that seals the manifest, if any
     * @param encryption the key that encrypts the archive, if any
     */
    public record Settings(ClickHouseEndpoint endpoint, List<String> databases, BackupListener listener, Duration statementTimeout,
                           int compressionLevel, boolean verify, long splitAbove, int parallelism, Optional<BackupDestination> serverSide,
                           Optional<ArchiveKey> key, Optional<EncryptionKey> encryption) {
        /** Copies the database list. */
        public Settings {
            databases = List.copyOf(databases);
        }
    }

    private final ClickHouseEndpoint endpoint;
    private final List<String> databases;
    private final BackupListener listener;
    private final Duration statementTimeout;
    private final int compressionLevel;
    private final boolean verify;
    private final long splitAbove;
    private final int parallelism;
    private final Optional<BackupDestination> serverSide;
    private final Optional<ArchiveKey> key;
    private final Optional<EncryptionKey> encryption;

    /** @param s the backup's settings */
    public Dumper(Settings s) {
        this.endpoint = s.endpoint();
        this.databases = s.databases();
        this.listener = s.listener();
        this.statementTimeout = s.statementTimeout();
        this.compressionLevel = s.compressionLevel();
        this.verify = s.verify();
        this.splitAbove = s.splitAbove();
        this.parallelism = s.parallelism();
        this.serverSide = s.serverSide();
        this.key = s.key();
        this.encryption = s.encryption();
    }

    /**
     * Backs up into a directory that is missing or empty (through a store when encrypted); see
     * {@link ClickHouseBackup#backup(Path)}.
     *
     * @param directory where to write
     * @return the manifest, written and (unless told otherwise) verified
     */
    public ClickHouseManifest backup(Path directory) {
        if (encryption.isPresent()) {
            try (BackupStore local = BackupStores.builder().build().open(new Destination.LocalDirectory(directory))) {
                return backup(local, "");
            }
        }
        prepare(directory);
        return write(ArchiveSink.directory(directory), () -> ArchiveSource.directory(directory, Optional.empty()), true);
    }

    /**
     * Backs up into a store; see {@link ClickHouseBackup#backup(BackupStore, String)}.
     *
     * @param store where to write
     * @param archive the archive's prefix inside the store, or {@code ""}
     * @return the manifest, written and (unless told otherwise) verified
     */
    public ClickHouseManifest backup(BackupStore store, String archive) {
        if (serverSide.isPresent()) {
            throw new IllegalArgumentException("a server-side BACKUP writes on the ClickHouse server; back up into a directory instead of a store");
        }
        ArchiveWriter writer = ArchiveWriter.into(store, archive).encryptedWith(encryption).start();
        try {
            // S3 checked every part's Content-MD5 on arrival: reading the archive back would download it all again
            boolean reread = !(store.destination() instanceof Destination.S3Location);
            return write(ArchiveSink.store(writer), () -> ArchiveSource.store(store, archive, encryption), reread);
        } catch (RuntimeException e) {
            try {
                writer.discard();
            } catch (RuntimeException d) {
                e.addSuppressed(d);
            }
            throw e;
        }
    }

    private ClickHouseManifest write(ArchiveSink directory, java.util.function.Supplier<ArchiveSource> readBack, boolean reread) {
        warmUp(compressionLevel);
        Instant start = Instant.now();
        try (Http http = new Http(endpoint, statementTimeout, ErrorKind.BACKUP)) {
            String version = http.value("SELECT version()");
            if (serverSide.isPresent() && !ServerSide.supported(version)) {
                throw new ArboristException(ErrorKind.BACKUP, "ClickHouse " + version + " at " + endpoint.url() + " has no BACKUP statement (it came in "
                        + ServerSide.MIN_MAJOR + "." + ServerSide.MIN_MINOR + "); use the streaming backup (leave out serverSide)");
            }
            LOG.info("backing up ClickHouse {} at {}{}", version, endpoint.url(), serverSide.map(d -> " with the server's BACKUP to " + d.sql()).orElse(""));
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
            Map<String, Long> tableBytes = new HashMap<>();
            long estimate = 0;
            for (JsonNode row : http.rows("SELECT database, table, sum(rows) AS r, sum(data_uncompressed_bytes) AS b FROM system.parts"
                    + " WHERE active GROUP BY database, table")) {
                if (dbs.contains(row.path("database").asText())) {
                    estimate += row.path("r").asLong();
                    tableBytes.put(row.path("database").asText() + "." + row.path("table").asText(), row.path("b").asLong());
                }
            }
            Progress progress = new Progress(listener, start, estimate, tables.size());
            List<ManifestObject> objects;
            Optional<ServerBackup> held = Optional.empty();
            if (serverSide.isPresent()) {
                Held h = serverSideBackup(http, serverSide.get(), dbs, tables, notes, progress);
                objects = h.objects();
                held = Optional.of(h.backup());
            } else {
                objects = exportAll(http, directory, tables, tableBytes, notes, progress);
            }
            objects = order(objects);
            notes.addAll(restoreNotes(dbEntries, objects));
            List<ManifestFile> files = writeSchema(directory, dbEntries, objects);
            ClickHouseManifest manifest = new ClickHouseManifest(ClickHouseManifest.FORMAT, TOOL, version, Instant.now(), dbEntries, objects, files,
                    CHECKSUM, notes, held);
            ManifestJson.write(directory, manifest, key);
            LOG.debug("manifest written{}", key.map(k -> ", sealed with the key " + k.fingerprint()).orElse(""));
            if (verify) {
                try (ArchiveSource written = readBack.get()) {
                    new ArchiveVerifier(listener, key).verify(written, reread).orThrow(ErrorKind.BACKUP);
                }
            }
            LOG.info("backup of {} rows in {} objects done in {}", manifest.rows(), objects.size(), Duration.between(start, Instant.now()));
            return manifest;
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.BACKUP, "cannot write backup to " + directory.where() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads zstd's native library and the JSON parser on another thread while the HTTP client starts: on a cold JVM
     * each takes 0.1–0.3 s, and zstd's would otherwise stall the first export with the server already sending.
     */
    private static void warmUp(int level) {
        Thread t = new Thread(() -> {
            try (ZstdOutputStream z = new ZstdOutputStream(OutputStream.nullOutputStream(), level)) {
                z.write(0);
                Http.warmUp();
            } catch (IOException | RuntimeException | LinkageError e) {
                LOG.debug("warm-up failed (the export will report it): {}", e.toString());
            }
        }, "arborist-ch-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** Creates the directory owner-only (0700), or makes an existing empty one so. */
    private static void prepare(Path directory) {
        try {
            if (Files.exists(directory)) {
                try (Stream<Path> s = Files.list(directory)) {
                    if (s.findAny().isPresent()) {
                        throw new ArboristException(ErrorKind.BACKUP, "backup directory " + directory + " is not empty; choose a new directory");
                    }
                }
                OwnerOnly.restrict(directory);
            }
            OwnerOnly.directories(directory);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.BACKUP, "cannot create backup directory " + directory + ": " + e.getMessage(), e);
        }
    }

    private List<String> resolveDatabases(Http http, List<String> notes) {
        Set<String> present = new LinkedHashSet<>();
        http.rows("SELECT name FROM system.databases").forEach(r -> present.add(r.path("name").asText()));
        List<String> out = new ArrayList<>();
        boolean defaults = databases.isEmpty();
        for (String db : defaults ? ClickHouseBackup.ASPECTS_DATABASES : databases) {
            if (present.contains(db)) {
                out.add(db);
            } else if (defaults) {
                notes.add("database " + db + " does not exist on the source and was skipped");
            } else {
                throw new ArboristException(ErrorKind.BACKUP, "database '" + db + "' does not exist on " + endpoint.url() + "; present: " + present);
            }
        }
        if (out.isEmpty()) {
            throw new ArboristException(ErrorKind.BACKUP, "none of the databases " + (defaults ? ClickHouseBackup.ASPECTS_DATABASES : databases) + " exists on "
                    + endpoint.url() + "; present: " + present);
        }
        return out;
    }

    /** Exports the tables, {@code parallelism} at a time; objects and notes come back in the order of {@code tables}. */
    private List<ManifestObject> exportAll(Http http, ArchiveSink dir, List<JsonNode> tables, Map<String, Long> tableBytes, List<String> notes,
            Progress progress) throws IOException {
        ExecutorService workers = Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, tables.size())), daemons("arborist-ch-export"));
        ExecutorService side = Executors.newCachedThreadPool(daemons("arborist-ch-checksum"));
        try {
            List<Future<ManifestObject>> futures = new ArrayList<>();
            List<List<String>> tableNotes = new ArrayList<>();
            for (JsonNode t : tables) {
                List<String> own = new ArrayList<>();
                tableNotes.add(own);
                long bytes = tableBytes.getOrDefault(t.path("database").asText() + "." + t.path("name").asText(), 0L);
                futures.add(workers.submit(() -> object(http, dir, t, bytes, own, progress, side)));
            }
            List<ManifestObject> objects = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                objects.add(await(futures.get(i), futures));
                notes.addAll(tableNotes.get(i));
            }
            return objects;
        } finally {
            workers.shutdownNow();
            side.shutdownNow();
        }
    }

    private static <T> T await(Future<T> f, List<? extends Future<?>> all) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            all.forEach(o -> o.cancel(true));
            Thread.currentThread().interrupt();
            throw new ArboristException(ErrorKind.INTERRUPTED, "interrupted while backing up ClickHouse", e);
        } catch (ExecutionException e) {
            all.forEach(o -> o.cancel(true));
            Throwable c = e.getCause();
            if (c instanceof CompletionException && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new ArboristException(ErrorKind.BACKUP, "backup failed: " + c, c);
        }
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A table, view or dictionary as {@code system.tables} describes it, classified. */
    private record Described(String db, String name, String engine, String ddl, boolean hidden, ObjectKind kind, String innerOf) {
        /** @return whether it keeps rows of its own that a backup saves */
        boolean holdsRows() {
            return (kind == ObjectKind.TABLE || kind == ObjectKind.INNER_TABLE) && (engine.contains("MergeTree") || DATA_ENGINES.contains(engine));
        }

        ManifestObject toObject(List<ManifestChunk> chunks) {
            return new ManifestObject(db, name, kind, engine, ddl, hidden, innerOf, chunks);
        }
    }

    private static Described describe(Http http, JsonNode t, List<String> notes, String hiddenAdvice) {
        String db = t.path("database").asText();
        String name = t.path("name").asText();
        String engine = t.path("engine").asText();
        String ddl = t.path("create_table_query").asText();
        boolean hidden = ddl.contains("[HIDDEN]") || ddl.contains("'******'");
        if (hidden) {
            notes.add(db + "." + name + ": the server hid secrets in its DDL; " + hiddenAdvice);
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
        return new Described(db, name, engine, ddl, hidden, kind, innerOf);
    }

    private static List<String[]> columns(Http http, String db, String table) {
        List<String[]> columns = new ArrayList<>();
        for (JsonNode c : http.rows("SELECT name, type FROM system.columns WHERE database = " + Sql.literal(db) + " AND table = "
                + Sql.literal(table) + " AND default_kind NOT IN ('MATERIALIZED', 'ALIAS', 'EPHEMERAL')")) {
            columns.add(new String[] {c.path("name").asText(), c.path("type").asText()});
        }
        return columns;
    }

    private ManifestObject object(Http http, ArchiveSink dir, JsonNode t, long tableBytes, List<String> notes, Progress progress, ExecutorService side)
            throws IOException {
        Described d = describe(http, t, notes, "re-supply the DDL at restore (ddlOverride)");
        String db = d.db();
        String name = d.name();
        String engine = d.engine();
        ObjectKind kind = d.kind();
        List<ManifestChunk> chunks = new ArrayList<>();
        boolean mergeTree = engine.contains("MergeTree");
        if (d.holdsRows()) {
            List<String[]> columns = columns(http, db, name);
            List<String> partitions = new ArrayList<>();
            if (mergeTree) {
                http.rows("SELECT DISTINCT partition_id FROM system.parts WHERE active AND database = " + Sql.literal(db) + " AND table = "
                        + Sql.literal(name) + " ORDER BY partition_id").forEach(r -> partitions.add(r.path("partition_id").asText()));
            } else {
                partitions.add("");
            }
            if (!partitions.isEmpty()) {
                // Big tables are split so that a resumed restore redoes one partition; each partition's filter prunes the
                // others on every version (see Partitions).
                boolean split = mergeTree && tableBytes > splitAbove && !(partitions.size() == 1 && partitions.get(0).equals("all"));
                Map<String, String> filters = split ? Partitions.filters(http, db, name, t.path("partition_key").asText()) : Map.of();
                List<String> files = split ? List.copyOf(filters.keySet()) : List.of("");
                // The checksum is a separate server scan: it runs on its own connection while the rows stream to disk.
                CompletableFuture<Map<String, String[]>> sums = CompletableFuture.supplyAsync(() -> checksums(http, db, name, columns, split), side);
                List<String[]> written = new ArrayList<>();
                try {
                    for (String p : files) {
                        written.add(writeFile(http, dir, db, name, p, filters.getOrDefault(p, ""), progress));
                    }
                } catch (RuntimeException | IOException e) {
                    sums.cancel(true);
                    throw e;
                }
                LOG.debug("{}.{}: {} file(s) written", db, name, files.size());
                Map<String, String[]> byPartition = sums.join();
                LOG.debug("{}.{}: checksums in", db, name);
                for (int i = 0; i < files.size(); i++) {
                    String p = files.get(i);
                    String[] sum = byPartition.getOrDefault(p, new String[] {"0", "0", "0"});
                    String[] w = written.get(i);
                    long rows = Long.parseLong(sum[0]);
                    progress.rows(rows);
                    chunks.add(new ManifestChunk(w[0], p, rows, Long.parseLong(w[1]), w[2], sum[1], sum[2]));
                }
            }
        } else if (kind == ObjectKind.TABLE) {
            notes.add(db + "." + name + ": engine " + engine + " keeps no data of its own here; only its DDL is saved");
        }
        progress.tableDone(db + "." + name);
        return d.toObject(chunks);
    }

    /** The objects of a server-side backup and the server's BACKUP that holds their rows. */
    private record Held(List<ManifestObject> objects, ServerBackup backup) {
    }

    /**
     * Counts and checksums every table, has the server write its BACKUP, then counts and checksums again: the manifest
     * records the rows only when nothing changed meanwhile, so they are exactly the rows the BACKUP holds.
     */
    private Held serverSideBackup(Http http, BackupDestination destination, List<String> dbs, List<JsonNode> tables, List<String> notes,
            Progress progress) throws IOException {
        List<Described> all = new ArrayList<>();
        for (JsonNode t : tables) {
            all.add(describe(http, t, notes, "the server's BACKUP keeps the real DDL, so its restore needs no ddlOverride"));
        }
        List<Described> withRows = all.stream().filter(Described::holdsRows).toList();
        Map<String, String[]> before = wholeTableChecksums(http, withRows);
        String statement = "BACKUP " + String.join(", ", dbs.stream().map(d -> "DATABASE " + Sql.id(d)).toList()) + " TO " + destination.sql();
        ServerSide.Outcome done = ServerSide.run(http, statement, statementTimeout, id -> LOG.info("server-side BACKUP {} started", id),
                progress::serverBytes);
        Map<String, String[]> after = wholeTableChecksums(http, withRows);
        List<String> changed = withRows.stream().map(d -> d.db() + "." + d.name())
                .filter(k -> !java.util.Arrays.equals(before.get(k), after.get(k))).toList();
        if (!changed.isEmpty()) {
            throw new ArboristException(ErrorKind.BACKUP, changed.size() + " table(s) changed while the server wrote its BACKUP " + done.id() + " " + changed
                    + "; its rows cannot be verified. Pause ingestion (Ralph, Vector, event sinks), delete " + destination.sql()
                    + " on the server and run the backup again");
        }
        List<ManifestObject> objects = new ArrayList<>();
        for (Described d : all) {
            String[] sum = before.get(d.db() + "." + d.name());
            long rows = sum == null ? 0 : Long.parseLong(sum[0]);
            objects.add(d.toObject(rows == 0 ? List.of() : List.of(new ManifestChunk("", "", rows, 0, "", sum[1], sum[2]))));
            progress.rows(rows);
        }
        notes.add("server-side BACKUP " + done.id() + " to " + destination.sql() + " holds the rows (" + done.files() + " files, " + done.bytes()
                + " bytes on the server); this directory holds the manifest only");
        return new Held(objects, new ServerBackup(destination, done.id(), done.files(), done.bytes()));
    }

    /** Count and row-hash checksums of whole tables, {@code parallelism} tables at a time; keys {@code db.name}. */
    private Map<String, String[]> wholeTableChecksums(Http http, List<Described> tables) throws IOException {
        ExecutorService workers = Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, tables.size())), daemons("arborist-ch-checksum"));
        try {
            List<Future<String[]>> futures = new ArrayList<>();
            for (Described d : tables) {
                futures.add(workers.submit(() -> checksums(http, d.db(), d.name(), columns(http, d.db(), d.name()), false).getOrDefault("",
                        new String[] {"0", "0", "0"})));
            }
            Map<String, String[]> out = new HashMap<>();
            for (int i = 0; i < tables.size(); i++) {
                out.put(tables.get(i).db() + "." + tables.get(i).name(), await(futures.get(i), futures));
            }
            return out;
        } finally {
            workers.shutdownNow();
        }
    }

    /**
     * One scan for the whole table: count, sum and xor of the row hashes, per partition id when {@code byPartition}
     * (key "" otherwise). Values: rows, hash sum, hash xor (the hashes empty when the server cannot hash a column type).
     */
    private static Map<String, String[]> checksums(Http http, String db, String table, List<String[]> columns, boolean byPartition) {
        String t = Sql.qualified(db, table);
        String key = byPartition ? "_partition_id AS p, " : "'' AS p, ";
        String group = byPartition ? " GROUP BY _partition_id" : "";
        Map<String, String[]> out = new HashMap<>();
        try {
            for (JsonNode r : http.rows("SELECT " + key + "count() AS c, sum(h) AS s, groupBitXor(h) AS x FROM (SELECT "
                    + (byPartition ? "_partition_id, " : "") + Sql.rowHash(columns) + " AS h FROM " + t + ")" + group)) {
                out.put(r.path("p").asText(), new String[] {r.path("c").asText(), r.path("s").asText(), r.path("x").asText()});
            }
        } catch (ArboristException e) {
            LOG.warn("row hash not available for {}.{} ({}); recording the row count only", db, table, e.getMessage().lines().findFirst().orElse(""));
            out.clear();
            for (JsonNode r : http.rows("SELECT " + key + "count() AS c FROM " + t + group)) {
                out.put(r.path("p").asText(), new String[] {r.path("c").asText(), "", ""});
            }
        }
        return out;
    }

    private static String innerOwner(Http http, String db, String uuid) {
        List<JsonNode> owner = http.rows("SELECT name FROM system.tables WHERE database = " + Sql.literal(db) + " AND toString(uuid) = "
                + Sql.literal(uuid));
        return owner.isEmpty() ? "" : owner.get(0).path("name").asText();
    }

    /**
     * Streams one file (a partition selected by {@code filter}, or the whole table when {@code partition} is empty);
     * returns path, size, SHA-256.
     */
    private String[] writeFile(Http http, ArchiveSink dir, String db, String table, String partition, String filter, Progress progress) throws IOException {
        String from = Sql.qualified(db, table) + (partition.isEmpty() ? "" : " WHERE " + filter);
        String rel = "data/" + FileNames.encode(db) + "/" + FileNames.encode(table) + "/" + (partition.isEmpty() ? "all" : FileNames.encode(partition))
                + ".native.zst";
        ArchiveSink.Out fileOut = dir.create(rel);
        MessageDigest sha = sha256();
        try (DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(fileOut, 1 << 16), sha);
             ZstdOutputStream zstd = new ZstdOutputStream(digest, compressionLevel);
             OutputStream counted = progress.counting(zstd, db + "." + table)) {
            // zstd compresses on its own worker threads, so this thread keeps reading the socket (as curl | zstd does).
            zstd.setWorkers(ZSTD_WORKERS);
            try {
                http.export("SELECT * FROM " + from + " FORMAT Native", counted);
            } catch (RuntimeException e) {
                fileOut.abort();
                throw e;
            }
        }
        return new String[] {rel, String.valueOf(fileOut.written()), HexFormat.of().formatHex(sha.digest())};
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

    /** Writes {@code schema/<db>.sql} for people; @return each file with its digest, for the manifest */
    private static List<ManifestFile> writeSchema(ArchiveSink dir, List<ManifestDatabase> dbs, List<ManifestObject> objects) throws IOException {
        List<ManifestFile> files = new ArrayList<>();
        for (ManifestDatabase d : dbs) {
            StringBuilder sb = new StringBuilder("-- ").append(d.name()).append(" (for reading; restores use manifest.json)\n");
            sb.append(d.ddl()).append(";\n\n");
            objects.stream().filter(o -> o.database().equals(d.name()) && o.kind() != ObjectKind.INNER_TABLE)
                    .forEach(o -> sb.append(o.ddl()).append(";\n\n"));
            String name = FileNames.encode(d.name()) + ".sql";
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            dir.write("schema/" + name, bytes);
            files.add(new ManifestFile("schema/" + name, bytes.length, HexFormat.of().formatHex(sha256().digest(bytes))));
        }
        return files;
    }

    /**
     * What a restore of these objects will refuse or need (their DDL checked as {@link io.arborist.clickhouse.ClickHouseRestore} checks it,
     * without renames): objects reaching beyond the server's own tables, and reads outside the backed-up databases.
     */
    static List<String> restoreNotes(List<ManifestDatabase> dbs, List<ManifestObject> objects) {
        Map<String, String> same = new HashMap<>();
        dbs.forEach(d -> same.put(d.name(), d.name()));
        DdlPolicy.Scope scope = new DdlPolicy.Scope(same, objects.stream().filter(o -> o.kind() == ObjectKind.TABLE).map(ManifestObject::qualifiedName)
                .collect(java.util.stream.Collectors.toSet()), Set.of());
        List<String> notes = new ArrayList<>();
        for (ManifestObject o : objects) {
            DdlPolicy.Verdict v = DdlPolicy.object(o.kind(), o.ddl(), o.database(), o.name(), scope);
            v.problem().ifPresent(p -> notes.add(o.qualifiedName() + ": a restore refuses it (it " + p + "); skip it at the restore and create it"
                    + " by hand"));
            if (!v.outsideReads().isEmpty()) {
                notes.add(o.qualifiedName() + ": reads " + v.outsideReads() + ", outside the backed-up databases; a restore needs them allowed"
                        + " (allowReadsFrom)");
            }
        }
        return notes;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
