package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.RestoreReport;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Single-file archives: {@code backup(Path.of("x.tar"))}, then verify and restore straight from the tar. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TarArchiveTest {
    private DbServer server;

    private final java.util.Set<ServerKind> prepared = new java.util.HashSet<>();

    /** The data, once per server (the instance lives for the whole class). */
    @BeforeEach
    void data(DbServer server) throws Exception {
        this.server = server;
        if (!prepared.add(server.kind())) {
            return;
        }
        TrapSchema.create(server, "tar_trap");
        server.sql("DROP DATABASE IF EXISTS tar_big", "CREATE DATABASE tar_big",
                "CREATE TABLE tar_big.big (id INT PRIMARY KEY, g INT, pad VARCHAR(100), b BLOB)", "USE tar_big",
                "INSERT INTO tar_big.big SELECT seq, seq % 7, REPEAT(CHAR(65 + seq % 26), 60), RANDOM_BYTES(20)"
                        + " FROM " + DbServer.seq(100_000), "ANALYZE TABLE tar_big.big");
    }

    private MySqlBackup.Builder backup(String db) {
        return MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases(db).parallelism(2).chunkRows(4_000);
    }

    private MySqlRestore restore(String from, String to) {
        return MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).rename(from, to).parallelism(2).build();
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<TarArchiveEntry> entries(Path tar) throws Exception {
        try (TarFile f = new TarFile(tar)) {
            return f.getEntries();
        }
    }

    private static void flipByte(Path file, long pos) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(pos);
            int b = f.read();
            f.seek(pos);
            f.write(b ^ 0x01);
        }
    }

    private static void assertError(ErrorKind kind, Runnable r, String... messages) {
        assertThatThrownBy(r::run)
                .isInstanceOfSatisfying(ArboristException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageContainingAll(messages);
    }

    private static void assertVerificationError(Runnable r, String message) {
        assertError(ErrorKind.VERIFICATION, r, message);
    }

    private static long doneChunks(Path journal) throws Exception {
        return Files.readAllLines(journal).stream().filter(l -> l.startsWith("done chunk")).count();
    }

    @EachServer
    void aTarArchiveIsOneFileWithTheManifestLastAndRestoresExactly(@TempDir Path tmp) throws Exception {
        Path tar = tmp.resolve("x.tar");

        MySqlArchive archive = backup("tar_trap").build().backup(tar);

        assertThat(archive.directory()).isEqualTo(tar);
        assertThat(names(tmp)).containsExactly("x.tar");
        assertThat(tar).isRegularFile();
        assertThat(archive.bytes()).isEqualTo(Files.size(tar));
        List<TarArchiveEntry> entries = entries(tar);
        assertThat(entries.get(entries.size() - 1).getName()).isEqualTo("manifest.json");
        assertThat(entries.subList(0, entries.size() - 1))
                .allSatisfy(e -> assertThat(e.getName()).matches("data/t\\d{5}\\.c\\d{5}\\.tsv\\.zst"));
        assertThat(entries).hasSize(1 + archive.tables().stream().mapToInt(ArchivedTable::chunks).sum());
        assertThat(MySqlArchive.kindOf(tar)).contains("mysql");
        assertThat(MySqlArchive.read(tar).rows()).isEqualTo(archive.rows());
        assertThat(MySqlArchive.verify(tar).tables()).isEqualTo(archive.tables());

        server.sql("DROP DATABASE IF EXISTS tar_trap_copy");
        RestoreReport report = restore("tar_trap", "tar_trap_copy").restore(tar);

        assertThat(report.allMatch()).isTrue();
        assertThat(report.tables()).hasSize(archive.tables().size());
        TrapSchema.assertSameContent(server, "tar_trap", "tar_trap_copy");
        // the journal lived next to the tar and was closed; the tar was only read
        assertThat(names(tmp)).hasSize(2).contains("x.tar")
                .anySatisfy(n -> assertThat(n).matches("x\\.tar\\.restore-journal\\.\\d+\\.done"));
        assertThat(MySqlArchive.verify(tar).rows()).isEqualTo(archive.rows());
    }

    @EachServer
    void aFlippedByteInADataEntryIsReportedAndNothingIsRestored(@TempDir Path tmp) throws Exception {
        Path tar = tmp.resolve("flip.tar");
        backup("tar_trap").build().backup(tar);
        TarArchiveEntry data = entries(tar).stream()
                .filter(e -> e.getName().startsWith("data/") && e.getSize() > 100).findFirst().orElseThrow();
        flipByte(tar, data.getDataOffset() + data.getSize() / 2);

        assertVerificationError(() -> MySqlArchive.verify(tar), data.getName() + " is damaged: SHA-256");
        server.sql("DROP DATABASE IF EXISTS tar_flip");
        assertVerificationError(() -> restore("tar_trap", "tar_flip").restore(tar), "nothing was restored");
        try (var c = server.connect()) {
            assertThat(TrapSchema.list(c, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                    "tar_flip")).isEmpty();
        }
    }

    @EachServer
    void aTruncatedTarIsRejected(@TempDir Path tmp) throws Exception {
        Path tar = tmp.resolve("cut.tar");
        backup("tar_trap").build().backup(tar);
        TarArchiveEntry manifest = entries(tar).get(entries(tar).size() - 1);
        Path half = Files.copy(tar, tmp.resolve("half.tar"));
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            f.setLength(manifest.getDataOffset() + manifest.getSize() / 2);
        }
        try (RandomAccessFile f = new RandomAccessFile(half.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }

        for (Path cut : List.of(tar, half)) {
            assertVerificationError(() -> MySqlArchive.verify(cut), cut.toString());
            assertVerificationError(() -> MySqlArchive.read(cut), cut.toString());
            assertVerificationError(() -> restore("tar_trap", "tar_cut").restore(cut), cut.toString());
            assertThat(MySqlArchive.kindOf(cut)).isEmpty();
        }
        assertVerificationError(() -> MySqlArchive.verify(tar), "not a readable tar file");
        assertVerificationError(() -> MySqlArchive.verify(tmp.resolve("none.tar")), "no such file");
    }

    @EachServer
    void backupRefusesAnExistingTarOrAMissingDirectoryAndLeavesNothingWhenItFails(@TempDir Path tmp) throws Exception {
        Path tar = tmp.resolve("taken.tar");
        Files.writeString(tar, "occupied");
        assertError(ErrorKind.CONFIGURATION, () -> backup("tar_trap").build().backup(tar), tar.toString(),
                "already exists");
        assertThat(Files.readString(tar)).isEqualTo("occupied");

        Path orphan = tmp.resolve("no/such/dir/x.tar");
        assertError(ErrorKind.CONFIGURATION, () -> backup("tar_trap").build().backup(orphan), orphan.toString(),
                "does not exist");

        assertError(ErrorKind.CONFIGURATION, () -> backup("no_such_db").build().backup(tmp.resolve("failed.tar")),
                "no_such_db");
        assertThat(names(tmp)).containsExactly("taken.tar");

        Files.createDirectory(tmp.resolve("left.tar.partial.d"));
        assertError(ErrorKind.CONFIGURATION, () -> backup("tar_trap").build().backup(tmp.resolve("left.tar")),
                "unfinished backup");
        assertVerificationError(() -> MySqlArchive.verify(tmp.resolve("left.tar")), "incomplete archive");
    }

    @EachServer
    void aRestoreFromATarKilledMidwayResumesWithTheJournalNextToTheTar(@TempDir Path tmp) throws Exception {
        Path tar = tmp.resolve("big.tar");
        backup("tar_big").chunkRows(2_500).build().backup(tar);
        server.sql("DROP DATABASE IF EXISTS tar_resume");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(java.io.File.pathSeparator, System.getProperty("java.class.path"), System.getProperty("jdk.module.path", "")), RestoreMain.class.getName(), server.url(), tar.toString(),
                "tar_big", "tar_resume").redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile())
                .start();
        Path journal = tmp.resolve("big.tar.restore-journal.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(journal) && doneChunks(journal) >= 5) {
                break;
            }
            assertThat(child.isAlive()).as("child still running: " + Files.readString(tmp.resolve("child.log")))
                    .isTrue();
            Thread.sleep(10);
        }
        child.destroyForcibly().waitFor();
        long doneBefore = doneChunks(journal);
        long total = MySqlArchive.read(tar).tables().stream().mapToLong(ArchivedTable::chunks).sum();
        assertThat(doneBefore).isBetween(5L, total - 1);

        RestoreReport report = restore("tar_big", "tar_resume").restore(tar);

        assertThat(report.resumed()).isTrue();
        assertThat(report.filesLoaded()).isLessThan((int) total);
        assertThat(report.allMatch()).isTrue();
        assertThat(TrapSchema.count(server, "tar_resume.big")).isEqualTo(100_000);
        TrapSchema.assertSameContent(server, "tar_big", "tar_resume");
        assertThat(journal).doesNotExist();
        assertThat(names(tmp)).anySatisfy(n -> assertThat(n).matches("big\\.tar\\.restore-journal\\.\\d+\\.done"));
    }
}
