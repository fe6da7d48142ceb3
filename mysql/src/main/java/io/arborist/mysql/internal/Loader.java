package io.arborist.mysql.internal;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.ConflictPolicy;
import io.arborist.core.backup.PartialRestore;
import io.arborist.core.backup.RestoreCleanup;
import io.arborist.core.backup.RestoreJournal;
import io.arborist.core.backup.RestoreReport;
import io.arborist.core.backup.TableCheck;
import io.arborist.core.backup.store.ReadAhead;
import io.arborist.mysql.DefinerPolicy;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restore engine: checks the archive (files, seal, what its statements ask) and the target before anything changes,
 * creates objects in order with statements it builds or has checked, loads chunks with N workers, verifies. Also
 * reports and cleans up an unfinished restore from its journal.
 */
public final class Loader {
    private static final Logger LOG = LoggerFactory.getLogger(Loader.class);
    /** Sort buffer of a deferred index build on MySQL 8.0.27+ ({@code innodb_ddl_buffer_size}; the server's default is 1 MiB). */
    private static final long DDL_BUFFER_BYTES = 64L << 20;
    private static final BigInteger MOD = BigInteger.ONE.shiftLeft(64);
    private static final String LOAD_SQL_MODE = "NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION";

    /** What to restore and how. */
    public record Settings(DataSource dataSource, char[] password, String target, Map<String, String> rename,
                           ConflictPolicy policy, int threads, boolean restoreUsers, boolean skipBinlog, DefinerPolicy definers,
                           BackupListener listener, Optional<ArchiveKey> key,
                           Optional<io.arborist.core.backup.store.EncryptionKey> encryption) {
    }

    /** Databases a restore never writes into under their own name. */
    private static final Set<String> SYSTEM_DATABASES = Set.of("mysql", "sys", "information_schema", "performance_schema");

    private static final int LOAD = 0;
    private static final int INDEX = 1;
    private static final int VERIFY = 2;

    /** A job of the restore pipeline: load a data file, add a table's deferred indexes, or verify a chunk's range. */
    private record Task(int kind, int tableIndex, Manifest.Table table, Manifest.Chunk chunk) {
    }

    private final Settings s;
    /** The target's {@code VERSION()}, read before any worker connects. */
    private String targetVersion = "";
    /** The target's {@code innodb_buffer_pool_size} (MySQL only; see {@link #defersIndexes}). */
    private long bufferPoolBytes;

    /** @param settings what to restore */
    public Loader(Settings settings) {
        this.s = settings;
    }

    private String db(String source) {
        return s.rename().getOrDefault(source, source);
    }

    /** @return a checked table statement (or part of one) with its databases renamed for the target */
    private String rewrite(String sql) {
        return ArchiveCheck.rename(sql, s.rename(), true, false);
    }

    /** Runs the restore from an archive directory or tar file. */
    public RestoreReport run(Path archive) {
        try (ArchiveFiles files = ArchiveFiles.open(archive, s.encryption())) {
            return run(files);
        }
    }

    /**
     * Checks the archive completely (with the key when there is one) and the renames; nothing is changed.
     *
     * @return the manifest
     * @throws ArboristException VERIFICATION naming every problem, CONFIGURATION for a rename the archive does not
     *                           fit or a system database as a target
     */
    private Manifest checked(ArchiveFiles files) {
        String dir = files.location();
        // from a store, each data file's SHA-256 is checked as it loads (one download); here its presence and size
        ManifestIo.Verified v = ManifestIo.verify(files, s.key(), !files.digestsWhileLoading());
        if (!v.problems().isEmpty()) {
            throw new ArboristException(ErrorKind.VERIFICATION, "archive " + dir + " failed verification; nothing was restored: "
                    + v.problems().size() + " problem(s)\n" + String.join("\n", v.problems()));
        }
        Manifest m = v.manifest();
        for (String renamed : s.rename().keySet()) {
            if (m.databases().stream().noneMatch(d -> d.name().equals(renamed))) {
                throw new ArboristException(ErrorKind.CONFIGURATION, "rename of '" + ArchiveCheck.shown(renamed) + "': the archive has"
                        + " no such database; it has " + m.databases().stream().map(d -> ArchiveCheck.shown(d.name())).toList());
            }
        }
        for (Manifest.Database d : m.databases()) {
            if (SYSTEM_DATABASES.contains(db(d.name()).toLowerCase(Locale.ROOT))) {
                throw new ArboristException(ErrorKind.CONFIGURATION, "the archive's database " + ArchiveCheck.shown(d.name())
                        + " would be restored into the system database " + ArchiveCheck.shown(db(d.name()))
                        + "; nothing was changed. Restore it under another name (rename " + ArchiveCheck.shown(d.name()) + "="
                        + ArchiveCheck.shown(d.name()) + "_restored)");
            }
        }
        return m;
    }

    private String settings(Manifest m) {
        return "rename=" + new java.util.TreeMap<>(s.rename()) + " manifest=" + m.checksum();
    }

