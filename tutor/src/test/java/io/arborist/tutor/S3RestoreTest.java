package io.arborist.tutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.backup.store.StoreOutputStream;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.testing.CountingStore;
import io.arborist.core.testing.S3Server;
import io.arborist.tutor.internal.TutorRootFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MongoDB and Tutor-root backups restored straight from an S3 prefix (S3Proxy on loopback): each object read once and
 * checked against the manifest as it streams; damage, a wrong key or a missing archive refused in one line.
 */
class S3RestoreTest {
    private static final String SECRET = "tutor-pw-51c3d0";

    @TempDir
    Path dir;
    private S3Server s3;
    private FakeTutor fake;
    private byte[] archive;
    private Path archiveFile;
    private Path root;

    @BeforeEach
    void start() throws Exception {
        s3 = S3Server.start(dir.resolve("s3"));
        s3.createBucket("backups");
        fake = FakeTutor.install(Files.createDirectories(dir.resolve("bin")));
        archive = MongoArchives.archive(2 * 1024 * 1024);
        archiveFile = Files.write(dir.resolve("known.archive.gz"), archive);
        root = Files.createDirectories(dir.resolve("tutor-root"));
        Files.writeString(root.resolve("config.yml"), "MYSQL_ROOT_PASSWORD: " + SECRET + "\n");
        Path local = Files.createDirectories(root.resolve("env/local"));
        Files.writeString(local.resolve("docker-compose.yml"), "services: {}\n");
        Path script = Files.writeString(local.resolve("entrypoint.sh"), "#!/bin/sh\nexec \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        byte[] binary = new byte[300_000];
        new java.util.Random(3).nextBytes(binary);
        Files.write(root.resolve("env/build.bin"), binary);
        Files.createDirectories(root.resolve("env/empty"));
        Files.setPosixFilePermissions(root.resolve("env/empty"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
    }

    // ---- Tutor root ----

    private void backUpRoot(String prefix) {
        try (BackupStore store = s3.open("s3://backups/" + prefix)) {
            TutorRootBackup.of(root).backup(new BackupRequest("02-lilac-backup", BackupTarget.TUTOR_ROOT, store.destination(), store));
        }
    }

    /** Every entry below a root: path to mode and, for files, content. */
    private static Map<String, String> tree(Path top) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(top)) {
            for (Path p : walk.filter(p -> !p.equals(top)).toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                out.put(top.relativize(p).toString(), mode + (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        ? " " + java.util.HexFormat.of().formatHex(Files.readAllBytes(p)) : ""));
            }
        }
        return out;
    }

    @Test
    void the_tutor_root_comes_back_from_s3_byte_identical_with_its_modes_each_file_read_once() throws Exception {
        backUpRoot("run/02-lilac-backup/tutor-root");
        Map<String, String> expected = tree(root);
        Path target = dir.resolve("restored");
        Map<String, Integer> opened = new HashMap<>();

        TutorRootArchive restored;
        try (BackupStore store = s3.open("s3://backups/run/02-lilac-backup/tutor-root")) {
            restored = TutorRootRestore.builder().build().restore(new CountingStore(store, opened, n -> n.startsWith("files/")), target);
        }

        assertThat(tree(target)).isEqualTo(expected);
        assertThat(opened).containsOnlyKeys("files/config.yml", "files/env/local/docker-compose.yml", "files/env/local/entrypoint.sh",
                "files/env/build.bin").allSatisfy((name, n) -> assertThat(n).as(name).isEqualTo(1));
        assertThat(restored.files()).isEqualTo(4);
        assertThat(restored.location()).isEqualTo("s3://backups/run/02-lilac-backup/tutor-root/");
        assertThat(restored.directory()).isEqualTo(Path.of(""));
        assertThat(restored.source()).isEqualTo(root.toRealPath());
    }

    @Test
    void a_flipped_byte_in_s3_is_refused_naming_the_file_and_the_root_is_left_as_it_was() throws Exception {
        backUpRoot("t");
        Path stored = s3.bucketDir("backups").resolve("t/files/env/build.bin");
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(stored, bytes);
        Path live = Files.createDirectories(dir.resolve("live"));
        Files.writeString(live.resolve("config.yml"), "LMS_HOST: current.example.com\n");
        Files.createDirectories(live.resolve("env/local"));
        Files.writeString(live.resolve("env/local/docker-compose.yml"), "current");
        Map<String, String> before = tree(live);

        try (BackupStore store = s3.open("s3://backups/t")) {
            assertOneLine(() -> TutorRootRestore.builder().replaceExisting(true).build().restore(store, live), ErrorKind.VERIFICATION,
                    "s3://backups/t/: files/env/build.bin does not match its SHA-256 in the manifest", "is unchanged");
            assertOneLine(() -> TutorRootRestore.builder().build().restore(store, dir.resolve("fresh")), ErrorKind.VERIFICATION,
                    "files/env/build.bin does not match its SHA-256");
        }
        assertThat(tree(live)).as("nothing moved, nothing left behind").isEqualTo(before);
        assertThat(dir.resolve("fresh")).doesNotExist();

        // a file of another size, or a missing one, is refused before anything is read or created
        Files.write(stored, new byte[] {1, 2, 3});
        Files.delete(s3.bucketDir("backups").resolve("t/files/env/local/entrypoint.sh"));
        Map<String, Integer> opened = new HashMap<>();
        try (BackupStore store = s3.open("s3://backups/t")) {
            assertOneLine(() -> TutorRootRestore.builder().build().restore(new CountingStore(store, opened, n -> n.startsWith("files/")),
                    dir.resolve("fresh")), ErrorKind.VERIFICATION, "env/build.bin: 3 bytes stored, the manifest says 300000",
                    "env/local/entrypoint.sh: missing");
        }
        assertThat(opened).isEmpty();
        assertThat(dir.resolve("fresh")).doesNotExist();
    }

    @Test
    void an_encrypted_tutor_root_needs_its_key_and_refuses_another() throws Exception {
        EncryptionKey key = key("a");
        try (BackupStore store = s3.open("s3://backups/enc/tutor-root")) {
            TutorRootFiles.backup(root.toRealPath(), ArchiveWriter.into(store, "").encryptedWith(key).start(), Instant.now());
        }
        assertThat(Files.readString(s3.bucketDir("backups").resolve("enc/tutor-root/files/config.yml"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(SECRET);

        try (BackupStore store = s3.open("s3://backups/enc/tutor-root")) {
            assertOneLine(() -> TutorRootRestore.builder().build().restore(store, dir.resolve("r")), ErrorKind.VERIFICATION,
                    "is encrypted and needs its key");
            assertOneLine(() -> TutorRootRestore.builder().decryptWith(key("b")).build().restore(store, dir.resolve("r")),
                    ErrorKind.VERIFICATION, "was encrypted with another key");
            assertThat(dir.resolve("r")).doesNotExist();

            TutorRootRestore.builder().decryptWith(key).build().restore(store, dir.resolve("r"));
        }
        Map<String, String> expected = tree(root);
        assertThat(tree(dir.resolve("r"))).isEqualTo(expected);

        // a flipped byte in an encrypted file fails its authentication: named, and nothing is created
        Path stored = s3.bucketDir("backups").resolve("enc/tutor-root/files/env/build.bin");
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(stored, bytes);
        try (BackupStore store = s3.open("s3://backups/enc/tutor-root")) {
            assertOneLine(() -> TutorRootRestore.builder().decryptWith(key).build().restore(store, dir.resolve("r2")), ErrorKind.RESTORE,
                    "files/env/build.bin failed decryption: it was changed or damaged", dir.resolve("r2") + " is unchanged");
        }
        assertThat(dir.resolve("r2")).doesNotExist();
    }

    @Test
    void a_missing_or_partial_archive_is_one_line_and_creates_nothing() throws Exception {
        try (BackupStore store = s3.open("s3://backups/nothing/here")) {
            assertOneLine(() -> TutorRootRestore.builder().build().restore(store, dir.resolve("r")), ErrorKind.VERIFICATION,
                    "s3://backups/nothing/here/ holds no backup");
        }
        backUpRoot("p");
        Files.delete(s3.bucketDir("backups").resolve("p/manifest.json"));
        try (BackupStore store = s3.open("s3://backups/p")) {
            assertOneLine(() -> TutorRootRestore.builder().build().restore(store, dir.resolve("r")), ErrorKind.VERIFICATION,
                    "is a partial backup");
            assertOneLine(() -> MongoDbRestore.builder(fake.runner().build()).build().restore(store), ErrorKind.VERIFICATION,
                    "is a partial backup");
        }
        assertThat(dir.resolve("r")).doesNotExist();
        assertThat(fake.calls()).as("nothing ran").isEmpty();
    }

    // ---- MongoDB ----

    private ProcessTutorRunner.Builder runner() {
        return fake.runner()
                .environment("PATH", fake.dir() + ":/usr/bin:/bin")
                .environment("FAKE_STDOUT_FILE", archiveFile.toString())
                .environment("FAKE_CFG_RUN_MONGODB", "true");
    }

    /** The fake as mongosh answering an empty target, and as mongorestore writing what it is fed to {@code fed}. */
    private ProcessTutorRunner restoring(Path fed) {
        return runner().environment("FAKE_STDOUT_FILE", "/dev/null").environment("FAKE_STDOUT", "arborist-databases=0")
                .environment("FAKE_STDIN_TO", fed.toString()).build();
    }

    private void backUpMongo(String prefix) {
        try (BackupStore store = s3.open("s3://backups/" + prefix)) {
            MongoDbBackup.builder(runner().build()).mode(DeploymentMode.LOCAL).build()
                    .backup(new BackupRequest("02-lilac-backup", BackupTarget.MONGODB, store.destination(), store));
        }
    }

    private boolean mongorestoreRan() throws IOException {
        return fake.argvs().stream().anyMatch(a -> a.contains("mongorestore"));
    }

    @Test
    void mongodb_is_fed_from_s3_byte_for_byte_reading_the_archive_once() throws Exception {
        backUpMongo("run/02-lilac-backup/mongodb");
        Path fed = dir.resolve("fed.bin");
        Map<String, Integer> opened = new HashMap<>();

        MongoDbArchive restored;
        try (BackupStore store = s3.open("s3://backups/run/02-lilac-backup/mongodb")) {
            restored = MongoDbRestore.builder(restoring(fed)).mode(DeploymentMode.LOCAL).external(false).build()
                    .restore(new CountingStore(store, opened, n -> n.equals(MongoDbArchive.FILE)));
        }

        assertThat(Files.readAllBytes(fed)).isEqualTo(archive);
        assertThat(opened).containsExactly(Map.entry(MongoDbArchive.FILE, 1));
        assertThat(restored.namespaces()).isEqualTo(MongoArchives.NAMESPACES);
        assertThat(restored.bytes()).isEqualTo(archive.length);
        assertThat(restored.location()).isEqualTo("s3://backups/run/02-lilac-backup/mongodb/");
        assertThat(fake.argvs().get(fake.argvs().size() - 1))
                .containsExactly("local", "exec", "-T", "mongodb", "mongorestore", "--archive", "--gzip", "--stopOnError");
    }

    @Test
    void a_flipped_byte_in_the_mongodb_archive_stops_mongorestore_and_is_refused_naming_the_file() throws Exception {
        backUpMongo("m");
        Path stored = s3.bucketDir("backups").resolve("m/" + MongoDbArchive.FILE);
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 3] ^= 0x01;
        Files.write(stored, bytes);
        Path fed = dir.resolve("fed.bin");

        try (BackupStore store = s3.open("s3://backups/m")) {
            assertOneLine(() -> MongoDbRestore.builder(restoring(fed)).external(false).build().restore(store), ErrorKind.VERIFICATION,
                    "s3://backups/m/mongodb.archive.gz does not match its SHA-256 in the manifest",
                    "mongorestore was stopped before the end of the archive");
        }

        // another size is refused before anything runs
        Files.write(stored, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        int calls = fake.calls().size();
        try (BackupStore store = s3.open("s3://backups/m")) {
            assertOneLine(() -> MongoDbRestore.builder(restoring(dir.resolve("fed2.bin"))).external(false).build().restore(store),
                    ErrorKind.VERIFICATION, "s3://backups/m/mongodb.archive.gz has " + (bytes.length - 10) + " bytes, the manifest says "
                            + bytes.length);
        }
        assertThat(fake.calls()).hasSize(calls);
        assertThat(dir.resolve("fed2.bin")).doesNotExist();
    }

    @Test
    void an_encrypted_mongodb_backup_round_trips_with_its_key_and_refuses_another() throws Exception {
        EncryptionKey key = key("a");
        try (BackupStore store = s3.open("s3://backups/enc/mongodb")) {
            ArchiveWriter writer = ArchiveWriter.into(store, "").encryptedWith(key).start();
            try (StoreOutputStream out = writer.create(MongoDbArchive.FILE)) {
                out.write(archive);
            }
            // the manifest a backup writes, with this archive's figures
            backUpMongo("plain");
            try (BackupStore plain = s3.open("s3://backups/plain")) {
                writer.commit(plain.open("manifest.json").readAllBytes());
            }
        }
        try (BackupStore store = s3.open("s3://backups/enc/mongodb")) {
            assertOneLine(() -> MongoDbRestore.builder(restoring(dir.resolve("x"))).build().restore(store), ErrorKind.VERIFICATION,
                    "is encrypted and needs its key");
            assertOneLine(() -> MongoDbRestore.builder(restoring(dir.resolve("x"))).decryptWith(key("b")).build().restore(store),
                    ErrorKind.VERIFICATION, "was encrypted with another key");
            assertThat(mongorestoreRan()).isFalse();

            Path fed = dir.resolve("fed.bin");
            MongoDbRestore.builder(restoring(fed)).external(false).decryptWith(key).build().restore(store);
            assertThat(Files.readAllBytes(fed)).isEqualTo(archive);
        }

        Path stored = s3.bucketDir("backups").resolve("enc/mongodb/" + MongoDbArchive.FILE);
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(stored, bytes);
        try (BackupStore store = s3.open("s3://backups/enc/mongodb")) {
            assertOneLine(() -> MongoDbRestore.builder(restoring(dir.resolve("fed3.bin"))).external(false).decryptWith(key).build()
                    .restore(store), ErrorKind.COMMAND_FAILED, "mongorestore", "was stopped with its child processes",
                    "mongodb.archive.gz failed decryption: it was changed or damaged");
        }
    }

    @Test
    void an_encrypted_backup_copied_down_from_s3_restores_from_its_directory() throws Exception {
        EncryptionKey key = key("c");
        backUpMongo("plain");
        try (BackupStore plain = s3.open("s3://backups/plain"); BackupStore store = s3.open("s3://backups/enc/mongodb")) {
            ArchiveWriter writer = ArchiveWriter.into(store, "").encryptedWith(key).start();
            try (StoreOutputStream out = writer.create(MongoDbArchive.FILE)) {
                out.write(archive);
            }
            writer.commit(plain.open("manifest.json").readAllBytes());
        }
        try (BackupStore store = s3.open("s3://backups/enc/tutor-root")) {
            TutorRootFiles.backup(root.toRealPath(), ArchiveWriter.into(store, "").encryptedWith(key).start(), Instant.now());
        }
        Path copy = dir.resolve("copied-down");
        try (Stream<Path> objects = Files.walk(s3.bucketDir("backups").resolve("enc"))) {
            for (Path p : objects.filter(Files::isRegularFile).toList()) {
                Path to = copy.resolve(s3.bucketDir("backups").resolve("enc").relativize(p));
                Files.createDirectories(to.getParent());
                Files.copy(p, to);
            }
        }
        Path fed = dir.resolve("fed.bin");

        MongoDbArchive restored = MongoDbRestore.builder(restoring(fed)).external(false).decryptWith(key).build()
                .restore(copy.resolve("mongodb"));
        TutorRootRestore.builder().decryptWith(key).build().restore(copy.resolve("tutor-root"), dir.resolve("r"));

        assertThat(Files.readAllBytes(fed)).isEqualTo(archive);
        assertThat(restored.location()).isEqualTo(copy.resolve("mongodb").toString());
        assertThat(tree(dir.resolve("r"))).isEqualTo(tree(root));
        assertOneLine(() -> MongoDbRestore.builder(restoring(fed)).build().restore(copy.resolve("mongodb")), ErrorKind.VERIFICATION,
                "is encrypted and needs its key");
    }

    @Test
    void a_missing_mongodb_backup_is_one_line_and_runs_nothing() throws Exception {
        try (BackupStore store = s3.open("s3://backups/none")) {
            assertOneLine(() -> MongoDbRestore.builder(restoring(dir.resolve("fed.bin"))).build().restore(store), ErrorKind.VERIFICATION,
                    "s3://backups/none/ holds no backup");
        }
        backUpMongo("gone");
        Files.delete(s3.bucketDir("backups").resolve("gone/" + MongoDbArchive.FILE));
        int calls = fake.calls().size();
        try (BackupStore store = s3.open("s3://backups/gone")) {
            assertOneLine(() -> MongoDbRestore.builder(restoring(dir.resolve("fed.bin"))).build().restore(store), ErrorKind.VERIFICATION,
                    "s3://backups/gone/mongodb.archive.gz is missing");
        }
        assertThat(fake.calls()).hasSize(calls);
        assertThat(dir.resolve("fed.bin")).doesNotExist();
    }

    // ---- verify ----

    @Test
    void encrypted_run_backups_verify_from_s3_with_their_key_reading_each_file_once() throws Exception {
        EncryptionKey key = key("c");
        try (BackupStore store = s3.open("s3://backups/run/tutor-root")) {
            TutorRootBackup.of(root).backup(new BackupRequest("02-lilac-backup", BackupTarget.TUTOR_ROOT, store.destination(), store,
                    Optional.of(key)));
        }
        try (BackupStore store = s3.open("s3://backups/run/mongodb")) {
            MongoDbBackup.builder(runner().build()).mode(DeploymentMode.LOCAL).build()
                    .backup(new BackupRequest("02-lilac-backup", BackupTarget.MONGODB, store.destination(), store, Optional.of(key)));
        }
        assertThat(Files.readAllBytes(s3.bucketDir("backups").resolve("run/mongodb/" + MongoDbArchive.FILE))).isNotEqualTo(archive);

        Map<String, Integer> opened = new HashMap<>();
        try (BackupStore store = s3.open("s3://backups/run/tutor-root")) {
            assertOneLine(() -> TutorRootArchive.verify(store, Optional.empty()), ErrorKind.VERIFICATION, "is encrypted and needs its key");
            TutorRootArchive a = TutorRootArchive.verify(new CountingStore(store, opened, n -> n.startsWith("files/")), Optional.of(key));
            assertThat(a.files()).isEqualTo(4);
            assertThat(a.location()).isEqualTo("s3://backups/run/tutor-root/");
        }
        assertThat(opened).hasSize(4).allSatisfy((name, times) -> assertThat(times).as(name).isEqualTo(1));
        opened.clear();
        try (BackupStore store = s3.open("s3://backups/run/mongodb")) {
            assertOneLine(() -> MongoDbArchive.verify(store, Optional.of(key("d"))), ErrorKind.VERIFICATION, "was encrypted with another key");
            MongoDbArchive m = MongoDbArchive.verify(new CountingStore(store, opened, n -> n.equals(MongoDbArchive.FILE)), Optional.of(key));
            assertThat(m.namespaces()).isEqualTo(MongoDbArchive.verify(archiveCopy()).namespaces()).isNotEmpty();
        }
        // read whole once; opened a second time only for the mongodump prelude at its start
        assertThat(opened).containsExactly(Map.entry(MongoDbArchive.FILE, 2));
    }

    /** A plain local backup of the known archive, to compare with. */
    private Path archiveCopy() {
        Path local = dir.resolve("plain-mongodb");
        MongoDbBackup.builder(runner().build()).mode(DeploymentMode.LOCAL).build().backup(local);
        return local;
    }

    @Test
    void verify_names_every_damaged_file_and_an_encrypted_local_run_backup_needs_its_key() throws Exception {
        backUpRoot("t");
        for (String file : List.of("t/files/env/build.bin", "t/files/config.yml")) {
            Path stored = s3.bucketDir("backups").resolve(file);
            byte[] bytes = Files.readAllBytes(stored);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(stored, bytes);
        }
        try (BackupStore store = s3.open("s3://backups/t")) {
            assertOneLine(() -> TutorRootArchive.verify(store, Optional.empty()), ErrorKind.VERIFICATION, "2 problem(s)",
                    "env/build.bin: SHA-256 differs from the manifest", "config.yml: SHA-256 differs from the manifest");
        }
        backUpMongo("m");
        Path stored = s3.bucketDir("backups").resolve("m/" + MongoDbArchive.FILE);
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 3] ^= 0x01;
        Files.write(stored, bytes);
        try (BackupStore store = s3.open("s3://backups/m")) {
            assertOneLine(() -> MongoDbArchive.verify(store, Optional.empty()), ErrorKind.VERIFICATION, "MongoDB backup s3://backups/m/",
                    "is damaged");
        }

        // an encrypted run backup in a local directory is written through a store: verify(Path) says it needs the key
        Path local = dir.resolve("local-run/tutor-root");
        try (BackupStore store = BackupStores.builder().build().open(new Destination.LocalDirectory(local))) {
            TutorRootBackup.of(root).backup(new BackupRequest("02-lilac-backup", BackupTarget.TUTOR_ROOT, store.destination(), store,
                    Optional.of(key("e"))));
        }
        assertOneLine(() -> TutorRootArchive.verify(local), ErrorKind.VERIFICATION, "is encrypted and needs its key");
        try (BackupStore store = BackupStores.builder().build().open(new Destination.LocalDirectory(local))) {
            assertThat(TutorRootArchive.verify(store, Optional.of(key("e"))).files()).isEqualTo(4);
        }
    }

    private static EncryptionKey key(String fill) {
        return EncryptionKey.fromEnvironment(Map.of("K", fill.repeat(64)), "K");
    }

    private static void assertOneLine(ThrowingCallable call, ErrorKind kind, String... parts) {
        assertThatThrownBy(call).isInstanceOf(ArboristException.class)
                .satisfies(e -> {
                    assertThat(((ArboristException) e).kind()).isEqualTo(kind);
                    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain(SECRET).contains(List.of(parts));
                });
    }
}
