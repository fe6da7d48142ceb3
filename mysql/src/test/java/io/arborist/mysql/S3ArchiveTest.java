package io.arborist.mysql;

import io.arborist.core.testing.CountingStore;
import io.arborist.core.testing.S3Server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.RestoreJournal;
import io.arborist.core.backup.RestoreReport;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** MySQL archives in S3 (S3Proxy on loopback): round trips, encryption, tampering, interrupted backups, bad settings. */
class S3ArchiveTest {
    private static final Credentials ROOT = Credentials.of("root", new char[0]);
    private DbServer server;
    private S3Server s3;
    @TempDir
    Path tmp;

    @BeforeEach
    void on(DbServer server) throws Exception {
        this.server = server;
        s3 = S3Server.start(tmp.resolve("s3"));
        s3.createBucket("backups");
        server.sql("DROP DATABASE IF EXISTS s3_src", "CREATE DATABASE s3_src",
                "CREATE TABLE s3_src.t (id INT PRIMARY KEY, v VARCHAR(40))",
                "INSERT INTO s3_src.t SELECT seq, CONCAT('row-', seq) FROM (" + numbers(3000) + ") n",
                "CREATE TABLE s3_src.s (k VARCHAR(20) PRIMARY KEY, v TEXT)",
                "INSERT INTO s3_src.s VALUES ('a', 'x'), ('b', 'y'), ('c', NULL)",
                "DROP DATABASE IF EXISTS s3_dst");
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
        server.sql("DROP DATABASE IF EXISTS s3_src", "DROP DATABASE IF EXISTS s3_dst");
    }

    /** A derived table of the numbers 1..n (n at most 10^6; no sequence engine or recursion limit needed). */
    static String numbers(int n) {
        int places = Math.max(1, String.valueOf(n - 1).length());
        StringBuilder seq = new StringBuilder("1");
        StringBuilder from = new StringBuilder();
        for (int i = 0; i < places; i++) {
            seq.append(" + d").append(i).append(".i * ").append((long) Math.pow(10, i));
            from.append(i == 0 ? "" : ", ").append("(SELECT 0 i UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3")
                    .append(" UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8")
                    .append(" UNION ALL SELECT 9) d").append(i);
        }
        return "SELECT " + seq + " AS seq FROM " + from + " HAVING seq <= " + n;
    }

    private BackupStore open(String destination) {
        return s3.stores().build().open(destination);
    }

    private MySqlBackup.Builder backup() {
        return MySqlBackup.using(server.url(), ROOT).databases("s3_src").parallelism(2).chunkRows(500);
    }

    private MySqlRestore.Builder restore() {
        return MySqlRestore.using(server.url(), ROOT).rename("s3_src", "s3_dst").parallelism(2).journal(tmp.resolve("journal.log"));
    }

    @EachServer
    void roundTripThroughS3(DbServer db) throws Exception {
        try (BackupStore store = open("s3://backups/site/01")) {
            MySqlArchive archive = backup().build().backup(store);
            assertThat(archive.location()).isEqualTo("s3://backups/site/01/");
            assertThat(archive.rows()).isEqualTo(3003);
            assertThat(archive.tables().stream().filter(t -> t.table().equals("t")).findFirst().orElseThrow().chunks()).isGreaterThan(2);
            // the objects are the directory layout's files plus the marker, and nothing was staged locally
            try (Stream<Path> files = Files.walk(s3.basedir().resolve("backups"))) {
                assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                        .contains("manifest.json", "archive.json", "t00000.c00000.tsv.zst");
            }
            assertThat(MySqlArchive.verify(store, Optional.empty(), Optional.empty()).rows()).isEqualTo(3003);

            RestoreReport report = restore().build().restore(store);

            assertThat(report.allMatch()).isTrue();
            assertThat(TrapSchema.count(server, "s3_dst.t")).isEqualTo(3000);
            assertThat(TrapSchema.list(server, "SELECT GROUP_CONCAT(CONCAT_WS(':', k, v) ORDER BY k) FROM s3_dst.s")).containsExactly("a:x,b:y,c");
            // the journal lived on this machine and was retired
            assertThat(tmp.resolve("journal.log")).doesNotExist();
            // a complete archive is never overwritten
            assertThatThrownBy(() -> backup().build().backup(store)).isInstanceOf(ArboristException.class)
                    .hasMessageContaining("already holds a complete backup");
        }
        assertThat(MySqlRestore.journalFor(Destination.parse("s3://backups/site/01")).toString())
                .matches(".*/\\.cache/arborist/restores/[0-9a-f]{16}\\.restore-journal\\.log");
    }

