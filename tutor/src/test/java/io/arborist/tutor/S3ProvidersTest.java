package io.arborist.tutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.testing.S3Server;
import io.arborist.tutor.internal.BackupFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MongoDB and Tutor-root providers writing to an S3 prefix (S3Proxy on loopback) through the executor's request:
 * streamed through the store, manifest last, checksums as in a directory.
 */
class S3ProvidersTest {
    private static final String SECRET = "mongo-pw-7aa1e0";

    @TempDir
    Path dir;
    private S3Server s3;
    private FakeTutor fake;
    private byte[] archive;
    private Path archiveFile;

    @BeforeEach
    void start() throws Exception {
        s3 = S3Server.start(dir.resolve("s3"));
        s3.createBucket("backups");
        fake = FakeTutor.install(Files.createDirectories(dir.resolve("bin")));
        archive = MongoArchives.archive(3 * 1024 * 1024);
        archiveFile = Files.write(dir.resolve("known.archive.gz"), archive);
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
    }

    private ProcessTutorRunner.Builder runner() {
        return fake.runner()
                .environment("PATH", fake.dir() + ":/usr/bin:/bin")
                .environment("FAKE_ECHO", "1")
                .environment("FAKE_STDOUT_FILE", archiveFile.toString())
                .environment("FAKE_CFG_RUN_MONGODB", "true")
                .environment("FAKE_CFG_MONGODB_PASSWORD", SECRET);
    }

    private static BackupRequest request(BackupStore store, BackupTarget target) {
        return new BackupRequest("02-lilac-backup", target, store.destination(), store);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void mongodb_streams_the_dump_into_the_prefix_and_writes_the_manifest_last() throws Exception {
        MongoDbBackup provider = MongoDbBackup.builder(runner().build()).mode(DeploymentMode.LOCAL).build();
        try (BackupStore store = s3.open("s3://backups/run/02-lilac-backup/mongodb")) {
            BackupArtifact made = provider.backup(request(store, BackupTarget.MONGODB));

            assertThat(made.location()).isEqualTo(Destination.parse("s3://backups/run/02-lilac-backup/mongodb"));
            assertThat(made.bytes()).isEqualTo(archive.length);
            assertThat(store.open("mongodb.archive.gz").readAllBytes()).as("Tutor's text before the archive is dropped")
                    .isEqualTo(archive);
            JsonNode manifest = BackupFiles.JSON.readTree(store.open("manifest.json"));
            assertThat(manifest.path("kind").asText()).isEqualTo(MongoDbArchive.KIND);
            assertThat(manifest.path("sha256").asText()).isEqualTo(sha256(archive));
            assertThat(manifest.path("bytes").asLong()).isEqualTo(archive.length);
            assertThat(manifest.toString()).doesNotContain(SECRET);
            assertThat(provider.isComplete(store)).isTrue();
        }
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList()).as("nothing staged on local disk")
                .containsExactlyInAnyOrder("s3", "bin", "known.archive.gz");
    }

    @Test
    void a_mongodb_dump_that_fails_midway_leaves_nothing_that_reads_as_complete() throws Exception {
        MongoDbBackup provider = MongoDbBackup.builder(runner().environment("FAKE_STDOUT_HEAD", Integer.toString(archive.length / 2))
                .environment("FAKE_STDERR", "Failed: error writing data").environment("FAKE_EXIT", "1").build()).build();
        try (BackupStore store = s3.open("s3://backups/run/02-lilac-backup/mongodb")) {
            assertThatThrownBy(() -> provider.backup(request(store, BackupTarget.MONGODB)))
                    .isInstanceOf(ArboristException.class).hasMessageContaining("failed with exit code 1")
                    .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.BACKUP);
            assertThat(provider.isComplete(store)).isFalse();
            assertThat(store.exists("mongodb.archive.gz")).as("an aborted upload stores no object").isFalse();
        }

        MongoDbBackup cut = MongoDbBackup.builder(runner().environment("FAKE_STDOUT_HEAD", Integer.toString(archive.length - 100))
                .build()).build();
        try (BackupStore store = s3.open("s3://backups/run/02-lilac-backup/mongodb-2")) {
            assertThatThrownBy(() -> cut.backup(request(store, BackupTarget.MONGODB)))
                    .hasMessageContaining("exited 0 but its archive is not whole");
            assertThat(cut.isComplete(store)).isFalse();
        }
    }

    @Test
    void the_tutor_root_is_uploaded_file_by_file_with_each_digest_in_the_manifest() throws Exception {
        Path root = Files.createDirectories(dir.resolve("tutor-root"));
        Files.writeString(root.resolve("config.yml"), "MYSQL_ROOT_PASSWORD: " + SECRET + "\n");
        Path local = Files.createDirectories(root.resolve("env/local"));
        Files.writeString(local.resolve("docker-compose.yml"), "services: {}\n");
        Files.createDirectories(root.resolve("env/empty"));
        Files.createSymbolicLink(root.resolve("env/leak.txt"), root.resolve("config.yml"));
        TutorRootBackup provider = TutorRootBackup.of(root);

        try (BackupStore store = s3.open("s3://backups/run/02-lilac-backup/tutor-root")) {
            BackupArtifact made = provider.backup(request(store, BackupTarget.TUTOR_ROOT));

            assertThat(made.location().toString()).isEqualTo("s3://backups/run/02-lilac-backup/tutor-root/");
            assertThat(new String(store.open("files/config.yml").readAllBytes(), StandardCharsets.UTF_8)).contains(SECRET);
            assertThat(store.list("files")).extracting(o -> o.name())
                    .containsExactly("files/config.yml", "files/env/local/docker-compose.yml");
            JsonNode manifest = BackupFiles.JSON.readTree(store.open("manifest.json"));
            assertThat(manifest.path("kind").asText()).isEqualTo("tutor-root");
            assertThat(manifest.path("files").asInt()).isEqualTo(2);
            assertThat(manifest.path("skipped").toString()).contains("env/leak.txt");
            assertThat(manifest.toString()).doesNotContain(SECRET);
            for (JsonNode e : manifest.path("entries")) {
                if (e.path("type").asText().equals("file")) {
                    byte[] stored = store.open("files/" + e.path("path").asText()).readAllBytes();
                    assertThat(e.path("sha256").asText()).as(e.path("path").asText()).isEqualTo(sha256(stored));
                }
            }
            assertThat(manifest.path("entries").findValuesAsText("path")).as("directories are listed, without objects")
                    .contains("env", "env/empty", "env/local");
            assertThat(provider.isComplete(store)).isTrue();
        }

        // a root that is not a Tutor root fails before anything reads as complete
        Files.delete(root.resolve("config.yml"));
        try (BackupStore store = s3.open("s3://backups/run/02-lilac-backup/tutor-root-2")) {
            assertThatThrownBy(() -> provider.backup(request(store, BackupTarget.TUTOR_ROOT))).hasMessageContaining("not a Tutor root");
            assertThat(provider.isComplete(store)).isFalse();
        }
    }
}
