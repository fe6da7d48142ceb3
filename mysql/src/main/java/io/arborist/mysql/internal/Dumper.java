package io.arborist.mysql.internal;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.BackupListener;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The backup engine: one coordinator connection, N snapshot workers, zstd chunk files, manifest last. */
public final class Dumper {
    private static final Logger LOG = LoggerFactory.getLogger(Dumper.class);
    /** The version written into manifests. */
    public static final String TOOL_VERSION = "0.1.0";
    private static final Set<String> SYSTEM_DBS = Set.of("mysql", "information_schema", "performance_schema", "sys");
    private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");
    private static final Set<String> SKIPPED_USERS = Set.of("root", "mariadb.sys", "mysql.sys", "mysql.session",
            "mysql.infoschema", "");
    private static final int PROGRESS_EVERY = 10_000;
    /** Manifest consistency values: how the workers' snapshots were made to agree. */
    static final String BACKUP_STAGE = "backup-stage";
    static final String LOCK_INSTANCE = "lock-instance";
    static final String GLOBAL_READ_LOCK = "global-read-lock";
    static final String SINGLE_TRANSACTION = "single-transaction";
    /** The manifest feature of a MySQL backup that held LOCK INSTANCE FOR BACKUP for the whole dump. */
    private static final String LOCK_INSTANCE_FEATURE = "lock:LOCK INSTANCE FOR BACKUP";

    /** What to dump and how. */
    public record Settings(DataSource dataSource, char[] password, List<String> databases, int threads, long chunkRows,
                           int compressionLevel, boolean includeUsers, java.time.Duration lockWait, BackupListener listener,
                           Optional<ArchiveKey> key) {
    }

    private record Task(int tableIndex, Manifest.Table table, int chunk, String from, String to) {
    }

    private final Settings s;
    private long estimatedRows;
    /** What the source used and how it was read, for the manifest's {@code features}. */
    private final Set<String> features = new java.util.TreeSet<>();

    /** @param settings what to dump */
    public Dumper(Settings settings) {
        this.s = settings;
    }

    /**
     * Runs the backup into an empty or absent directory and returns the sealed manifest.
     *
     * @param forceDataFiles whether the data files are forced to disk before the manifest is written (false only when
     *     the directory is staging for a tar file that is forced itself)
     */
    public Manifest run(Path dir, boolean forceDataFiles) {
        return run(ArchiveSink.directory(dir, forceDataFiles));
    }

