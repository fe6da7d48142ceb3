package io.arborist.tutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.release.TutorVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MongoDB backup and restore through the real process runner and a fake {@code tutor} (no MongoDB server can be
 * installed here): the fake streams an archive built like mongodump's, fails midway, writes garbage or hangs, and
 * records what it was asked to run and what it was fed.
 */
class MongoDbBackupTest {
    private static final String SECRET = "mongo-pw-51c0ffee";
    private static final Path TEST_LOG = Path.of("target", "tutor-tests.log");

    @TempDir
    Path dir;
    FakeTutor fake;
    Path archiveFile;
    byte[] archive;
    List<String> heard = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws IOException {
        fake = FakeTutor.install(Files.createDirectories(dir.resolve("bin")));
        archive = MongoArchives.archive(3 * 1024 * 1024);
        archiveFile = Files.write(dir.resolve("known.archive.gz"), archive);
    }

    /** A runner whose fake prints its arguments (Tutor's command line) and then the archive, with MongoDB run by Tutor. */
    private ProcessTutorRunner.Builder runner() {
        return fake.runner()
                .environment("PATH", fake.dir() + ":/usr/bin:/bin")
                .environment("FAKE_ECHO", "1")
                .environment("FAKE_STDOUT_FILE", archiveFile.toString())
                .environment("FAKE_CFG_RUN_MONGODB", "true")
                .environment("FAKE_CFG_MONGODB_HOST", "mongo.internal")
                .environment("FAKE_CFG_MONGODB_PORT", "27017")
                .environment("FAKE_CFG_MONGODB_USERNAME", "openedx")
                .environment("FAKE_CFG_MONGODB_PASSWORD", SECRET)
                .environment("FAKE_CFG_MONGODB_DATABASE", "openedx")
                .environment("FAKE_CFG_MONGODB_AUTH_SOURCE", "admin")
                .listener((source, line) -> heard.add(line));
    }

    private static void assertNothingComplete(Path backup) throws IOException {
        assertThat(backup.resolve("manifest.json")).doesNotExist();
        try (Stream<Path> files = Files.list(backup)) {
            assertThat(files).as("a failed dump leaves no archive behind").isEmpty();
        }
    }