    @EachServer
    void encryptedRoundTripNeedsTheKey(DbServer db) throws Exception {
        ArchiveKey archiveKey = ArchiveKey.fromEnvironment(java.util.Map.of("K", "correct horse battery staple, long enough 0123456789"), "K");
        EncryptionKey key = EncryptionKey.derivedFrom(archiveKey);
        EncryptionKey other = EncryptionKey.derivedFrom(ArchiveKey.fromEnvironment(
                java.util.Map.of("K", "another key entirely, also long enough 9876543210"), "K"));
        try (BackupStore store = open("s3://backups/enc")) {
            backup().key(archiveKey).encryptWith(key).build().backup(store);
            // no plaintext row reaches the bucket: the manifest names the tables, the data holds 'row-'
            try (Stream<Path> files = Files.walk(s3.basedir().resolve("backups"))) {
                for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("archive.json")).toList()) {
                    assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("s3_src");
                }
            }
            assertThat(MySqlArchive.verify(store, Optional.of(archiveKey), Optional.of(key)).seal())
                    .isEqualTo(io.arborist.core.backup.ArchiveSeal.Status.VERIFIED);
            assertThatThrownBy(() -> MySqlArchive.verify(store, Optional.empty(), Optional.empty()))
                    .isInstanceOf(ArboristException.class).hasMessageContaining("is encrypted and needs its key")
                    .hasMessageNotContaining("\n");
            assertThatThrownBy(() -> restore().decryptWith(other).build().restore(store))
                    .isInstanceOf(ArboristException.class).hasMessageContaining("was encrypted with another key");
            assertThat(TrapSchema.list(server, "SHOW DATABASES LIKE 's3_dst'")).isEmpty();