    private RestoreJournal journal(ArchiveFiles files, Manifest m) {
        return RestoreJournal.open(files.journal(), s.target(), settings(m), m.databases().stream().map(d -> db(d.name())).toList());
    }

    /** Runs the restore from an opened archive (a directory, tar file or store). */
    public RestoreReport run(ArchiveFiles files) {
        long t0 = System.nanoTime();
        String dir = files.location();
        Manifest m = checked(files);
        List<Connection> workers = new ArrayList<>();
        try (RestoreJournal journal = journal(files, m);
             Connection main = Connections.open(s.dataSource(), ErrorKind.RESTORE, s.password())) {
            targetVersion = version(main);
            bufferPoolBytes = Sql.isMariaDb(targetVersion) ? 0 : bufferPool(main);
            session(main);
            checkCompatibility(main, m);
            checkDefiners(main, m);
            List<String[]> conflicts = checkConflicts(main, m, journal);
            checkOtherTables(main, m);
            // every check passed: from here on the target changes, and the journal records it
            dropConflicts(main, conflicts, journal);
            createSchema(main, m, journal);

            List<Task> tasks = new ArrayList<>();
            long rowsTotal = 0;
            int[] chunksLeft = new int[m.tables().size()];
            for (int i = 0; i < m.tables().size(); i++) {
                Manifest.Table t = m.tables().get(i);
                for (Manifest.Chunk c : t.chunks()) {
                    if (!journal.isDone(chunkKey(c))) {
                        tasks.add(new Task(LOAD, i, t, c));
                        rowsTotal += c.rows();
                        chunksLeft[i]++;
                    }
                }
            }
            // biggest data files first, so that the last jobs are small ones and both workers stay busy to the end
            tasks.sort((a, b) -> Long.compare(b.chunk().bytes(), a.chunk().bytes()));
            int jobs = tasks.size();
            for (Manifest.Table t : m.tables()) {
                jobs += t.chunks().size();
            }
            int threads = Math.max(1, Math.min(s.threads(), jobs));
            for (int i = 0; i < threads; i++) {
                Connection c = Connections.openForLoading(s.dataSource(), ErrorKind.RESTORE, s.password());
                workers.add(c);
                session(c);
                c.setAutoCommit(false);
            }
            Progress progress = new Progress("restore", s.listener());
            progress.totals(rowsTotal, m.tables().size());
            AtomicInteger loaded = new AtomicInteger();
            AtomicLong rows = new AtomicLong();
            Pipeline pipeline = new Pipeline();
            Verification verification = new Verification(m);
            AtomicInteger[] left = new AtomicInteger[m.tables().size()];
            for (int i = 0; i < left.length; i++) {
                left[i] = new AtomicInteger(chunksLeft[i]);
            }
            for (Task task : tasks) {
                pipeline.addLast(task);
            }
            for (int i = 0; i < left.length; i++) {
                if (chunksLeft[i] == 0) {
                    tableLoaded(pipeline, journal, i, m.tables().get(i));
                }
            }
            parallel(workers.isEmpty() ? List.of(main) : workers, pipeline, (c, task) -> {
                switch (task.kind()) {
                    case LOAD -> {
                        loadChunk(files, c, task, journal, progress);
                        loaded.incrementAndGet();
                        rows.addAndGet(task.chunk().rows());
                        if (left[task.tableIndex()].decrementAndGet() == 0) {
                            tableLoaded(pipeline, journal, task.tableIndex(), task.table());
                        }
                    }
                    case INDEX -> addIndexes(c, task, journal);
                    default -> {
                        verifyChunk(c, task, m, verification);
                        if (verification.chunkDone(task.tableIndex())) {
                            progress.tableDone(db(task.table().database()) + "." + task.table().name());
                        }
                    }
                }
            });

            createObjects(main, m, journal);
            if (s.restoreUsers() && !journal.isDone("users")) {
                for (String stmt : m.users()) {
                    Connections.exec(main, stmt.replaceFirst("^CREATE USER ", "CREATE USER IF NOT EXISTS ")
                            .replaceFirst("^CREATE ROLE ", "CREATE ROLE IF NOT EXISTS "));
                }
                journal.done("users");
            }
            List<TableCheck> checks = verification.checks();
            int skipped = (int) journal.doneSteps().stream().filter(k -> k.startsWith("chunk ")).count() - loaded.get();
            RestoreReport report = new RestoreReport(checks, journal.resumed(), loaded.get(), skipped, rows.get(),
                    Duration.ofNanos(System.nanoTime() - t0));
            if (!report.allMatch()) {
                throw new ArboristException(ErrorKind.RESTORE, "restore verification failed: "
                        + report.mismatches().stream().map(TableCheck::describe).toList());
            }
            journal.finish();
            LOG.info("restored {} tables ({} chunks, {} rows) from {}", checks.size(), loaded.get(), rows.get(), dir);
            return report;
        } catch (SQLException e) {
            throw Connections.failure(ErrorKind.RESTORE, "restore from " + dir + " failed (run it again to resume)", e, s.password());
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.RESTORE, "restore from " + dir + " failed: " + e.getMessage(), e);
        } finally {
            for (Connection c : workers) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /**
     * Drops what an unfinished restore of this archive into this target created (the objects, tables and databases its
     * journal records as started; a database only when nothing else is left in it), then retires the journal. Rows
     * appended to tables that existed before, users and grants are left as they are.
     *
     * @return what was dropped and what was kept, one line each
     */
    public RestoreCleanup cleanup(Path archive) {
        try (ArchiveFiles files = ArchiveFiles.open(archive, s.encryption())) {
            return cleanup(files);
        }
    }

    /** As {@link #cleanup(Path)} for an opened archive. */
    public RestoreCleanup cleanup(ArchiveFiles files) {
        Manifest m = checked(files);
        Optional<RestoreJournal.State> state = RestoreJournal.read(files.journal());
        if (state.isEmpty()) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "no unfinished restore of " + files.location()
                    + " to clean up (no journal " + files.journal() + ")");
        }
        if (!state.get().target().equals(s.target()) || !state.get().settings().equals(settings(m))) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "the unfinished restore of " + files.location() + " went to "
                    + state.get().target() + " with other settings; clean it up with the same URL, user and renames");
        }
        RestoreJournal.State j = state.get();
        List<String> out = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        try (Connection c = Connections.open(s.dataSource(), ErrorKind.RESTORE, s.password())) {
            for (int i = m.objects().size() - 1; i >= 0; i--) {
                Manifest.Routine r = m.objects().get(i);
                if (j.begun().contains("object " + i)) {
                    Connections.exec(c, "DROP " + r.type() + " IF EXISTS " + Sql.id(db(r.database()), r.name()));
                    out.add(r.type().toLowerCase(Locale.ROOT) + " " + db(r.database()) + "." + r.name());
                }
            }
            for (int i = m.tables().size() - 1; i >= 0; i--) {
                Manifest.Table t = m.tables().get(i);
                if (j.begun().contains("table " + i)) {
                    Connections.exec(c, "DROP TABLE IF EXISTS " + Sql.id(db(t.database()), t.name()));
                    out.add("table " + db(t.database()) + "." + t.name());
                }
            }
            for (int i = 0; i < m.databases().size(); i++) {
                String target = db(m.databases().get(i).name());
                if (!j.begun().contains("database " + i)) {
                    continue;
                }
                if (exists(c, "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? UNION ALL SELECT 1 FROM"
                        + " information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? UNION ALL SELECT 1 FROM information_schema.EVENTS"
                        + " WHERE EVENT_SCHEMA = ?", target, target, target)) {
                    kept.add("database " + target + ": it holds objects this restore did not create");
                } else {
                    Connections.exec(c, "DROP DATABASE IF EXISTS " + Sql.id(target));
                    out.add("database " + target);
                }
            }
        } catch (SQLException e) {
            throw Connections.failure(ErrorKind.RESTORE, "cleanup of the restore from " + files.location() + " failed (run it"
                    + " again)", e, s.password());
        }
        journal(files, m).cleaned();
        LOG.info("cleaned up the unfinished restore from {}: dropped {}, kept {}", files.location(), out, kept);
        return new RestoreCleanup(out, kept);
    }

    /**
     * @param archive an archive directory or tar file
     * @return its unfinished restore, if its journal records one that changed its target: the target, the target
     *     databases, and the data files loaded out of all
     */
    public static Optional<PartialRestore> unfinished(Path archive) {
        if (Files.isDirectory(archive) && Files.isRegularFile(archive.resolve(io.arborist.core.backup.store.ArchiveWriter.MARKER))) {
            // an archive written through a store keeps its journal in the directory too; its manifest may need a key
            return unfinished(archive.resolve(ArchiveFiles.JOURNAL), () -> 0);
        }
        try (ArchiveFiles files = ArchiveFiles.open(archive)) {
            return unfinished(files.journal(), () -> ManifestIo.read(files).tables().stream().mapToInt(t -> t.chunks().size()).sum());
        }
    }

    /**
     * @param journal where a restore of the archive keeps its journal
     * @param chunks counts the archive's data files (throws ArboristException when it cannot)
     * @return the unfinished restore its journal records, if any
     */
    public static Optional<PartialRestore> unfinished(Path journal, java.util.function.IntSupplier chunks) {
        Optional<RestoreJournal.State> state = RestoreJournal.read(journal);
        if (state.isEmpty() || !state.get().changed()) {
            return Optional.empty();
        }
        int total = 0;
        try {
            total = chunks.getAsInt();
        } catch (ArboristException e) {
            // the journal still says what it did; the total is unknown
        }
        int loaded = (int) state.get().done().stream().filter(k -> k.startsWith("chunk ")).count();
        return Optional.of(new PartialRestore(journal, state.get().target(), state.get().databases(), List.of(),
                state.get().interrupted(), loaded, total));
    }

    private static String chunkKey(Manifest.Chunk c) {
        return "chunk " + c.file();
    }

    private static String version(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long bufferPool(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@GLOBAL.innodb_buffer_pool_size")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private void session(Connection c) throws SQLException {
        Connections.exec(c, "SET NAMES utf8mb4", "SET SESSION time_zone = '+00:00'", "SET SESSION foreign_key_checks = 0",
                "SET SESSION unique_checks = 0", "SET SESSION sql_mode = '" + LOAD_SQL_MODE + "'",
                "SET SESSION net_write_timeout = 3600, net_read_timeout = 3600, wait_timeout = 86400");
        if (!Sql.isMariaDb(targetVersion) && Sql.atLeast(targetVersion, 8, 0, 30)) {
            try {
                // a table saved without a primary key comes back without one, whatever the target's default (a saved
                // generated invisible primary key is an ordinary column of the saved definition)
                Connections.exec(c, "SET SESSION sql_generate_invisible_primary_key = OFF");
            } catch (SQLException e) {
                LOG.warn("sql_generate_invisible_primary_key left as the server sets it: {}", e.getMessage());
            }
        }
        if (!Sql.isMariaDb(targetVersion) && Sql.atLeast(targetVersion, 8, 0, 27)) {
            try {
                // the deferred indexes are sorted in this buffer, shared by the DDL threads (MySQL 8.0.27+, session scope; the
                // default 1 MiB makes every index build a many-pass merge): MySQL 8.0 manual, "Configuring Parallel Threads
                // for Online DDL Operations"
                Connections.exec(c, "SET SESSION innodb_ddl_buffer_size = " + DDL_BUFFER_BYTES);
            } catch (SQLException e) {
                LOG.debug("innodb_ddl_buffer_size left as the server sets it: {}", e.getMessage());
            }
        }
        if (s.skipBinlog()) {
            try {
                // opted in: like myloader, the restore is not written to the binary log (needs SUPER or BINLOG ADMIN)
                Connections.exec(c, "SET SESSION sql_log_bin = 0");
            } catch (SQLException e) {
                LOG.debug("sql_log_bin left on: {}", e.getMessage());
            }
        }
    }

    private boolean exists(Connection c, String sql, String... args) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private boolean objectExists(Connection c, String type, String db, String name) throws SQLException {
        switch (type) {
            case "TABLE":
            case "VIEW":
                return exists(c, "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", db, name);
            case "TRIGGER":
                return exists(c, "SELECT 1 FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME = ?", db, name);
            case "EVENT":
                return exists(c, "SELECT 1 FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? AND EVENT_NAME = ?", db, name);
            default:
                return exists(c, "SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_NAME = ?"
                        + " AND ROUTINE_TYPE = ?", db, name, type);
        }
    }

    /**
     * Refuses, before anything changes, an archive that needs what the target lacks (see {@link Compatibility}), and a
     * target that refuses {@code LOAD DATA LOCAL INFILE} (MySQL 8 starts with {@code local_infile=OFF}).
     */
    private void checkCompatibility(Connection c, Manifest m) throws SQLException {
        boolean local;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@GLOBAL.local_infile")) {
            local = rs.next() && rs.getBoolean(1);
        }
        if (!local && m.tables().stream().anyMatch(t -> t.rows() > 0)) {
            throw new ArboristException(ErrorKind.RESTORE, "the target (" + targetVersion + ") has local_infile=OFF, and the"
                    + " restore loads rows with LOAD DATA LOCAL INFILE; nothing was changed. Run SET GLOBAL local_infile = ON"
                    + " (SUPER or SYSTEM_VARIABLES_ADMIN; SET GLOBAL local_infile = OFF afterwards if you like), or start the"
                    + " server with --local-infile=1");
        }
        List<String> problems = Compatibility.problems(m, c, targetVersion, this::db, s.restoreUsers());
        if (!problems.isEmpty()) {
            throw new ArboristException(ErrorKind.RESTORE, "the target (" + targetVersion + ") cannot take this archive of "
                    + m.server().flavour() + " " + m.server().version() + ": " + String.join("; ", problems.stream().limit(10).toList())
                    + (problems.size() > 10 ? "; and " + (problems.size() - 10) + " more" : "") + "; nothing was changed."
                    + " Restore into a server that has these, or change them on the source before the backup");
        }
    }

    /**
     * Under {@link DefinerPolicy#KEEP}, refuses before anything changes when an object's definer is not an account of
     * the target (nor among the users restored with the archive).
     */
    private void checkDefiners(Connection c, Manifest m) {
        if (s.definers() == DefinerPolicy.CURRENT_USER) {
            return;
        }
        Map<String, List<String>> objects = new java.util.TreeMap<>();
        for (Manifest.Routine r : m.objects()) {
            String definer = Sql.definer(r.createSql());
            if (!definer.isEmpty()) {
                objects.computeIfAbsent(definer, k -> new ArrayList<>()).add(r.type().toLowerCase(Locale.ROOT) + " "
                        + db(r.database()) + "." + r.name());
            }
        }
        if (objects.isEmpty()) {
            return;
        }
        Set<String> accounts = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT User, Host FROM mysql.user")) {
            while (rs.next()) {
                accounts.add(Sql.account(rs.getString(1), rs.getString(2)));
            }
        } catch (SQLException e) {
            LOG.warn("cannot list the target's accounts ({}); the definers of restored objects are not checked", e.getMessage());
            return;
        }
        if (s.restoreUsers()) {
            for (String statement : m.users()) {
                String account = Sql.createdAccount(statement);
                if (!account.isEmpty()) {
                    accounts.add(account);
                }
            }
        }
        objects.keySet().removeAll(accounts);
        if (!objects.isEmpty()) {
            List<String> missing = objects.entrySet().stream().map(e -> e.getKey() + " (definer of " + String.join(", ",
                    e.getValue().stream().limit(5).toList()) + (e.getValue().size() > 5 ? ", ..." : "") + ")").toList();
            throw new ArboristException(ErrorKind.RESTORE, "the target has no account " + String.join("; ", missing)
                    + "; nothing was changed. Create the account(s), restore the archive's users (restoreUsers, --restore-users),"
                    + " or let the restoring account own these objects (DefinerPolicy.CURRENT_USER, --definers current-user)");
        }
    }

    /**
     * Finds the archive's objects that already exist on the target (other than those this restore created, when it
     * resumes); refuses them under {@link ConflictPolicy#FAIL}.
     *
     * @return the conflicts, as type, database and name: dropped before anything is created under
     *     {@link ConflictPolicy#DROP}, kept under {@link ConflictPolicy#APPEND}
     */
    private List<String[]> checkConflicts(Connection c, Manifest m, RestoreJournal journal) throws SQLException {
        List<String[]> found = new ArrayList<>();
        for (int i = 0; i < m.tables().size(); i++) {
            Manifest.Table t = m.tables().get(i);
            if (!journal.isDone("table " + i) && !journal.begun("table " + i) && objectExists(c, "TABLE", db(t.database()), t.name())) {
                found.add(new String[] {"TABLE", db(t.database()), t.name()});
            }
        }
        for (int i = 0; i < m.objects().size(); i++) {
            Manifest.Routine r = m.objects().get(i);
            if (!journal.isDone("object " + i) && !journal.begun("object " + i) && objectExists(c, r.type(), db(r.database()), r.name())) {
                found.add(new String[] {r.type(), db(r.database()), r.name()});
            }
        }
        if (!found.isEmpty() && s.policy() == ConflictPolicy.FAIL) {
            List<String> names = found.stream().limit(20).map(f -> f[0].toLowerCase(Locale.ROOT) + " " + f[1] + "." + f[2]).toList();
            throw new ArboristException(ErrorKind.RESTORE, "target is not empty: " + found.size() + " object(s) of the archive exist "
                    + names + "; nothing was changed. Restore into another database (rename), or choose the DROP or APPEND policy");
        }
        return s.policy() == ConflictPolicy.DROP ? found : List.of();
    }

    /**
     * Refuses, unless the policy is {@link ConflictPolicy#APPEND}, a target database that holds tables or views the
     * archive does not have: the restore would otherwise merge into it silently.
     */
    private void checkOtherTables(Connection c, Manifest m) throws SQLException {
        if (s.policy() == ConflictPolicy.APPEND) {
            return;
        }
        List<String> others = new ArrayList<>();
        for (Manifest.Database d : m.databases()) {
            Set<String> own = new HashSet<>();
            m.tables().stream().filter(t -> t.database().equals(d.name())).forEach(t -> own.add(t.name()));
            m.objects().stream().filter(o -> o.type().equals("VIEW") && o.database().equals(d.name())).forEach(o -> own.add(o.name()));
            String target = db(d.name());
            try (var ps = c.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME")) {
                ps.setString(1, target);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!own.contains(rs.getString(1))) {
                            others.add(target + "." + rs.getString(1));
                        }
                    }
                }
            }
        }
        if (!others.isEmpty()) {
            throw new ArboristException(ErrorKind.RESTORE, "target database(s) already hold " + others.size() + " table(s) the"
                    + " archive does not have " + others.stream().limit(20).map(ArchiveCheck::shown).toList()
                    + "; nothing was changed. Restore into a new database (rename), drop the database first, or merge into it"
                    + " with the APPEND policy (--if-exists append)");
        }
    }

    private void dropConflicts(Connection c, List<String[]> found, RestoreJournal journal) throws SQLException {
        for (String[] f : found) {
            String what = f[0];
            if (what.equals("TABLE") && exists(c, "SELECT 1 FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", f[1], f[2])) {
                what = "VIEW";
            }
            LOG.info("dropping existing {} {}.{}", what.toLowerCase(Locale.ROOT), f[1], f[2]);
            journal.begin("drop " + what.toLowerCase(Locale.ROOT) + " " + f[1] + "." + f[2]);
            Connections.exec(c, "DROP " + what + " IF EXISTS " + Sql.id(f[1], f[2]));
        }
    }

    /**
     * Creates the databases (with a statement built here: the target's name and the archive's checked character set,
     * collation, encryption and comment) and the tables, recording in the journal what this restore creates.
     */
    private void createSchema(Connection c, Manifest m, RestoreJournal journal) throws SQLException {
        for (int i = 0; i < m.databases().size(); i++) {
            Manifest.Database d = m.databases().get(i);
            String target = db(d.name());
            String key = "database " + i;
            if (journal.isDone(key)) {
                continue;
            }
            if (!journal.begun(key) && exists(c, "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", target)) {
                continue; // not ours: a cleanup keeps it
            }
            journal.begin(key);
            Connections.exec(c, "CREATE DATABASE IF NOT EXISTS " + Sql.id(target) + ArchiveCheck.databaseOptions(d));
            journal.done(key);
        }
        for (int i = 0; i < m.tables().size(); i++) {
            Manifest.Table t = m.tables().get(i);
            String key = "table " + i;
            if (journal.isDone(key)) {
                continue;
            }
            boolean ours = journal.begun(key);
            if (!ours && s.policy() == ConflictPolicy.APPEND && objectExists(c, "TABLE", db(t.database()), t.name())) {
                journal.done(key);
                continue;
            }
            DeferredIndexes d = DeferredIndexes.split(t.createSql());
            boolean defer;
            if (ours && objectExists(c, "TABLE", db(t.database()), t.name())) {
                LOG.info("table {}.{} was created before the interruption", db(t.database()), t.name());
                // with or without its secondary indexes: the table says which
                defer = !d.clauses().isEmpty() && !hasFirst(c, t, d.clauses().stream().map(this::rewrite).toList());
            } else {
                defer = !d.clauses().isEmpty() && defersIndexes(t);
                journal.begin(key);
                Connections.exec(c, "USE " + Sql.id(db(t.database())), rewrite(defer ? d.create() : t.createSql()));
            }
            if (defer) {
                journal.done("deferred " + i);
            }
            journal.done(key);
        }
    }

    /** Creates views, routines, triggers and events from their checked statements, renamed for the target. */
    private void createObjects(Connection c, Manifest m, RestoreJournal journal) throws SQLException {
        boolean mysql = !Sql.isMariaDb(targetVersion);
        for (int i = 0; i < m.objects().size(); i++) {
            Manifest.Routine r = m.objects().get(i);
            String key = "object " + i;
            if (journal.isDone(key)) {
                continue;
            }
            String target = db(r.database());
            boolean ours = journal.begun(key);
            if (ours && objectExists(c, r.type(), target, r.name())) {
                journal.done(key);
                continue;
            }
            if (!ours && s.policy() == ConflictPolicy.APPEND && objectExists(c, r.type(), target, r.name())) {
                journal.done(key);
                continue;
            }
            boolean[] reading = ArchiveCheck.flags(r.sqlMode(), mysql);
            String sql = ArchiveCheck.rename(s.definers() == DefinerPolicy.CURRENT_USER ? Sql.withoutDefiner(r.createSql())
                    : r.createSql(), s.rename(), reading[0], reading[1]);
            journal.begin(key);
            try {
                Connections.exec(c, "USE " + Sql.id(target), "SET SESSION sql_mode = " + Sql.literal(Sql.sqlModeFor(r.sqlMode(), mysql)));
                Connections.exec(c, sql);
            } catch (SQLException e) {
                throw new SQLException("cannot create " + r.type().toLowerCase(Locale.ROOT) + " " + target + "." + r.name() + ": "
                        + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
            } finally {
                Connections.exec(c, "SET SESSION sql_mode = '" + LOAD_SQL_MODE + "'");
            }
            journal.done(key);
        }
    }

    private void loadChunk(ArchiveFiles files, Connection c, Task task, RestoreJournal journal, Progress progress)
            throws SQLException, IOException {
        Manifest.Table t = task.table();
        Manifest.Chunk chunk = task.chunk();
        String key = chunkKey(chunk);
        String target = db(t.database());
        String current = target + "." + t.name();
        if (journal.interrupted(key)) {
            // a crash may have come before or after this chunk's commit: the per-chunk transaction makes it all or nothing
            long present;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + Sql.id(target, t.name())
                    + Sql.rangeWhere(t.rangeColumn(), chunk.from(), chunk.to()))) {
                rs.next();
                present = rs.getLong(1);
            }
            c.commit();
            if (present == chunk.rows()) {
                LOG.info("chunk {} of {} was committed before the interruption", chunk.index(), current);
                journal.done(key);
                progress.add(current, chunk.rows(), chunk.bytes());
                return;
            }
            if (present != 0) {
                throw new ArboristException(ErrorKind.RESTORE, "cannot resume: " + current + " holds " + present + " rows in the range of chunk "
                        + chunk.index() + " (expected 0 or " + chunk.rows() + "); drop the table and restore again");
            }
        }
        journal.begin(key);
        Optional<DigestedFile> digested = files.digestsWhileLoading()
                ? Optional.of(new DigestedFile(files.open(chunk.file()), chunk.sha256())) : Optional.empty();
        InputStream source = digested.isPresent() ? digested.get() : files.open(chunk.file());
        try {
            long n;
            // decompressed on its own thread while this one sends (as zstd -dc | mariadb)
            try (InputStream in = new ReadAhead(new ZstdCompressorInputStream(new BufferedInputStream(source, 1 << 16)),
                    "arborist-mysql-read");
                 Statement st = c.createStatement()) {
                n = Connections.feed(st, in, Sql.loadData(target, t));
                SQLWarning w = st.getWarnings();
                if (w != null) {
                    LOG.warn("loading {} chunk {}: {}", current, chunk.index(), w.getMessage());
                }
            } catch (SQLException | IOException e) {
                // a damaged file can fail to decompress or to load before its end: say what it is rather than the symptom
                if (digested.isPresent() && !intactAfterFailure(digested.get())) {
                    throw damaged(chunk, current);
                }
                throw e;
            }
            if (digested.isPresent() && !digested.get().intact()) {
                throw damaged(chunk, current);
            }
            if (n != chunk.rows()) {
                throw new ArboristException(ErrorKind.RESTORE, "loading " + current + " chunk " + chunk.index() + " read " + n
                        + " rows, the manifest says " + chunk.rows() + "; nothing of this chunk was kept");
            }
            c.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is gone; the server rolls back
            }
            throw e;
        } finally {
            if (digested.isPresent()) {
                digested.get().release();
            }
        }
        journal.done(key);
        progress.add(current, chunk.rows(), chunk.bytes());
    }

    /** @return whether a data file whose load failed has its manifest's digest (true when that cannot be known) */
    private static boolean intactAfterFailure(DigestedFile file) {
        try {
            return file.intact();
        } catch (IOException e) {
            return true; // unreadable, not known to be damaged: the load's own failure says more
        }
    }

    private ArboristException damaged(Manifest.Chunk chunk, String table) {
        return new ArboristException(ErrorKind.VERIFICATION, "data file " + chunk.file() + " (" + table + ", chunk " + chunk.index()
                + ") is damaged: SHA-256 differs from the manifest; nothing of it was loaded, " + table + " is incomplete and"
                + " the restore stopped. Restore from an intact copy of the archive (--cleanup drops what this restore created)");
    }

    /** After a table's last data file: its deferred indexes first in line, its verification after the other loads. */
    private void tableLoaded(Pipeline pipeline, RestoreJournal journal, int i, Manifest.Table t) {
        if (journal.isDone("deferred " + i) && !journal.isDone("indexes " + i)) {
            pipeline.addFirst(new Task(INDEX, i, t, null));
        }
        // a table split by key range is read back range by range; a table without one (its files split by row count)
        // is read back once, whole
        for (Manifest.Chunk c : t.rangeColumn().isEmpty() ? t.chunks().subList(0, 1) : t.chunks()) {
            pipeline.addLast(new Task(VERIFY, i, t, c));
        }
    }

    /** Adds a table's deferred secondary indexes and foreign keys in one ALTER TABLE (foreign key checks off). */
    private void addIndexes(Connection c, Task task, RestoreJournal journal) throws SQLException {
        Manifest.Table t = task.table();
        String key = "indexes " + task.tableIndex();
        String table = Sql.id(db(t.database()), t.name());
        List<String> clauses = DeferredIndexes.split(t.createSql()).clauses().stream().map(this::rewrite).toList();
        if (journal.interrupted(key) && !clauses.isEmpty()) {
            // the ALTER is atomic: after a crash either all or none of the indexes exist
            if (hasFirst(c, t, clauses)) {
                clauses = List.of();
            }
            c.commit();
        }
        journal.begin(key);
        if (!clauses.isEmpty()) {
            long t0 = System.nanoTime();
            Connections.exec(c, "ALTER TABLE " + table + " " + String.join(", ", clauses));
            LOG.debug("added {} deferred indexes to {} in {} ms", clauses.size(), table, (System.nanoTime() - t0) / 1_000_000);
        }
        journal.done(key);
    }

    /** @return whether the restored table has the index or foreign key the first of its deferred clauses adds */
    private boolean hasFirst(Connection c, Manifest.Table t, List<String> clauses) throws SQLException {
        String first = DeferredIndexes.identifier(clauses.get(0), clauses.get(0).indexOf('`'));
        String sql = clauses.get(0).startsWith("ADD CONSTRAINT ")
                ? "SELECT 1 FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = ?"
                : "SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = ?";
        return exists(c, sql, db(t.database()), t.name(), first);
    }

    /**
     * Whether a table's secondary indexes and foreign keys are added after its rows ({@link DeferredIndexes}) or created
     * with it. On MariaDB, always after. On MySQL, only for a table whose rows outgrow the buffer pool: MySQL writes an
     * index built after the load to disk before the ALTER returns (its sorted build is not redo-logged), which costs
     * more than keeping the indexes up to date row by row in memory, as long as the table fits there.
     */
    private boolean defersIndexes(Manifest.Table t) {
        return Sql.isMariaDb(targetVersion) || t.bytes() > bufferPoolBytes;
    }

    /** Reads a chunk's range of a restored table back and adds its row count and checksum to the verification. */
    private void verifyChunk(Connection c, Task task, Manifest m, Verification v) throws SQLException, IOException {
        Manifest.Table t = task.table();
        Manifest.Chunk chunk = task.chunk();
        String target = db(t.database());
        String where = Sql.rangeWhere(t.rangeColumn(), chunk.from(), chunk.to());
        String algorithm = Sql.hashOf(m);
        long rows = 0;
        long sum = 0;
        try {
            if (Sql.serverSide(algorithm)) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(Sql.checksumQuery(target, t, where, algorithm))) {
                    rs.next();
                    rows = rs.getLong(1);
                    sum = new BigInteger(rs.getString(2)).mod(MOD).longValue();
                }
            } else if (Sql.HASH_CLIENT.equals(algorithm)) {
                try (Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                    st.setFetchSize(Integer.MIN_VALUE);
                    try (ResultSet rs = st.executeQuery(Sql.selectChunk(target, t, where))) {
                        RowCopier copier = new RowCopier(rs, null, new boolean[t.columns().size()]);
                        while (rs.next()) {
                            sum += copier.copyRow();
                            rows++;
                        }
                    }
                }
            } else {
                throw new ArboristException(ErrorKind.VERIFICATION, "the archive's row hash '" + algorithm
                        + "' is unknown to this Arborist; use a newer Arborist");
            }
        } finally {
            c.commit();
        }
        v.add(task.tableIndex(), rows, sum);
    }

    /** Per table: the sums of its chunks' row counts and checksums, as they are verified. */
    private final class Verification {
        private final Manifest m;
        private final long[] rows;
        private final long[] sums;
        private final int[] left;

        Verification(Manifest m) {
            this.m = m;
            int n = m.tables().size();
            rows = new long[n];
            sums = new long[n];
            left = new int[n];
            for (int i = 0; i < n; i++) {
                Manifest.Table t = m.tables().get(i);
                left[i] = t.rangeColumn().isEmpty() ? 1 : t.chunks().size();
            }
        }

        synchronized void add(int table, long n, long sum) {
            rows[table] += n;
            sums[table] += sum;
        }

        /** @return whether this was the table's last chunk */
        synchronized boolean chunkDone(int table) {
            return --left[table] == 0;
        }

        synchronized List<TableCheck> checks() {
            List<TableCheck> out = new ArrayList<>();
            for (int i = 0; i < rows.length; i++) {
                Manifest.Table t = m.tables().get(i);
                out.add(TableCheck.of(db(t.database()), t.name(), t.rows(), rows[i], t.checksum(), Dumper.hex(sums[i])));
            }
            return out;
        }
    }

    private interface Work {
        void run(Connection c, Task task) throws SQLException, IOException;
    }

    /** A queue of jobs that jobs add to; empty and idle means finished. */
    private static final class Pipeline {
        private final LinkedBlockingDeque<Task> deque = new LinkedBlockingDeque<>();
        private final AtomicInteger pending = new AtomicInteger();

        void addFirst(Task t) {
            pending.incrementAndGet();
            deque.addFirst(t);
        }

        void addLast(Task t) {
            pending.incrementAndGet();
            deque.addLast(t);
        }
    }

    private static void parallel(List<Connection> conns, Pipeline pipeline, Work work) throws SQLException, IOException {
        if (pipeline.pending.get() == 0) {
            return;
        }
        AtomicBoolean failed = new AtomicBoolean();
        AtomicReference<Throwable> first = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(conns.size(), r -> {
            Thread th = new Thread(r, "arborist-load");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Connection c : conns) {
                futures.add(pool.submit(() -> {
                    try {
                        while (!failed.get() && pipeline.pending.get() > 0) {
                            Task t = pipeline.deque.pollFirst(20, TimeUnit.MILLISECONDS);
                            if (t != null) {
                                work.run(c, t);
                                pipeline.pending.decrementAndGet();
                            }
                        }
                    } catch (Exception | Error e) {
                        if (failed.compareAndSet(false, true)) {
                            first.set(e);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    first.compareAndSet(null, e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ArboristException(ErrorKind.INTERRUPTED, "restore interrupted; run it again to resume", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Failures.rethrow(first.get(), ErrorKind.RESTORE, "restore failed");
    }

    /** Convenience for messages: the tables of a manifest by name. */
    static Map<String, Manifest.Table> byName(Manifest m) {
        Map<String, Manifest.Table> out = new LinkedHashMap<>();
        for (Manifest.Table t : m.tables()) {
            out.put(t.database() + "." + t.name(), t);
        }
        return out;
    }
}
