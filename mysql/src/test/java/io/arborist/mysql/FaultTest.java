package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ConflictPolicy;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.RestoreReport;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultTest {
    private static final String SECRET = "s3cr3t-Pa55word!";
    private DbServer server;

    private final java.util.Set<ServerKind> prepared = new java.util.HashSet<>();

    /** The data, once per server (the instance lives for the whole class). */
    @BeforeEach
    void data(DbServer server) throws Exception {
        this.server = server;
        if (!prepared.add(server.kind())) {
            return;
        }
        server.sql("DROP DATABASE IF EXISTS fault_src", "CREATE DATABASE fault_src",
                "CREATE TABLE fault_src.big (id INT PRIMARY KEY, g INT, pad VARCHAR(100), b BLOB)", "USE fault_src",
                "INSERT INTO fault_src.big SELECT seq, seq % 7, REPEAT(CHAR(65 + seq % 26), 60), RANDOM_BYTES(20) FROM " + DbServer.seq(200_000), "ANALYZE TABLE fault_src.big",
                "CREATE TABLE fault_src.small (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO fault_src.small VALUES (1, 'a'), (2, 'b')",
                "CREATE USER IF NOT EXISTS 'dumper'@'%' IDENTIFIED BY '" + SECRET + "'",
                "GRANT SELECT, RELOAD, SHOW VIEW, EVENT, TRIGGER, PROCESS ON *.* TO 'dumper'@'%'",
                "CREATE USER IF NOT EXISTS 'plain'@'%' IDENTIFIED BY '" + SECRET + "'",
                "GRANT SELECT, SHOW VIEW ON fault_src.* TO 'plain'@'%'",
                "CREATE USER IF NOT EXISTS 'reader'@'%' IDENTIFIED BY '" + SECRET + "'",
                "GRANT SELECT ON fault_src.* TO 'reader'@'%'");
    }

    private MySqlBackup.Builder backup(String user, String password) {
        return MySqlBackup.using(server.url(), Credentials.of(user, password.toCharArray())).databases("fault_src").parallelism(2).chunkRows(20_000);
    }

    private Path archive(Path tmp) {
        Path dir = tmp.resolve("a");
        backup("root", "").build().backup(dir);
        return dir;
    }

    private static Path firstDataFile(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("data"))) {
            return s.sorted().findFirst().orElseThrow();
        }
    }

    @EachServer
    void wrongPasswordIsAClearErrorWithoutThePassword(@TempDir Path tmp) {
        ArboristException e = catchThrowableOfType(ArboristException.class,
                () -> backup("dumper", "wrong-" + SECRET).build().backup(tmp.resolve("x")));
        assertThat(e.kind()).isEqualTo(ErrorKind.BACKUP);
        assertThat(e.getMessage()).contains("cannot connect").contains("Access denied").doesNotContain(SECRET);
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET);
        }
        assertThat(backup("dumper", SECRET).build().toString()).doesNotContain(SECRET);
    }

    @EachServer
    void missingReloadPrivilegeFallsBackToOneTransactionAndSaysSo(@TempDir Path tmp) {
        MySqlArchive a = backup("plain", SECRET).build().backup(tmp.resolve("x"));
        assertThat(a.consistency()).isEqualTo("single-transaction");
        assertThat(a.warnings()).anySatisfy(w -> assertThat(w).contains("backup lock refused").contains("FLUSH TABLES WITH READ LOCK")
                .contains(server.isMySql() ? "FLUSH" : "BACKUP STAGE"));
        if (server.isMySql()) {
            assertThat(a.warnings()).anySatisfy(w -> assertThat(w).contains("LOCK INSTANCE FOR BACKUP refused").contains("BACKUP_ADMIN"));
        }
        assertThat(a.warnings()).allSatisfy(w -> assertThat(w).doesNotContain(SECRET));
        assertThat(MySqlArchive.verify(a.directory()).rows()).isEqualTo(200_002);
    }

    @EachServer
    void missingPrivilegeOnTheTargetIsARestoreError(@TempDir Path tmp) {
        Path dir = archive(tmp);
        ArboristException e = catchThrowableOfType(ArboristException.class, () -> MySqlRestore.using(server.url(), Credentials.of("reader", SECRET.toCharArray())).rename("fault_src", "fault_denied").build().restore(dir));
        assertThat(e.kind()).isEqualTo(ErrorKind.RESTORE);
        assertThat(e.getMessage()).contains("denied").doesNotContain(SECRET);
    }

    @EachServer
    void unknownDatabaseAndNonEmptyDirectoryAreConfigurationErrors(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> backup("root", "").databases("nope").build().backup(tmp.resolve("x")))
                .isInstanceOfSatisfying(ArboristException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION))
                .hasMessageContaining("nope");
        Files.writeString(tmp.resolve("y.txt"), "occupied");
        assertThatThrownBy(() -> backup("root", "").build().backup(tmp))
                .isInstanceOfSatisfying(ArboristException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION))
                .hasMessageContaining("not empty");
    }

    @EachServer
    void aTargetWithoutLocalInfileIsRefusedBeforeAnythingChanges(@TempDir Path tmp) throws Exception {
        Path dir = archive(tmp);
        server.sql("DROP DATABASE IF EXISTS fault_noinfile", "SET GLOBAL local_infile = 0");
        try {
            ArboristException e = catchThrowableOfType(ArboristException.class, () -> MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).rename("fault_src", "fault_noinfile").build().restore(dir));
            assertThat(e.kind()).isEqualTo(ErrorKind.RESTORE);
            assertThat(e.getMessage()).contains("local_infile=OFF").contains("nothing was changed").contains("SET GLOBAL local_infile = ON");
            assertThat(TrapSchema.list(server.connect(), "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                    "fault_noinfile")).isEmpty();
        } finally {
            server.sql("SET GLOBAL local_infile = 1");
        }
    }

    @EachServer
    void targetNotEmptyFailsByDefaultThenDropAndAppendWork(@TempDir Path tmp) throws Exception {
        Path dir = archive(tmp);
        server.sql("DROP DATABASE IF EXISTS fault_conflict", "CREATE DATABASE fault_conflict",
                "CREATE TABLE fault_conflict.small (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO fault_conflict.small VALUES (99, 'keep')");
        ArboristException e = catchThrowableOfType(ArboristException.class, () -> MySqlRestore.using(server.url(), Credentials.of("root", new char[0]))
                .rename("fault_src", "fault_conflict").build().restore(dir));
        assertThat(e.kind()).isEqualTo(ErrorKind.RESTORE);
        assertThat(e.getMessage()).contains("not empty").contains("fault_conflict.small");
        assertThat(TrapSchema.count(server, "fault_conflict.small")).isEqualTo(1);
        Files.deleteIfExists(dir.resolve("restore-journal.log"));

        RestoreReport dropped = MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).rename("fault_src", "fault_conflict")
                .ifExists(ConflictPolicy.DROP).build().restore(dir);
        assertThat(dropped.allMatch()).isTrue();
        assertThat(TrapSchema.count(server, "fault_conflict.small WHERE id = 99")).isZero();

        server.sql("DROP DATABASE fault_conflict", "CREATE DATABASE fault_conflict",
                "CREATE TABLE fault_conflict.small (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO fault_conflict.small VALUES (99, 'keep')");
        ArboristException appended = catchThrowableOfType(ArboristException.class, () -> MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).rename("fault_src", "fault_conflict").ifExists(ConflictPolicy.APPEND).build().restore(dir));
        // the extra row is reported, never hidden
        assertThat(appended.getMessage()).contains("verification failed").contains("fault_conflict.small");
        assertThat(TrapSchema.count(server, "fault_conflict.small")).isEqualTo(3);
    }

    @EachServer
    void aFlippedByteIsDetectedAndNothingIsRestored(@TempDir Path tmp) throws Exception {
        Path dir = archive(tmp);
        Path file = firstDataFile(dir);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long pos = f.length() / 2;
            f.seek(pos);
            int b = f.read();
            f.seek(pos);
            f.write(b ^ 0x01);
        }
        assertThatThrownBy(() -> MySqlArchive.verify(dir))
                .isInstanceOfSatisfying(ArboristException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.VERIFICATION))
                .hasMessageContaining(dir.relativize(file).toString()).hasMessageContaining("SHA-256");
        assertThatThrownBy(() -> MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).rename("fault_src", "fault_flip").build().restore(dir))
                .isInstanceOfSatisfying(ArboristException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.VERIFICATION));
        assertThat(TrapSchema.list(server.connect(), "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", "fault_flip")).isEmpty();
    }

    @EachServer
    void aTruncatedOrIncompleteArchiveIsDetected(@TempDir Path tmp) throws Exception {
        Path dir = archive(tmp);
        Path file = firstDataFile(dir);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertThatThrownBy(() -> MySqlArchive.verify(dir)).hasMessageContaining("truncated");
        Files.delete(file);
        assertThatThrownBy(() -> MySqlArchive.verify(dir)).hasMessageContaining("missing data file");
        Files.delete(dir.resolve("manifest.json"));
        assertThatThrownBy(() -> MySqlArchive.verify(dir))
                .isInstanceOfSatisfying(ArboristException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.VERIFICATION))
                .hasMessageContaining("incomplete archive");
    }

    @EachServer
    void aNewerFormatOrAnEditedManifestIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = archive(tmp);
        Path manifest = dir.resolve("manifest.json");
        String json = Files.readString(manifest, StandardCharsets.UTF_8);
        Files.writeString(manifest, json.replace("\"formatVersion\":" + io.arborist.mysql.internal.Manifest.FORMAT_VERSION + ",", "\"formatVersion\":99,"));
        assertThatThrownBy(() -> MySqlArchive.verify(dir)).hasMessageContaining("format version 99").hasMessageContaining("newer");
        Files.writeString(manifest, json.replace("\"rows\":2,", "\"rows\":3,"));
        assertThatThrownBy(() -> MySqlArchive.verify(dir)).hasMessageContaining("checksum does not match");
        Files.writeString(manifest, json.replace("\"kind\":\"mysql\"", "\"kind\":\"clickhouse\""));
        assertThatThrownBy(() -> MySqlArchive.read(dir)).hasMessageContaining("not a MySQL archive");
        assertThat(MySqlArchive.kindOf(dir)).contains("clickhouse");
    }

    @EachServer
    void aWorkerKilledMidBackupFailsTheBackupAndLeavesNoCompleteArchive(@TempDir Path tmp) throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        Path dir = tmp.resolve("killed");
        ArboristException e = catchThrowableOfType(ArboristException.class, () -> backup("dumper", SECRET).chunkRows(10_000)
                .listener(p -> {
                    if (p.rowsDone() > 0 && killed.compareAndSet(false, true)) {
                        killWorkers("dumper");
                    }
                }).build().backup(dir));
        assertThat(killed).as("a worker was killed (the backup ended with: %s)", e).isTrue();
        assertThat(e.kind()).isEqualTo(ErrorKind.BACKUP);
        assertThat(e.getMessage()).contains("incomplete").doesNotContain(SECRET);
        assertThat(dir.resolve("manifest.json")).doesNotExist();
        assertThatThrownBy(() -> MySqlArchive.verify(dir)).hasMessageContaining("incomplete archive");
    }

    private void killWorkers(String user) {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            List<Long> ids = new ArrayList<>();
            // workers connect after the coordinator: the newest connection is a worker
            try (ResultSet rs = st.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '" + user
                    + "' ORDER BY (INFO LIKE 'SELECT%') DESC, ID DESC")) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            assertThat(ids).isNotEmpty();
            st.execute("KILL CONNECTION " + ids.get(0));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @EachServer
    void aRestoreKilledMidwayResumesWithoutDuplicates(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("a");
        backup("root", "").chunkRows(5_000).build().backup(dir);
        server.sql("DROP DATABASE IF EXISTS fault_resume");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(java.io.File.pathSeparator, System.getProperty("java.class.path"), System.getProperty("jdk.module.path", "")), RestoreMain.class.getName(), server.url(), dir.toString(),
                "fault_src", "fault_resume").redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        Path journal = dir.resolve("restore-journal.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(journal) && Files.readAllLines(journal).stream().filter(l -> l.startsWith("done chunk")).count() >= 5) {
                break;
            }
            assertThat(child.isAlive()).as("child still running: " + Files.readString(tmp.resolve("child.log"))).isTrue();
            Thread.sleep(10);
        }
        child.destroyForcibly().waitFor();
        long doneBefore = Files.readAllLines(journal).stream().filter(l -> l.startsWith("done chunk")).count();
        long total = MySqlArchive.read(dir).tables().stream().mapToLong(ArchivedTable::chunks).sum();
        assertThat(doneBefore).isBetween(5L, total - 1);

        RestoreReport report = MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).rename("fault_src", "fault_resume")
                .parallelism(2).build().restore(dir);

        assertThat(report.resumed()).isTrue();
        assertThat(report.filesLoaded()).isLessThan((int) total);
        assertThat(report.filesLoaded() + report.filesSkipped()).as("every data file loaded once, by one run or the other").isEqualTo((int) total);
        assertThat(report.allMatch()).isTrue();
        assertThat(TrapSchema.count(server, "fault_resume.big")).isEqualTo(200_000);
        try (Connection c = server.connect()) {
            assertThat(TrapSchema.tableChecksums(c, "fault_resume")).isEqualTo(TrapSchema.tableChecksums(c, "fault_src"));
        }
    }
}