            assertThat(restore().key(archiveKey).decryptWith(key).build().restore(store).allMatch()).isTrue();
            assertThat(TrapSchema.count(server, "s3_dst.t")).isEqualTo(3000);
        }
        // a local directory encrypts alike, and reads back only with the key
        Path dir = tmp.resolve("local-enc");
        backup().encryptWith(key).build().backup(dir);
        assertThat(dir.resolve("archive.json")).exists();
        assertThatThrownBy(() -> MySqlArchive.verify(dir)).isInstanceOf(ArboristException.class).hasMessageContaining("needs its key");
        assertThat(MySqlArchive.verify(dir, Optional.empty(), Optional.of(key)).rows()).isEqualTo(3003);
        assertThatThrownBy(() -> backup().encryptWith(key).build().backup(tmp.resolve("x.tar")))
                .isInstanceOf(ArboristException.class).hasMessageContaining("not to the tar file");
    }

    @EachServer
    void aFlippedByteInS3FailsTheRestoreOfItsTable(DbServer db) throws Exception {
        try (BackupStore store = open("s3://backups/flip")) {
            backup().build().backup(store);
            Path object;
            try (Stream<Path> files = Files.walk(s3.basedir().resolve("backups"))) {
                object = files.filter(p -> p.getFileName().toString().endsWith(".tsv.zst"))
                        .max(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
            }
            String name = "data/" + object.getFileName();
            try (RandomAccessFile f = new RandomAccessFile(object.toFile(), "rw")) {
                f.seek(f.length() / 2);
                int b = f.read();
                f.seek(f.length() / 2);
                f.write(b ^ 0x40);
            }
            assertThatThrownBy(() -> MySqlArchive.verify(store, Optional.empty(), Optional.empty()))
                    .isInstanceOf(ArboristException.class)
                    .hasMessageContaining("data file " + name + " is damaged: SHA-256 differs from the manifest");
            // the restore reads each object once: the damage is found while the file loads, and its table fails
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThatThrownBy(() -> restore().parallelism(1).build().restore(store)).isInstanceOf(ArboristException.class)
                        .hasMessageContaining("data file " + name + " (s3_dst.t, chunk ").hasMessageContaining("is damaged")
                        .hasMessageNotContaining("\n");
                RestoreJournal.State journal = RestoreJournal.read(tmp.resolve("journal.log")).orElseThrow();
                assertThat(journal.done()).as("the damaged file is not recorded as loaded").doesNotContain("chunk " + name);
                assertThat(journal.begun()).contains("chunk " + name);
                assertThat(TrapSchema.count(server, "s3_dst.t")).as("none of the damaged file's rows are kept").isLessThan(3000);
                assertThat(MySqlRestore.unfinished(store.destination(), tmp.resolve("journal.log"))).isPresent();
            }
            restore().build().cleanup(store);
            assertThat(TrapSchema.list(server, "SHOW DATABASES LIKE 's3_dst'")).isEmpty();
        }
    }

    @EachServer
    void aRestoreDownloadsEachDataObjectOnce(DbServer db) throws Exception {
        try (BackupStore store = open("s3://backups/once")) {
            MySqlArchive archive = backup().build().backup(store);
            Map<String, Integer> reads = new ConcurrentHashMap<>();
            assertThat(restore().build().restore(new CountingStore(store, reads)).allMatch()).isTrue();
            List<String> data = store.list("data").stream().map(o -> o.name()).toList();
            assertThat(data).hasSize(archive.tables().stream().mapToInt(ArchivedTable::chunks).sum());
            for (String file : data) {
                assertThat(reads.getOrDefault(file, 0)).as("reads of %s", file).isEqualTo(1);
            }
        }
    }

    @EachServer
    void aBackupKilledMidwayNeverReadsAsComplete(DbServer db) throws Exception {
        server.sql("CREATE TABLE s3_src.w (id INT PRIMARY KEY, v VARCHAR(200))",
                "INSERT INTO s3_src.w SELECT seq, REPEAT(MD5(seq), 6) FROM (" + numbers(9999) + ") n");
        Process child = child("-Xmx128m", "s3://backups/killed", "slow");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Path data = s3.basedir().resolve("backups");
            while (System.nanoTime() < deadline && !containsDataFile(data)) {
                Thread.sleep(20);
            }
            assertThat(containsDataFile(data)).as("the child uploaded a data file; log: %s", log()).isTrue();
        } finally {
            child.destroyForcibly().waitFor();
        }
        try (BackupStore store = open("s3://backups/killed")) {
            assertThatThrownBy(() -> MySqlArchive.verify(store, Optional.empty(), Optional.empty()))
                    .isInstanceOf(ArboristException.class).hasMessageContaining("is a partial backup");
            assertThatThrownBy(() -> restore().build().restore(store)).isInstanceOf(ArboristException.class)
                    .hasMessageContaining("is a partial backup");
            // a new backup into the same prefix refuses, naming the way out
            assertThatThrownBy(() -> backup().build().backup(store)).isInstanceOf(ArboristException.class)
                    .hasMessageContaining("holds a partial backup").hasMessageContaining("backups prune --partial");
        }
        assertThat(TrapSchema.list(server, "SHOW DATABASES LIKE 's3_dst'")).isEmpty();
    }

    private static boolean containsDataFile(Path bucket) throws java.io.IOException {
        if (!Files.isDirectory(bucket)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(bucket)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".tsv.zst"));
        }
    }

    private Process child(String heap, String destination, String mode) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
                "-cp", String.join(java.io.File.pathSeparator, System.getProperty("java.class.path"), System.getProperty("jdk.module.path", "")),
                BackupToS3Main.class.getName(), server.url(), "s3_src", s3.endpoint().toString(), s3.secret(), destination, mode)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
    }

    private String log() throws java.io.IOException {
        return Files.exists(tmp.resolve("child.log")) ? Files.readString(tmp.resolve("child.log")) : "";
    }

    @EachServer
    void aLargeTableGoesToS3UnderASmallHeap(DbServer db) throws Exception {
        // 1 M rows of ~ 230 bytes (~ 230 MB of rows, ~ 110 MB compressed), through a child JVM limited to 256 MiB
        server.sql("CREATE TABLE s3_src.big (id INT PRIMARY KEY, v VARCHAR(255))",
                "INSERT INTO s3_src.big SELECT seq, CONCAT(SHA2(seq, 256), SHA2(seq + 1, 256), SHA2(seq + 2, 256), LEFT(MD5(seq), 30))"
                        + " FROM (" + numbers(1_000_000) + ") n");
        Process child = child("-Xmx256m", "s3://backups/big", "fast");
        assertThat(child.waitFor(10, TimeUnit.MINUTES)).as("the backup finished in time").isTrue();
        assertThat(child.exitValue()).as("child exit; log: %s", log()).isZero();
        assertThat(log()).contains("done 1003003 rows");
        try (BackupStore store = open("s3://backups/big")) {
            assertThat(MySqlArchive.verify(store, Optional.empty(), Optional.empty()).rows()).isEqualTo(1_003_003);
        }
    }

    @EachServer
    void wrongCredentialsAndAMissingBucketAreOneLine(DbServer db) throws Exception {
        String wrong = "not-the-secret-" + System.nanoTime();
        BackupStores bad = BackupStores.builder().endpoint(s3.endpoint()).region("us-east-1")
                .credentials(S3Server.ACCESS_KEY, wrong.toCharArray()).maxAttempts(1).build();
        try (BackupStore store = bad.open("s3://backups/creds")) {
            assertThatThrownBy(() -> backup().build().backup(store)).isInstanceOf(ArboristException.class)
                    .satisfies(e -> {
                        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain(wrong).doesNotContain(s3.secret());
                        assertThat(e.getMessage().toLowerCase(java.util.Locale.ROOT)).contains("credential");
                    });
        }
        try (BackupStore store = open("s3://no-such-bucket/x")) {
            assertThatThrownBy(() -> backup().build().backup(store)).isInstanceOf(ArboristException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("no-such-bucket"));
            assertThatThrownBy(() -> restore().build().restore(store)).isInstanceOf(ArboristException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("no-such-bucket"));
        }
    }
}