    @Test
    void round_trip_streams_the_archive_through_tutor_exec_and_feeds_it_back_to_mongorestore() throws Exception {
        Path backup = dir.resolve("backups/mongodb");

        MongoDbArchive a = MongoDbBackup.builder(runner().build()).mode(DeploymentMode.LOCAL).build().backup(backup);

        assertThat(Files.readAllBytes(backup.resolve("mongodb.archive.gz"))).as("Tutor's text before the archive is dropped")
                .isEqualTo(archive);
        assertThat(a.namespaces()).isEqualTo(MongoArchives.NAMESPACES);
        assertThat(a.bytes()).isEqualTo(archive.length);
        assertThat(a.uncompressedBytes()).isGreaterThan(3L * 1024 * 1024);
        assertThat(MongoDbArchive.verify(backup)).isEqualTo(a);
        for (Path p : List.of(backup, backup.resolve("mongodb.archive.gz"), backup.resolve("manifest.json"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                    .isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
        }
        assertThat(fake.argvs()).containsExactly(List.of("config", "printvalue", "RUN_MONGODB"),
                List.of("local", "exec", "-T", "mongodb", "mongodump", "--archive", "--gzip"));

        Path fed = dir.resolve("fed.bin");
        ProcessTutorRunner restoring = runner().environment("FAKE_STDIN_TO", fed.toString())
                .environment("FAKE_STDOUT", "arborist-databases=0").environment("FAKE_STDOUT_FILE", "/dev/null").build();
        MongoDbRestore.builder(restoring).mode(DeploymentMode.LOCAL).external(false).build().restore(backup);

        assertThat(Files.readAllBytes(fed)).isEqualTo(archive);
        List<List<String>> calls = fake.argvs();
        assertThat(calls.subList(2, calls.size())).containsExactly(
                List.of("local", "exec", "-T", "mongodb", "sh", "-c", "if command -v mongosh >/dev/null 2>&1; then exec mongosh"
                        + " --quiet --eval \"$1\"; else exec mongo --quiet --eval \"$1\"; fi", "arborist",
                        "var n=0;db.getMongo().getDBNames().forEach(function(d){if([\"admin\",\"config\",\"local\"].indexOf(d)<0)"
                                + "{n++;}});print(\"arborist-databases=\"+n);"),
                List.of("local", "exec", "-T", "mongodb", "mongorestore", "--archive", "--gzip", "--stopOnError"));
    }

    @Test
    void an_external_mongodb_gets_its_credentials_only_inside_the_process() throws Exception {
        Path backup = dir.resolve("ext");
        ProcessTutorRunner r = runner().environment("FAKE_CFG_RUN_MONGODB", "false").environment("FAKE_STDERR",
                "connecting with password " + SECRET).build();

        MongoDbArchive a = MongoDbBackup.builder(r).build().backup(backup);

        assertThat(a.source()).startsWith("external MongoDB");
        FakeTutor.Call dump = fake.calls().get(fake.calls().size() - 1);
        assertThat(dump.program()).isEqualTo("mongodump");
        assertThat(dump.args()).as("the process gets the real values").containsExactly("--uri=mongodb://mongo.internal:27017/",
                "--username=openedx", "--password=" + SECRET, "--authenticationDatabase=admin", "--archive", "--gzip");
        assertThat(fake.argvs()).contains(List.of("--version"));
        String manifest = Files.readString(backup.resolve("manifest.json"));
        assertThat(manifest).contains("--password=${TUTOR_CONFIG:MONGODB_PASSWORD}").doesNotContain(SECRET);
        assertThat(heard).contains("connecting with password ******");
        assertThat(String.join("\n", heard)).doesNotContain(SECRET);
        assertThat(Files.readString(TEST_LOG)).contains("Backed up MongoDB").doesNotContain(SECRET);
    }

    @Test
    void an_external_mongodb_before_tutor_15_authenticates_against_the_application_database() throws Exception {
        ProcessTutorRunner r = runner().environment("FAKE_VERSION", "14.2.3").build();

        MongoDbBackup.builder(r).external(true).build().backup(dir.resolve("ext14"));

        assertThat(fake.calls().get(fake.calls().size() - 1).args()).contains("--authenticationDatabase=openedx");
    }

    @Test
    void kubernetes_gets_one_command_string_before_tutor_13_2_and_an_argument_list_from_it() throws Exception {
        MongoDbBackup.builder(runner().environment("FAKE_VERSION", "12.2.0").build()).mode(DeploymentMode.K8S).external(false)
                .build().backup(dir.resolve("k12"));
        MongoDbBackup.builder(runner().build()).mode(DeploymentMode.K8S).external(false)
                .tutorVersion(TutorVersion.parse("13.2.0")).build().backup(dir.resolve("k13"));

        assertThat(fake.argvs()).containsExactly(List.of("--version"),
                List.of("k8s", "exec", "mongodb", "mongodump --archive --gzip"),
                List.of("k8s", "exec", "mongodb", "mongodump", "--archive", "--gzip"));
        assertThat(Files.readAllBytes(dir.resolve("k12/mongodb.archive.gz"))).isEqualTo(archive);
    }

    @Test
    void a_dump_that_fails_midway_leaves_nothing_complete() throws Exception {
        Path backup = dir.resolve("midway");
        ProcessTutorRunner r = runner().environment("FAKE_STDOUT_HEAD", Integer.toString(archive.length / 2))
                .environment("FAKE_STDERR", "Failed: error writing data for collection `openedx.fs.chunks`").environment("FAKE_EXIT", "1")
                .build();
        MongoDbBackup provider = MongoDbBackup.builder(r).build();

        assertThatThrownBy(() -> provider.backup(backup))
                .isInstanceOf(ArboristException.class)
                .hasMessageContaining("`tutor local exec -T mongodb mongodump --archive --gzip` failed with exit code 1")
                .hasMessageContaining("error writing data for collection")
                .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.BACKUP);
        assertNothingComplete(backup);
        assertThat(provider.isComplete(backup)).isFalse();
    }

    @Test
    void a_stream_cut_short_is_caught_even_when_the_dump_exits_0() throws Exception {
        Path backup = dir.resolve("truncated");
        ProcessTutorRunner r = runner().environment("FAKE_STDOUT_HEAD", Integer.toString(archive.length - 100)).build();

        assertThatThrownBy(() -> MongoDbBackup.builder(r).build().backup(backup))
                .hasMessageContaining("exited 0 but its archive is not whole: the gzip data is cut short");
        assertNothingComplete(backup);
    }

    @Test
    void garbage_is_not_an_archive() throws Exception {
        Path garbage = dir.resolve("garbage.bin");
        byte[] noise = new byte[2 * 1024 * 1024];
        new java.util.Random(3).nextBytes(noise);
        for (int i = 0; i < noise.length; i++) {
            if (noise[i] == 0x1f) {
                noise[i] = 0x20;
            }
        }
        Files.write(garbage, noise);
        Path backup = dir.resolve("garbage");

        assertThatThrownBy(() -> MongoDbBackup.builder(runner().environment("FAKE_STDOUT_FILE", garbage.toString()).build())
                .build().backup(backup))
                .hasMessageContaining("bytes came before any gzip data: this is not the output of mongodump --archive --gzip");
        assertNothingComplete(backup);

        Path text = Files.writeString(dir.resolve("text.txt"), "Error: No such service: mongodb\n");
        assertThatThrownBy(() -> MongoDbBackup.builder(runner().environment("FAKE_STDOUT_FILE", text.toString()).build())
                .build().backup(backup))
                .hasMessageContaining("exited 0 but printed no archive");
        assertNothingComplete(backup);
    }

    @Test
    void a_dump_that_hangs_is_killed_at_its_timeout() throws Exception {
        Path backup = dir.resolve("hang");
        ProcessTutorRunner r = runner().environment("FAKE_STDOUT_HEAD", "100000").environment("FAKE_SLEEP", "300").build();

        long start = System.nanoTime();
        assertThatThrownBy(() -> MongoDbBackup.builder(r).timeout(Duration.ofSeconds(1)).build().backup(backup))
                .hasMessageContaining("timed out after");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertNothingComplete(backup);
    }

    @Test
    void verify_catches_a_changed_byte_even_with_a_matching_manifest() throws Exception {
        Path backup = dir.resolve("tamper");
        MongoDbBackup.builder(runner().build()).build().backup(backup);
        Path file = backup.resolve("mongodb.archive.gz");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);

        assertThatThrownBy(() -> MongoDbArchive.verify(backup)).hasMessageContaining("SHA-256 differs from the manifest")
                .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.VERIFICATION);