    /** Runs the backup into a sink (a directory or an archive in a store) and returns the sealed manifest. */
    public Manifest run(ArchiveSink sink) {
        String dir = sink.where();
        sink.prepare();
        List<Connection> workers = new ArrayList<>();
        try (Connection main = Connections.open(s.dataSource(), ErrorKind.BACKUP, s.password())) {
            Manifest.Server server = server(main);
            session(main, server.version());
            List<String> dbs = databases(main);
            List<String> warnings = new ArrayList<>();
            List<Manifest.Database> databases = new ArrayList<>();
            for (String db : dbs) {
                databases.add(new Manifest.Database(db, string(main, "SHOW CREATE DATABASE " + Sql.id(db), 2)));
                for (String collation : names(main, "SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?"
                        + " UNION SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_COLLATION IS NOT NULL",
                        db, db)) {
                    features.add("collation:" + collation);
                }
            }
            List<Manifest.Table> tables = tables(main, dbs, warnings);
            List<Task> tasks = plan(main, tables);

            int threads = Math.max(1, Math.min(s.threads(), Math.max(1, tasks.size())));
            for (int i = 0; i < threads; i++) {
                Connection c = Connections.open(s.dataSource(), ErrorKind.BACKUP, s.password());
                workers.add(c);
                session(c, server.version());
            }
            sink.ready();
            long t0 = System.nanoTime();
            String consistency = lock(main, server, warnings);
            // read under the lock: no commit can move the position before every worker has its snapshot
            server = masterStatus(main, server, consistency, warnings);
            if (consistency.equals(SINGLE_TRANSACTION)) {
                for (int i = workers.size() - 1; i >= 1; i--) {
                    close(workers.remove(i));
                }
            }
            for (Connection c : workers) {
                Connections.exec(c, "START TRANSACTION WITH CONSISTENT SNAPSHOT");
            }
            long lockMillis = 0;
            if (!consistency.equals(SINGLE_TRANSACTION)) {
                Connections.exec(main, consistency.equals(BACKUP_STAGE) ? "BACKUP STAGE END" : "UNLOCK TABLES");
                lockMillis = (System.nanoTime() - t0) / 1_000_000;
            }
            if (server.flavour().equals("mariadb")) {
                server = binlogSnapshot(workers.get(0), server);
            }
            LOG.info("backup of {} ({} tables, {} chunks) with {} workers, consistency {}", dbs, tables.size(), tasks.size(),
                    workers.size(), consistency);

            List<Manifest.Routine> objects = objects(main, dbs);
            List<String> users = s.includeUsers() ? users(main, server) : List.of();

            Map<String, List<Manifest.Chunk>> done = dump(sink, tables, tasks, workers);
            List<Manifest.Table> finished = new ArrayList<>();
            for (int i = 0; i < tables.size(); i++) {
                Manifest.Table t = tables.get(i);
                List<Manifest.Chunk> chunks = new ArrayList<>();
                long rows = 0;
                long bytes = 0;
                long sum = 0;
                for (Task task : tasks) {
                    if (task.tableIndex() == i) {
                        for (Manifest.Chunk c : done.get(key(task))) {
                            chunks.add(c);
                            rows += c.rows();
                            bytes += c.bytes();
                            sum += Long.parseUnsignedLong(c.checksum(), 16);
                        }
                    }
                }
                finished.add(new Manifest.Table(t.database(), t.name(), t.engine(), t.createSql(), t.columns(),
                        t.rangeColumn(), rows, bytes, hex(sum), chunks));
            }
            for (Connection c : workers) {
                Connections.exec(c, "COMMIT");
            }
            if (features.contains(LOCK_INSTANCE_FEATURE)) {
                Connections.exec(main, "UNLOCK INSTANCE");
            }
            Manifest m = new Manifest(Manifest.FORMAT_VERSION, Manifest.KIND, "arborist", TOOL_VERSION,
                    Instant.now().toString(), server, consistency, lockMillis, Sql.HASH_CLIENT, warnings, databases, finished, objects,
                    users, List.copyOf(features), "");
            return sink.commit(m, s.key(), done.values().stream().flatMap(List::stream).map(Manifest.Chunk::file).toList());
        } catch (SQLException e) {
            throw Connections.failure(ErrorKind.BACKUP, "backup failed; the archive in " + dir + " is incomplete", e,
                    s.password());
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.BACKUP, "backup failed; cannot write " + dir + ": " + e.getMessage(), e);
        } finally {
            for (Connection c : workers) {
                close(c);
            }
        }
    }

    /**
     * Stops commits on the whole server for the moment the workers open their snapshots: {@code BACKUP STAGE
     * BLOCK_COMMIT} on MariaDB 10.4.1 and later (it waits only for commits in flight, not for long-running queries as
     * a table flush does), otherwise {@code FLUSH TABLES WITH READ LOCK}, waiting at most {@code lockWait} for it (a
     * pending flush holds every new query back, so a long-running query must not make it wait long). On MySQL, first
     * {@code LOCK INSTANCE FOR BACKUP} (held until the dump ends: no DDL can break the workers' snapshots; needs
     * BACKUP_ADMIN). When neither lock is granted (no RELOAD privilege, as on managed services, or a long query),
     * one worker in a single transaction, with a warning.
     *
     * @return the consistency recorded in the manifest
     */
    private String lock(Connection main, Manifest.Server server, List<String> warnings) {
        String refused = "";
        boolean mysql = server.flavour().equals("mysql");
        if (!mysql && Sql.atLeast(server.version(), 10, 4, 1)) {
            try {
                Connections.exec(main, "BACKUP STAGE START", "BACKUP STAGE BLOCK_COMMIT");
                return BACKUP_STAGE;
            } catch (SQLException e) {
                refused = "BACKUP STAGE: " + Connections.redact(e.getMessage(), s.password()) + "; ";
                try {
                    Connections.exec(main, "BACKUP STAGE END");
                } catch (SQLException ignored) {
                    // no stage was entered
                }
            }
        }
        boolean instanceLocked = false;
        if (mysql && Sql.atLeast(server.version(), 8, 0, 0)) {
            try {
                Connections.exec(main, "LOCK INSTANCE FOR BACKUP");
                instanceLocked = true;
                features.add(LOCK_INSTANCE_FEATURE);
            } catch (SQLException e) {
                String w = "LOCK INSTANCE FOR BACKUP refused (" + Connections.redact(e.getMessage(), s.password())
                        + "): DDL during the backup is not blocked (grant BACKUP_ADMIN)";
                LOG.warn(w);
                warnings.add(w);
            }
        }
        String busy = longQuery(main);
        if (!busy.isEmpty()) {
            refused += "FLUSH TABLES WITH READ LOCK not tried: " + busy
                    + ", and a table flush would hold every new query on its tables back until it ends";
            LOG.warn("backup lock refused ({}); falling back to a single consistent transaction", refused);
            warnings.add("backup lock refused (" + refused + "): dumped with one worker in a single transaction");
            return SINGLE_TRANSACTION;
        }
        try {
            Connections.exec(main, "SET SESSION lock_wait_timeout = " + Math.max(1, s.lockWait().toSeconds()));
            try {
                Connections.exec(main, "FLUSH TABLES WITH READ LOCK");
                return instanceLocked ? LOCK_INSTANCE : GLOBAL_READ_LOCK;
            } finally {
                Connections.exec(main, "SET SESSION lock_wait_timeout = DEFAULT");
            }
        } catch (SQLException e) {
            refused += "FLUSH TABLES WITH READ LOCK: " + Connections.redact(e.getMessage(), s.password());
        }
        LOG.warn("backup lock refused ({}); falling back to a single consistent transaction", refused);
        warnings.add("backup lock refused (" + refused + "): dumped with one worker in a single transaction");
        return SINGLE_TRANSACTION;
    }

    /**
     * @return a query other than ours that has run for a second or more (by id, user and seconds, never its text), or
     *     empty text: {@code FLUSH TABLES WITH READ LOCK} would wait for it, and even when the wait is given up the
     *     flushed tables stay closed to new queries until it ends
     */
    private static String longQuery(Connection c) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT ID, USER, TIME FROM"
                + " information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND TIME >= 1 AND ID <> CONNECTION_ID()"
                + " AND INFO IS NOT NULL ORDER BY TIME DESC LIMIT 1")) {
            return rs.next() ? "query " + rs.getLong(1) + " of " + rs.getString(2) + " has run for " + rs.getLong(3) + " s" : "";
        } catch (SQLException e) {
            return "";
        }
    }

    /** @return whether a version string such as {@code 10.11.6-MariaDB-0+deb12u1} is at least major.minor.patch */
    static boolean atLeast(String version, int major, int minor, int patch) {
        return Sql.atLeast(version, major, minor, patch);
    }

    private static String key(Task t) {
        return t.tableIndex() + "/" + t.chunk();
    }

    static String hex(long v) {
        return String.format(Locale.ROOT, "%016x", v);
    }

    /** Sets up a connection to read as the backup does, on a server whose version it looks up. */
    static void session(Connection c) throws SQLException {
        session(c, server(c).version());
    }

    /**
     * Sets up a connection to read as the backup does. On MySQL also: fresh information_schema statistics (MySQL 8
     * caches them for a day, and the chunk plan needs row estimates), generated invisible primary keys shown as the
     * columns they are (8.0.30+), password hashes in SHOW CREATE USER as hexadecimal (8.0.17+; binary otherwise).
     */
    static void session(Connection c, String version) throws SQLException {
        Connections.exec(c, "SET NAMES utf8mb4", "SET SESSION time_zone = '+00:00'",
                "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
                "SET SESSION net_write_timeout = 3600, net_read_timeout = 3600, wait_timeout = 86400");
        if (!Sql.isMariaDb(version) && Sql.atLeast(version, 8, 0, 0)) {
            Connections.exec(c, "SET SESSION information_schema_stats_expiry = 0");
            if (Sql.atLeast(version, 8, 0, 17)) {
                Connections.exec(c, "SET SESSION print_identified_with_as_hex = ON");
            }
            if (Sql.atLeast(version, 8, 0, 30)) {
                Connections.exec(c, "SET SESSION show_gipk_in_create_table_and_information_schema = ON");
            }
        }
    }

    private static Manifest.Server server(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT VERSION(), @@version_comment, @@GLOBAL.sql_mode, @@GLOBAL.time_zone,"
                     + " @@character_set_server, @@collation_server")) {
            rs.next();
            String version = rs.getString(1);
            String flavour = Sql.isMariaDb(version) ? "mariadb" : "mysql";
            return new Manifest.Server(version, flavour, rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                    "", 0, "");
        }
    }

    /**
     * On MySQL, while commits are held: the binary log position ({@code SHOW BINARY LOG STATUS} on 8.2 and later,
     * {@code SHOW MASTER STATUS} before) and the executed GTID set. Without the global read lock the position would not
     * match the snapshot, so none is recorded. MariaDB's is read from a worker's snapshot ({@link #binlogSnapshot}).
     */
    private Manifest.Server masterStatus(Connection main, Manifest.Server s0, String consistency, List<String> warnings) {
        if (!s0.flavour().equals("mysql")) {
            return s0;
        }
        if (consistency.equals(SINGLE_TRANSACTION)) {
            warnings.add("binary log position not recorded: without the global read lock it would not match the snapshot");
            return s0;
        }
        String statement = Sql.binlogStatus(s0.version());
        String file = "";
        long pos = 0;
        String gtid = "";
        try (Statement st = main.createStatement()) {
            try (ResultSet rs = st.executeQuery(statement)) {
                if (rs.next()) {
                    file = rs.getString(1);
                    pos = rs.getLong(2);
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT @@GLOBAL.gtid_executed")) {
                gtid = rs.next() && rs.getString(1) != null ? rs.getString(1).replace("\n", "") : "";
            }
            features.add("binlog:" + statement);
        } catch (SQLException e) {
            LOG.info("binlog position not available: {}", e.getMessage());
        }
        return new Manifest.Server(s0.version(), s0.flavour(), s0.sqlMode(), s0.timeZone(), s0.characterSet(),
                s0.collation(), file == null ? "" : file, pos, gtid);
    }

    /** On MariaDB: the binary log position of a worker's consistent snapshot ({@code binlog_snapshot_*}). */
    private Manifest.Server binlogSnapshot(Connection worker, Manifest.Server s0) {
        String file = "";
        long pos = 0;
        String gtid = "";
        try (Statement st = worker.createStatement()) {
            try (ResultSet rs = st.executeQuery("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
                while (rs.next()) {
                    if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_file")) {
                        file = rs.getString(2);
                    } else if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_position")) {
                        pos = Long.parseLong(rs.getString(2));
                    }
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
                gtid = rs.next() && rs.getString(1) != null ? rs.getString(1) : "";
            }
            if (file != null && !file.isEmpty()) {
                features.add("binlog:binlog_snapshot_file");
            }
        } catch (SQLException e) {
            LOG.info("binlog position not available: {}", e.getMessage());
        }
        return new Manifest.Server(s0.version(), s0.flavour(), s0.sqlMode(), s0.timeZone(), s0.characterSet(),
                s0.collation(), file == null ? "" : file, pos, gtid);
    }

    private List<String> databases(Connection c) throws SQLException {
        List<String> all = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME")) {
            while (rs.next()) {
                all.add(rs.getString(1));
            }
        }
        if (s.databases().isEmpty()) {
            return all.stream().filter(d -> !SYSTEM_DBS.contains(d.toLowerCase(Locale.ROOT))).toList();
        }
        List<String> missing = s.databases().stream().filter(d -> !all.contains(d)).toList();
        if (!missing.isEmpty()) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "database(s) " + missing
                    + " not found or not visible to this user; existing: " + all);
        }
        return s.databases();
    }

    private List<Manifest.Table> tables(Connection c, List<String> dbs, List<String> warnings) throws SQLException {
        List<Manifest.Table> out = new ArrayList<>();
        for (String db : dbs) {
            Map<String, String> engines = new LinkedHashMap<>();
            try (var ps = c.prepareStatement("SELECT TABLE_NAME, IFNULL(ENGINE,'') FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE','SYSTEM VERSIONED') ORDER BY TABLE_NAME")) {
                ps.setString(1, db);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        engines.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            for (var e : engines.entrySet()) {
                String table = e.getKey();
                if (!e.getValue().equalsIgnoreCase("InnoDB")) {
                    String w = db + "." + table + " uses engine " + e.getValue() + ", which is not covered by the consistent snapshot";
                    LOG.warn(w);
                    warnings.add(w);
                }
                List<Manifest.Column> cols = new ArrayList<>();
                // EXTRA, not MariaDB's IS_GENERATED (MySQL has none): VIRTUAL GENERATED, STORED GENERATED, INVISIBLE
                try (var ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, IFNULL(CHARACTER_SET_NAME,''), IFNULL(EXTRA,''),"
                        + " IFNULL(COLLATION_NAME,'') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                        + " ORDER BY ORDINAL_POSITION")) {
                    ps.setString(1, db);
                    ps.setString(2, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            noteColumn(rs.getString(2), rs.getString(4), rs.getString(5));
                            if (!Sql.isGenerated(rs.getString(4))) {
                                cols.add(new Manifest.Column(rs.getString(1), rs.getString(2),
                                        Sql.encodingOf(rs.getString(2), rs.getString(3))));
                            }
                        }
                    }
                }
                String range = "";
                try (var ps = c.prepareStatement("SELECT s.COLUMN_NAME, c.DATA_TYPE FROM information_schema.STATISTICS s"
                        + " JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME"
                        + " AND c.COLUMN_NAME = s.COLUMN_NAME WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ?"
                        + " AND s.INDEX_NAME = 'PRIMARY' AND s.SEQ_IN_INDEX = 1")) {
                    ps.setString(1, db);
                    ps.setString(2, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && INTEGER_TYPES.contains(rs.getString(2).toLowerCase(Locale.ROOT))) {
                            range = rs.getString(1);
                        }
                    }
                }
                String ddl = string(c, "SHOW CREATE TABLE " + Sql.id(db, table), 2);
                if (ddl.contains("`my_row_id` bigint unsigned NOT NULL AUTO_INCREMENT /*!80023 INVISIBLE */")) {
                    features.add("generated-invisible-primary-keys");
                }
                out.add(new Manifest.Table(db, table, e.getValue(), ddl, List.copyOf(cols), range, 0, 0, "", List.of()));
            }
        }
        return out;
    }

    /** Notes a column's type, EXTRA and collation in the manifest's features. */
    private void noteColumn(String dataType, String extra, String collation) {
        if (Sql.isGenerated(extra)) {
            features.add("generated-columns");
        }
        if (extra.toUpperCase(Locale.ROOT).contains("INVISIBLE")) {
            features.add("invisible-columns");
        }
        if (dataType.equalsIgnoreCase("json")) {
            features.add("json-columns");
        }
        if (!collation.isEmpty()) {
            features.add("collation:" + collation);
        }
    }

    private List<Task> plan(Connection c, List<Manifest.Table> tables) throws SQLException {
        List<Task> tasks = new ArrayList<>();
        List<long[]> sizes = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            Manifest.Table t = tables.get(i);
            long estimate = 0;
            try (var ps = c.prepareStatement("SELECT IFNULL(TABLE_ROWS,0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
                ps.setString(1, t.database());
                ps.setString(2, t.name());
                try (ResultSet rs = ps.executeQuery()) {
                    estimate = rs.next() ? rs.getLong(1) : 0;
                }
            }
            sizes.add(new long[] {i, estimate});
            estimatedRows += estimate;
            long n = t.rangeColumn().isEmpty() ? 1 : Math.max(1, (estimate + s.chunkRows() - 1) / s.chunkRows());
            if (n > 1) {
                String min;
                String max;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT CONCAT(MIN(" + Sql.id(t.rangeColumn())
                        + ")), CONCAT(MAX(" + Sql.id(t.rangeColumn()) + ")) FROM " + Sql.id(t.database(), t.name()))) {
                    rs.next();
                    min = rs.getString(1);
                    max = rs.getString(2);
                }
                if (min == null || new BigInteger(max).subtract(new BigInteger(min)).compareTo(BigInteger.valueOf(n)) < 0
                        || new BigInteger(max).bitLength() > 62 || new BigInteger(min).bitLength() > 62) {
                    n = 1;
                } else {
                    long lo = Long.parseLong(min);
                    long hi = Long.parseLong(max);
                    long step = (hi - lo) / n + 1;
                    String from = "";
                    for (int k = 1; k <= n; k++) {
                        String to = k == n ? "" : Long.toString(lo + k * step);
                        if (k < n && lo + k * step > hi) {
                            to = "";
                        }
                        tasks.add(new Task(i, t, k - 1, from, to));
                        if (to.isEmpty()) {
                            break;
                        }
                        from = to;
                    }
                    continue;
                }
            }
            tasks.add(new Task(i, t, 0, "", ""));
        }
        // biggest tables first so that the last chunks are small ones
        Map<Integer, Long> est = new LinkedHashMap<>();
        for (long[] sz : sizes) {
            est.put((int) sz[0], sz[1]);
        }
        List<Task> sorted = new ArrayList<>(tasks);
        sorted.sort((a, b) -> {
            int cmp = Long.compare(est.get(b.tableIndex()), est.get(a.tableIndex()));
            if (cmp != 0) {
                return cmp;
            }
            cmp = Integer.compare(a.tableIndex(), b.tableIndex());
            return cmp != 0 ? cmp : Integer.compare(a.chunk(), b.chunk());
        });
        return sorted;
    }

    private Map<String, List<Manifest.Chunk>> dump(ArchiveSink sink, List<Manifest.Table> tables, List<Task> tasks, List<Connection> workers)
            throws IOException, SQLException {
        Progress progress = new Progress("backup", s.listener());
        progress.totals(estimatedRows, tables.size());
        Map<Integer, Integer> chunksLeft = new java.util.concurrent.ConcurrentHashMap<>();
        for (Task t : tasks) {
            chunksLeft.merge(t.tableIndex(), 1, Integer::sum);
        }
        ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>(tasks);
        Map<String, List<Manifest.Chunk>> done = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicBoolean failed = new AtomicBoolean();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers.size(), r -> {
            Thread th = new Thread(r, "arborist-dump");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Connection c : workers) {
                futures.add(pool.submit(() -> {
                    Task task;
                    try {
                        while (!failed.get() && (task = queue.poll()) != null) {
                            done.put(key(task), dumpChunk(sink, c, task, progress, failed));
                            if (chunksLeft.merge(task.tableIndex(), -1, Integer::sum) == 0) {
                                progress.tableDone(task.table().database() + "." + task.table().name());
                            }
                        }
                    } catch (Exception | Error e) {
                        if (failed.compareAndSet(false, true)) {
                            firstFailure.set(e);
                            for (Connection other : workers) {
                                if (other != c) {
                                    try {
                                        other.abort(Runnable::run);
                                    } catch (SQLException | RuntimeException ignored) {
                                        // already broken
                                    }
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    firstFailure.compareAndSet(null, e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed.set(true);
                    throw new ArboristException(ErrorKind.INTERRUPTED, "backup interrupted; the archive is incomplete", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Failures.rethrow(firstFailure.get(), ErrorKind.BACKUP, "backup failed");
        return done;
    }

    /**
     * Dumps a task's rows into one file, or, for a table without an integer key range (one task for the whole table),
     * into a new file every {@code chunkRows} rows, so that its restore can still be spread over workers and resumed
     * file by file.
     */
    private List<Manifest.Chunk> dumpChunk(ArchiveSink sink, Connection c, Task task, Progress progress, AtomicBoolean failed)
            throws SQLException, IOException {
        Manifest.Table t = task.table();
        boolean roll = t.rangeColumn().isEmpty();
        String where = Sql.rangeWhere(t.rangeColumn(), task.from(), task.to());
        String current = t.database() + "." + t.name();
        int n = t.columns().size();
        boolean[] hex = new boolean[n];
        for (int i = 0; i < n; i++) {
            hex[i] = t.columns().get(i).encoding().equals(Sql.HEX);
        }
        List<Manifest.Chunk> out = new ArrayList<>();
        try (Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            st.setFetchSize(Integer.MIN_VALUE);
            try (ResultSet rs = st.executeQuery(Sql.selectChunk(t.database(), t, where))) {
                boolean more = rs.next();
                do {
                    int number = roll ? out.size() : task.chunk();
                    ChunkFile f = new ChunkFile(sink, String.format(Locale.ROOT, "data/t%05d.c%05d.tsv.zst", task.tableIndex(), number));
                    RowCopier copier = new RowCopier(rs, f.writer, hex);
                    long rows = 0;
                    long sum = 0;
                    try {
                        while (more && (!roll || rows < s.chunkRows())) {
                            sum += copier.copyRow();
                            rows++;
                            if (rows % PROGRESS_EVERY == 0) {
                                if (failed.get()) {
                                    throw new ArboristException(ErrorKind.BACKUP, "backup stopped after another worker failed");
                                }
                                progress.add(current, PROGRESS_EVERY, 0);
                            }
                            more = rs.next();
                        }
                        f.close();
                    } catch (IOException | SQLException | RuntimeException e) {
                        f.abort();
                        throw e;
                    }
                    progress.add(current, rows % PROGRESS_EVERY, f.writer.bytes());
                    out.add(new Manifest.Chunk(number, f.name, roll ? "" : task.from(), roll ? "" : task.to(), rows,
                            f.writer.bytes(), f.stored, HexFormat.of().formatHex(f.sha.digest()), hex(sum)));
                } while (more);
            }
        }
        return out;
    }

    /** One zstd data file being written, with the SHA-256 and size of its compressed bytes. */
    private final class ChunkFile {
        final String name;
        final MessageDigest sha = ManifestIo.digest();
        final RowWriter writer;
        long stored;
        private final ArchiveSink sink;
        private final OutputStream out;
        private final OutputStream zout;

        ChunkFile(ArchiveSink sink, String name) throws IOException {
            this.name = name;
            this.sink = sink;
            this.out = sink.create(name);
            OutputStream counted = new java.io.FilterOutputStream(new DigestOutputStream(out, sha)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    stored += len;
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    stored++;
                }
            };
            this.zout = new ZstdCompressorOutputStream(new BufferedOutputStream(counted, 1 << 16), s.compressionLevel());
            this.writer = new RowWriter(zout);
        }

        void close() throws IOException {
            try (out; zout) {
                writer.flush();
            }
        }

        void abort() {
            sink.abort(out);
            try {
                zout.close();
            } catch (IOException | RuntimeException ignored) {
                // the file is discarded
            }
        }
    }

    private List<Manifest.Routine> objects(Connection c, List<String> dbs) throws SQLException {
        List<Manifest.Routine> out = new ArrayList<>();
        for (String db : dbs) {
            for (String type : List.of("FUNCTION", "PROCEDURE")) {
                for (String name : names(c, "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?"
                        + " AND ROUTINE_TYPE = '" + type + "' ORDER BY ROUTINE_NAME", db)) {
                    String[] r = row(c, "SHOW CREATE " + type + " " + Sql.id(db, name), 2, 3);
                    out.add(new Manifest.Routine(type, db, name, r[0], require(r[1], type, db, name)));
                }
            }
        }
        List<Manifest.Routine> views = new ArrayList<>();
        for (String db : dbs) {
            for (String name : names(c, "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", db)) {
                String[] r = row(c, "SHOW CREATE VIEW " + Sql.id(db, name), 2, 2);
                views.add(new Manifest.Routine("VIEW", db, name, "", require(r[1], "VIEW", db, name)));
            }
        }
        out.addAll(orderViews(views));
        for (String db : dbs) {
            for (String name : names(c, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?"
                    + " ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER", db)) {
                String[] r = row(c, "SHOW CREATE TRIGGER " + Sql.id(db, name), 2, 3);
                out.add(new Manifest.Routine("TRIGGER", db, name, r[0], require(r[1], "TRIGGER", db, name)));
            }
        }
        for (String db : dbs) {
            for (String name : names(c, "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY EVENT_NAME", db)) {
                String[] r = row(c, "SHOW CREATE EVENT " + Sql.id(db, name), 2, 4);
                out.add(new Manifest.Routine("EVENT", db, name, r[0], require(r[1], "EVENT", db, name)));
            }
        }
        return out;
    }

    private static String require(String ddl, String type, String db, String name) {
        if (ddl == null) {
            throw new ArboristException(ErrorKind.BACKUP, "cannot read the definition of " + type.toLowerCase(Locale.ROOT) + " "
                    + db + "." + name + ": missing privilege (SHOW VIEW / SELECT on mysql.proc or the routine's owner)");
        }
        return ddl;
    }

    /** Orders views so that every view comes after the views it mentions. */
    static List<Manifest.Routine> orderViews(List<Manifest.Routine> views) {
        List<Manifest.Routine> out = new ArrayList<>();
        Set<Manifest.Routine> placed = new LinkedHashSet<>();
        List<Manifest.Routine> pending = new ArrayList<>(views);
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (var it = pending.iterator(); it.hasNext();) {
                Manifest.Routine v = it.next();
                boolean ready = true;
                for (Manifest.Routine other : pending) {
                    if (other != v && v.createSql().contains(Sql.id(other.database(), other.name()))) {
                        ready = false;
                        break;
                    }
                }
                if (ready) {
                    out.add(v);
                    placed.add(v);
                    it.remove();
                    progress = true;
                }
            }
            if (!progress) {
                out.addAll(pending);
                break;
            }
        }
        return out;
    }

    /**
     * The accounts and roles with their grants, as statements to replay: first every role, then every user (a MySQL
     * user's {@code CREATE USER ... DEFAULT ROLE} needs its roles), then every grant (a role granted to a user needs
     * both). MySQL's roles are locked accounts ({@code SHOW CREATE USER} works for them); MariaDB's are not accounts
     * ({@code CREATE ROLE}), and its built-in {@code PUBLIC} role is never created, only its grants saved.
     */
    private List<String> users(Connection c, Manifest.Server server) throws SQLException {
        boolean mariadb = server.flavour().equals("mariadb");
        List<String[]> accounts = new ArrayList<>();
        String roles = mariadb ? "is_role = 'Y'"
                : "(User, Host) IN (SELECT FROM_USER, FROM_HOST FROM mysql.role_edges"
                + " UNION SELECT DEFAULT_ROLE_USER, DEFAULT_ROLE_HOST FROM mysql.default_roles)";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT User, Host, " + roles
                + " AS role_flag, IFNULL(plugin, '') FROM mysql.user ORDER BY role_flag DESC, User, Host")) {
            while (rs.next()) {
                if (!SKIPPED_USERS.contains(rs.getString(1))) {
                    accounts.add(new String[] {rs.getString(1), rs.getString(2), rs.getBoolean(3) ? "role" : "user", rs.getString(4)});
                }
            }
        }
        List<String> creates = new ArrayList<>();
        List<String> grants = new ArrayList<>();
        for (String[] a : accounts) {
            boolean role = a[2].equals("role");
            boolean mariaDbRole = mariadb && role;
            String account = mariaDbRole ? (a[0].equals("PUBLIC") ? "PUBLIC" : Sql.id(a[0])) : Sql.literal(a[0]) + "@" + Sql.literal(a[1]);
            if (role) {
                features.add("roles");
            } else if (!a[3].isEmpty()) {
                features.add("auth-plugin:" + a[3]);
            }
            if (mariaDbRole) {
                if (!a[0].equals("PUBLIC")) {
                    creates.add("CREATE ROLE " + account);
                }
            } else {
                creates.add(string(c, "SHOW CREATE USER " + account, 1));
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GRANTS FOR " + account)) {
                while (rs.next()) {
                    grants.add(rs.getString(1));
                }
            }
        }
        List<String> out = new ArrayList<>(creates);
        out.addAll(grants);
        return out;
    }

    private static List<String> names(Connection c, String sql, String... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static String string(Connection c, String sql, int column) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new SQLException("no result for " + sql);
            }
            return rs.getString(column);
        }
    }

    private static String[] row(Connection c, String sql, int a, int b) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new SQLException("no result for " + sql);
            }
            return new String[] {rs.getString(a), rs.getString(b)};
        }
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("closing a connection failed: {}", e.toString());
        }
    }
}
