package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.backup.store.StoreOutputStream;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.testing.S3Server;
import io.arborist.tutor.MongoDbBackup;
import io.arborist.tutor.ProcessTutorRunner;
import io.arborist.tutor.TutorRootBackup;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code restore tutor-root} and {@code restore mongodb --from s3://…} against S3Proxy on loopback, MongoDB through a
 * fake {@code tutor} that records what {@code mongorestore} is fed; credentials reach the CLI through the AWS default
 * chain (its system properties here).
 */
class TutorRestoreCliIT {
    private static final String SECRET = "tutor-secret-6d02af";

    @TempDir
    Path dir;
    private S3Server s3;
    private Path root;
    private Path fake;
    private Path fed;
    private byte[] archive;
    private Path key;

    private record Result(int status, String out, String err) {
    }

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ArboristCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    @BeforeEach
    void start() throws Exception {
        s3 = CliS3.start(dir.resolve("s3"));
        root = Files.createDirectories(dir.resolve("site"));
        Files.writeString(root.resolve("config.yml"), "MYSQL_ROOT_PASSWORD: " + SECRET + "\n");
        Path local = Files.createDirectories(root.resolve("env/local"));
        Files.writeString(local.resolve("docker-compose.yml"), "password: " + SECRET + "\n");
        Files.setPosixFilePermissions(Files.writeString(local.resolve("run.sh"), "#!/bin/sh\n"), PosixFilePermissions.fromString("rwxr-x---"));
        archive = RunCommandTest.mongoArchive("restore from s3");
        Path dump = Files.write(dir.resolve("dump.gz"), archive);
        fed = dir.resolve("fed.bin");
        fake = dir.resolve("fake-tutor");
        Files.writeString(fake, """
                #!/bin/sh
                if [ "$1" = config ] && [ "$2" = printvalue ] && [ "$3" = RUN_MONGODB ]; then echo true; exit 0; fi
                if [ "$2" = exec ] && [ "$5" = mongodump ]; then cat '%1$s'; exit 0; fi
                if [ "$2" = exec ] && [ "$5" = sh ]; then echo arborist-databases=0; exit 0; fi
                if [ "$2" = exec ] && [ "$5" = mongorestore ]; then echo "restoring with %2$s" >&2; cat > '%3$s'; exit 0; fi
                echo "unexpected: $*" >&2; exit 2
                """.formatted(dump, SECRET, fed));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        key = Files.writeString(dir.resolve("archive.key"), "0123456789abcdef".repeat(4));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void stop() throws Exception {
        CliS3.stop(s3);
    }

    private BackupRequest request(BackupStore store, BackupTarget target) {
        return new BackupRequest("02-lilac-backup", target, store.destination(), store);
    }

    private static Map<String, String> tree(Path top) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(top)) {
            for (Path p : walk.filter(p -> !p.equals(top)).toList()) {
                out.put(top.relativize(p).toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
                        + (Files.isRegularFile(p) ? " " + HexFormat.of().formatHex(Files.readAllBytes(p)) : ""));
            }
        }
        return out;
    }

    private String[] restoreRoot(String from, Path target, String... extra) {
        return Stream.concat(Stream.of("restore", "tutor-root", "--from", from, "--root", target.toString(), "--endpoint",
                s3.endpoint().toString()), Stream.of(extra)).toArray(String[]::new);
    }

    private String[] restoreMongo(String from, String... extra) {
        return Stream.concat(Stream.of("restore", "mongodb", "--from", from, "--tutor", fake.toString(), "--tutor-root", root.toString(),
                "--endpoint", s3.endpoint().toString()), Stream.of(extra)).toArray(String[]::new);
    }

    private void assertOneLine(Result r, String... parts) {
        assertThat(r.status()).as(r.out() + r.err()).isNotZero();
        assertThat(r.err()).doesNotContain(SECRET).doesNotContain(s3.secret());
        assertThat(r.err().lines().filter(l -> !l.startsWith("  | ")).toList()).as("one error line besides the tool's own output")
                .singleElement().asString().contains(parts);
        assertThat(r.out()).doesNotContain(SECRET);
    }

    @Test
    void restore_tutor_root_from_s3_brings_back_every_file_with_its_mode_and_refuses_damage_in_one_line() throws Exception {
        try (BackupStore store = s3.open("s3://backups/site/run-1/02-lilac-backup/tutor-root")) {
            TutorRootBackup.of(root).backup(request(store, BackupTarget.TUTOR_ROOT));
        }
        String from = "s3://backups/site/run-1/02-lilac-backup/tutor-root";
        Path target = dir.resolve("rehearsal");

        Result ok = cli(restoreRoot(from, target));

        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("restore complete: 3 file(s)").contains("from " + from + "/ into " + target).doesNotContain(SECRET);
        assertThat(tree(target)).isEqualTo(tree(root));

        Result again = cli(restoreRoot(from, target));
        assertOneLine(again, target + " already has a config.yml and a non-empty env/");

        Path stored = s3.bucketDir("backups").resolve("site/run-1/02-lilac-backup/tutor-root/files/env/local/docker-compose.yml");
        byte[] bytes = Files.readAllBytes(stored);
        bytes[2] ^= 0x20;
        Files.write(stored, bytes);
        Map<String, String> before = tree(target);
        Result damaged = cli(restoreRoot(from, target, "--replace-existing"));
        assertOneLine(damaged, "files/env/local/docker-compose.yml does not match its SHA-256 in the manifest", target + " is unchanged");
        assertThat(tree(target)).isEqualTo(before);

        assertOneLine(cli(restoreRoot("s3://backups/site/none", dir.resolve("x"))), "s3://backups/site/none/ holds no backup");
        assertOneLine(cli(restoreRoot(dir.resolve("no-such-dir").toString(), dir.resolve("x"))), "no such backup directory");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void restore_mongodb_from_s3_feeds_the_archive_byte_for_byte_and_needs_the_right_key() throws Exception {
        ProcessTutorRunner tutor = ProcessTutorRunner.builder().executable(fake).tutorRoot(root).build();
        try (BackupStore store = s3.open("s3://backups/site/run-1/02-lilac-backup/mongodb")) {
            MongoDbBackup.builder(tutor).build().backup(request(store, BackupTarget.MONGODB));
        }

        Result ok = cli(restoreMongo("s3://backups/site/run-1/02-lilac-backup/mongodb"));

        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(Files.readAllBytes(fed)).isEqualTo(archive);
        assertThat(ok.out()).contains("restore complete: 1 collection(s), " + String.format("%,d", archive.length)
                + " bytes from s3://backups/site/run-1/02-lilac-backup/mongodb/").contains("  openedx.modulestore");
        assertThat(ok.err()).as("mongorestore's output, its secret hidden").contains("restoring with").doesNotContain(SECRET);

        // an encrypted copy: the same archive and manifest, written with the key the CLI derives from --key-file
        EncryptionKey encryption = EncryptionKey.derivedFrom(ArchiveKey.fromFile(key));
        try (BackupStore plain = s3.open("s3://backups/site/run-1/02-lilac-backup/mongodb");
             BackupStore store = s3.open("s3://backups/enc/mongodb")) {
            ArchiveWriter writer = ArchiveWriter.into(store, "").encryptedWith(encryption).start();
            try (StoreOutputStream out = writer.create("mongodb.archive.gz")) {
                out.write(archive);
            }
            writer.commit(plain.open("manifest.json").readAllBytes());
        }
        Files.delete(fed);
        assertOneLine(cli(restoreMongo("s3://backups/enc/mongodb")), "s3://backups/enc/mongodb/ is encrypted and needs its key");
        Path other = Files.writeString(dir.resolve("other.key"), "fedcba9876543210".repeat(4));
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-------"));
        assertOneLine(cli(restoreMongo("s3://backups/enc/mongodb", "--key-file", other.toString())), "was encrypted with another key");
        assertThat(fed).as("mongorestore never ran").doesNotExist();

        Result decrypted = cli(restoreMongo("s3://backups/enc/mongodb", "--key-file", key.toString()));
        assertThat(decrypted.status()).as(decrypted.err()).isZero();
        assertThat(Files.readAllBytes(fed)).isEqualTo(archive);

        Path stored = s3.bucketDir("backups").resolve("site/run-1/02-lilac-backup/mongodb/mongodb.archive.gz");
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(stored, bytes);
        Result damaged = cli(restoreMongo("s3://backups/site/run-1/02-lilac-backup/mongodb"));
        assertOneLine(damaged, "s3://backups/site/run-1/02-lilac-backup/mongodb/mongodb.archive.gz does not match its SHA-256",
                "mongorestore was stopped before the end of the archive");
        assertThat(damaged.out()).doesNotContain("restore complete");

        assertOneLine(cli(restoreMongo("s3://backups/site/missing")), "s3://backups/site/missing/ holds no backup");
    }
}