        String manifest = Files.readString(backup.resolve("manifest.json"));
        String sha = MongoDbArchive.read(backup).sha256();
        String forged = io.arborist.tutor.internal.BackupFiles.sha256Of(file);
        Files.writeString(backup.resolve("manifest.json"), manifest.replace(sha, forged));
        assertThatThrownBy(() -> MongoDbArchive.verify(backup)).hasMessageContaining("the gzip data");

        Files.write(file, archive);
        Files.write(file, new byte[] {'x', '\n'}, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(backup.resolve("manifest.json"), manifest.replace(sha, io.arborist.tutor.internal.BackupFiles
                .sha256Of(file)).replace("\"bytes\" : " + archive.length, "\"bytes\" : " + (archive.length + 2)));
        assertThatThrownBy(() -> MongoDbArchive.verify(backup)).hasMessageContaining("bytes follow the end of the gzip data");
    }

    @Test
    void restore_refuses_a_target_with_databases_unless_told_and_then_drops() throws Exception {
        Path backup = dir.resolve("b");
        MongoDbBackup.builder(runner().build()).build().backup(backup);
        int before = fake.calls().size();
        ProcessTutorRunner busy = runner().environment("FAKE_STDOUT", "arborist-databases=2").environment("FAKE_STDOUT_FILE", "/dev/null")
                .build();

        assertThatThrownBy(() -> MongoDbRestore.builder(busy).external(false).build().restore(backup))
                .hasMessageContaining("already holds 2 database(s) besides admin, config and local")
                .hasMessageContaining("replaceExisting(true)")
                .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.CONFIGURATION);
        assertThat(fake.argvs().subList(before, fake.argvs().size())).noneMatch(a -> a.contains("mongorestore"));

        ProcessTutorRunner mute = runner().environment("FAKE_STDOUT_FILE", "/dev/null").environment("FAKE_ECHO", "").build();
        assertThatThrownBy(() -> MongoDbRestore.builder(mute).external(false).build().restore(backup))
                .hasMessageContaining("cannot tell whether the target MongoDB is empty");

        Path fed = dir.resolve("fed.bin");
        MongoDbRestore.builder(runner().environment("FAKE_STDIN_TO", fed.toString()).environment("FAKE_STDOUT_FILE", "/dev/null").build())
                .external(false).replaceExisting(true).build().restore(backup);
        assertThat(Files.readAllBytes(fed)).isEqualTo(archive);
        assertThat(fake.argvs().get(fake.argvs().size() - 1))
                .containsExactly("local", "exec", "-T", "mongodb", "mongorestore", "--archive", "--gzip", "--stopOnError", "--drop");
    }

    @Test
    void a_restore_that_stops_reading_early_is_an_error() throws Exception {
        Path backup = dir.resolve("b");
        MongoDbBackup.builder(runner().build()).build().backup(backup);

        assertThatThrownBy(() -> MongoDbRestore.builder(runner().environment("FAKE_STDOUT_FILE", "/dev/null").build())
                .external(false).replaceExisting(true).build().restore(backup))
                .hasMessageContaining("exited 0 after reading");
    }

    @Test
    void as_a_provider_it_saves_only_mongodb() throws Exception {
        MongoDbBackup provider = MongoDbBackup.builder(runner().build()).build();

        BackupArtifact made = provider.backup(new BackupRequest("02-lilac-backup", BackupTarget.MONGODB, dir.resolve("p")));

        assertThat(made.id()).isEqualTo("02-lilac-backup/mongodb");
        assertThat(made.bytes()).isEqualTo(archive.length);
        assertThat(provider.isComplete(dir.resolve("p"))).isTrue();
        assertThatThrownBy(() -> provider.backup(new BackupRequest("s", BackupTarget.SEARCH_INDEX, dir.resolve("q"))))
                .hasMessageContaining("saves MONGODB targets, not SEARCH_INDEX");
        assertThatThrownBy(() -> provider.backup(dir.resolve("p"))).hasMessageContaining("is not empty");
    }

    @Test
    void tutor_without_run_mongodb_is_told_what_to_set() {
        ProcessTutorRunner r = runner().environment("FAKE_CFG_RUN_MONGODB", "").build();

        assertThatThrownBy(() -> MongoDbBackup.builder(r).build().backup(dir.resolve("x")))
                .hasMessageContaining("cannot tell whether Tutor runs MongoDB").hasMessageContaining("external(false)");
    }
}
