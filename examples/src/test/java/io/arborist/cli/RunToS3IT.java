package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.StoreOutputStream;
import io.arborist.clickhouse.ClickHouseServer;
import io.arborist.core.testing.S3Server;
import io.arborist.mysql.DbServer;
import io.arborist.mysql.ServerKind;
import io.arborist.mysql.SharedServers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} and {@code resume --backup-dir s3://…} end to end: S3Proxy on loopback, MySQL backups from MariaDB 10.11,
 * MongoDB and the Tutor root through a fake {@code tutor}; then {@code status} and {@code backups list} on the bucket.
 * Credentials reach the CLI through the AWS default chain (its system properties here).
 */
class RunToS3IT {
    private static final String SECRET = "tutor-secret-0b7e2d";

    @TempDir
    Path dir;
    private S3Server s3;
    private DbServer mysql;
    private Path fake;
    private Path calls;
    private Path plan;

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
        mysql = SharedServers.server(ServerKind.MARIADB_10_11);
        mysql.sql("DROP DATABASE IF EXISTS s3run", "CREATE DATABASE s3run", "CREATE TABLE s3run.t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO s3run.t SELECT seq, CONCAT('row', seq) FROM " + DbServer.seq(1000));
        Files.writeString(dir.resolve("config.yml"), "MYSQL_ROOT_PASSWORD: " + SECRET + "\n");
        Files.createDirectories(dir.resolve("env/local"));
        Files.writeString(dir.resolve("env/local/docker-compose.yml"), "password: " + SECRET + "\n");
        Path archive = Files.write(dir.resolve("mongodb-stream.gz"), RunCommandTest.mongoArchive("s3 run"));
        calls = dir.resolve("calls.log");
        fake = dir.resolve("fake-tutor");
        Files.writeString(fake, """
                #!/bin/sh
                echo "$0 $*" >> '%1$s'
                if [ "$1" = config ] && [ "$2" = printvalue ] && [ "$3" = RUN_MONGODB ]; then echo true; exit 0; fi
                if [ "$2" = exec ] && [ "$5" = mongodump ]; then
                  echo "docker compose --env MONGO_PASSWORD=%2$s exec -T mongodb mongodump --archive --gzip"
                  if [ -f '%3$s' ]; then head -c 100 '%4$s'; echo "connection reset" >&2; exit 1; fi
                  cat '%4$s'; exit 0
                fi
                echo "ok: $*"
                """.formatted(calls, SECRET, dir.resolve("fail-mongodump"), archive));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        plan = dir.resolve("plan.json");
        assertThat(cli("plan", "--from", "koa", "--to", "lilac", "--format", "json", "--out", plan.toString()).status()).isZero();
    }

    @AfterEach
    void stop() throws Exception {
        CliS3.stop(s3);
        mysql.sql("DROP DATABASE IF EXISTS s3run");
    }

    private String[] args(String command, String journal, String backupDir, String... extra) {
        List<String> a = new ArrayList<>(List.of(command, "--journal", dir.resolve(journal).toString(), "--tutor", fake.toString(),
                "--pip", fake.toString(), "--tutor-root", dir.toString(), "--yes", "--backup-dir", backupDir,
                "--endpoint", s3.endpoint().toString(), "--mysql-url", mysql.url(), "--mysql-databases", "s3run"));
        if (command.equals("run")) {
            a.addAll(List.of("--plan", plan.toString()));
        }
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static void put(BackupStore store, String name, String text) throws IOException {
        StoreOutputStream out = store.create(name);
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.close();
    }

    @Test
    void run_and_resume_write_every_backup_to_s3_and_backups_list_sees_them() throws Exception {
        String site = "s3://backups/site";
        Files.writeString(dir.resolve("fail-mongodump"), "");

        Result failed = cli(args("run", "upgrade.journal", site));

        assertThat(failed.status()).as(failed.out() + failed.err()).isEqualTo(1);
        assertThat(failed.out()).contains("Stopped at 02-lilac-backup");
        String journal = Files.readString(dir.resolve("upgrade.journal"));
        String run = journal.replaceAll("(?s).*\"runId\":\"([^\"]+)\".*", "$1");
        String step = site + "/" + run + "/02-lilac-backup";
        assertThat(journal).contains("\"location\":\"" + step + "/mysql/\"").contains("\"location\":\"" + step + "/mongodb/\"");
        try (BackupStore root = s3.open(site)) {
            assertThat(root.exists(run + "/02-lilac-backup/mysql/manifest.json")).as("the MySQL backup completed").isTrue();
            assertThat(root.list(run + "/02-lilac-backup/mongodb")).as("the failed dump left nothing complete")
                    .noneMatch(o -> o.name().endsWith("manifest.json"));
            // what a kill -9 midway would leave: the marker and part of the data, no manifest
            put(root, run + "/02-lilac-backup/mongodb/archive.json", "{\"format\":\"arborist-archive\",\"version\":1}");
            put(root, run + "/02-lilac-backup/mongodb/mongodb.archive.gz", "cut short");
            // someone else's partial backup elsewhere under the prefix
            put(root, "older/02-lilac-backup/mysql/archive.json", "{\"format\":\"arborist-archive\",\"version\":1}");
        }
        Result partial = cli("backups", "list", site, "--endpoint", s3.endpoint().toString());
        assertThat(partial.out()).as("a killed backup never reads as complete")
                .containsPattern("PARTIAL .*" + java.util.regex.Pattern.quote(step + "/mongodb/"));

        Files.delete(dir.resolve("fail-mongodump"));
        Result resumed = cli(args("resume", "upgrade.journal", site));

        assertThat(resumed.status()).as(resumed.out() + resumed.err()).isZero();
        assertThat(resumed.out()).contains("Upgrade plan completed.").contains("Backups kept")
                .contains(step + "/mysql-2/").contains(step + "/mongodb/").contains(step + "/tutor-root/");
        try (BackupStore root = s3.open(site)) {
            String at = run + "/02-lilac-backup/";
            assertThat(root.exists(at + "mysql/manifest.json")).as("the first run's complete backup is kept").isTrue();
            assertThat(root.exists(at + "mysql-2/manifest.json")).isTrue();
            assertThat(root.open(at + "mongodb/mongodb.archive.gz").readAllBytes())
                    .as("the partial backup this run started was replaced").isEqualTo(RunCommandTest.mongoArchive("s3 run"));
            assertThat(root.exists(at + "mongodb/manifest.json")).isTrue();
            assertThat(new String(root.open(at + "tutor-root/files/config.yml").readAllBytes(), StandardCharsets.UTF_8)).contains(SECRET);
            assertThat(root.exists(at + "tutor-root/manifest.json")).isTrue();
        }

        Result status = cli("status", "--journal", dir.resolve("upgrade.journal").toString());
        assertThat(status.out()).contains(step + "/mysql-2/").contains(step + "/mongodb/").contains(step + "/tutor-root/");

        Result verify = cli("verify", step + "/mysql-2", "--endpoint", s3.endpoint().toString());
        assertThat(verify.status()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("archive OK: " + step + "/mysql-2/ (MySQL").contains("s3run.t: 1,000 rows");

        Result list = cli("backups", "list", site, "--endpoint", s3.endpoint().toString(), "--journal", dir.resolve("upgrade.journal").toString());
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).contains("4 complete, 1 partial under " + site + "/");
        for (String target : List.of("mysql", "mysql-2", "mongodb", "tutor-root")) {
            assertThat(list.out()).containsPattern("complete .*" + java.util.regex.Pattern.quote(step + "/" + target + "/") + ".*referenced by");
        }
        assertThat(list.out()).containsPattern("PARTIAL .*" + java.util.regex.Pattern.quote(site + "/older/02-lilac-backup/mysql/"));
        Result prune = cli("backups", "prune", site, "--endpoint", s3.endpoint().toString(), "--journal",
                dir.resolve("upgrade.journal").toString(), "--keep", "1", "--partial");
        assertThat(prune.status()).as(prune.err()).isZero();
        assertThat(prune.out()).as("only the foreign partial one goes: the journal references the rest").contains("Removed 1, kept 4.");

        for (String text : List.of(failed.out(), failed.err(), resumed.out(), resumed.err(), status.out(), list.out(),
                Files.readString(dir.resolve("upgrade.journal")))) {
            assertThat(text).doesNotContain(SECRET).doesNotContain(s3.secret());
        }
    }

    private Path keyFile(String name, String hex) throws IOException {
        Path key = dir.resolve(name);
        Files.writeString(key, hex + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return key;
    }

    @Test
    void an_encrypted_run_writes_every_backup_encrypted_and_verify_and_restore_need_its_key() throws Exception {
        String site = "s3://backups/sealed";
        Path key = keyFile("run.key", "5e".repeat(32));
        Path other = keyFile("other.key", "a7".repeat(32));

        Result unkeyed = cli(args("run", "unkeyed.journal", site, "--encrypt"));
        assertThat(unkeyed.status()).isNotZero();
        assertThat(unkeyed.err().strip()).hasLineCount(1).contains("--encrypt needs the archive key");
        assertThat(dir.resolve("unkeyed.journal")).doesNotExist();

        Result run = cli(args("run", "sealed.journal", site, "--encrypt", "--key-file", key.toString()));

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        String journal = Files.readString(dir.resolve("sealed.journal"));
        String runId = journal.replaceAll("(?s).*\"runId\":\"([^\"]+)\".*", "$1");
        String step = site + "/" + runId + "/02-lilac-backup";
        try (BackupStore root = s3.open(site)) {
            String at = runId + "/02-lilac-backup/";
            for (String target : List.of("mysql", "mongodb", "tutor-root")) {
                assertThat(root.exists(at + target + "/manifest.json")).as(target).isTrue();
                assertThat(new String(root.open(at + target + "/archive.json").readAllBytes(), StandardCharsets.UTF_8))
                        .as(target + "'s marker names the scheme").contains("\"encryption\"");
            }
            assertThat(new String(root.open(at + "tutor-root/files/config.yml").readAllBytes(), StandardCharsets.ISO_8859_1))
                    .as("the Tutor root's secrets are ciphertext in the bucket").doesNotContain(SECRET);
            assertThat(root.open(at + "mongodb/mongodb.archive.gz").readAllBytes())
                    .isNotEqualTo(RunCommandTest.mongoArchive("s3 run"));
        }

        Result noKey = cli("verify", step + "/mysql", "--endpoint", s3.endpoint().toString());
        assertThat(noKey.status()).isNotZero();
        assertThat(noKey.err().strip()).hasLineCount(1).contains("needs its key");
        Result wrongKey = cli("verify", step + "/mysql", "--endpoint", s3.endpoint().toString(), "--key-file", other.toString());
        assertThat(wrongKey.status()).isNotZero();
        assertThat(wrongKey.err().strip()).hasLineCount(1).contains("another key");
        Result verify = cli("verify", step + "/mysql", "--endpoint", s3.endpoint().toString(), "--key-file", key.toString());
        assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("s3run.t: 1,000 rows");

        Result mongo = cli("verify", step + "/mongodb", "--endpoint", s3.endpoint().toString(), "--key-file", key.toString());
        assertThat(mongo.status()).as(mongo.out() + mongo.err()).isZero();
        assertThat(mongo.out()).contains("archive OK: " + step + "/mongodb/ (MongoDB").contains("SHA-256 matches");
        Result tutorRoot = cli("verify", step + "/tutor-root", "--endpoint", s3.endpoint().toString(), "--key-file", key.toString());
        assertThat(tutorRoot.status()).as(tutorRoot.out() + tutorRoot.err()).isZero();
        assertThat(tutorRoot.out()).contains("archive OK: " + step + "/tutor-root/ (Tutor root").contains("2 file(s)");
        Result tutorNoKey = cli("verify", step + "/tutor-root", "--endpoint", s3.endpoint().toString());
        assertThat(tutorNoKey.status()).isNotZero();
        assertThat(tutorNoKey.err().strip()).hasLineCount(1).contains("needs its key");

        Path restored = dir.resolve("restored-root");
        Result restore = cli("restore", "tutor-root", "--from", step + "/tutor-root", "--root", restored.toString(),
                "--endpoint", s3.endpoint().toString(), "--key-file", key.toString());
        assertThat(restore.status()).as(restore.out() + restore.err()).isZero();
        assertThat(Files.readString(restored.resolve("config.yml"))).isEqualTo(Files.readString(dir.resolve("config.yml")));

        for (String text : List.of(run.out(), run.err(), verify.out(), restore.out(), restore.err(), journal)) {
            assertThat(text).doesNotContain(SECRET).doesNotContain("5e".repeat(32));
        }
    }

    @Test
    void a_missing_bucket_or_wrong_credentials_stop_the_run_in_one_line_before_any_step() throws Exception {
        Result missing = cli(args("run", "missing.journal", "s3://no-such-bucket/site"));

        assertThat(missing.status()).isNotZero();
        assertThat(missing.err().strip()).hasLineCount(1).contains("bucket 'no-such-bucket' does not exist").contains("nothing was run");
        assertThat(dir.resolve("missing.journal")).doesNotExist();

        String wrong = "wrong-secret-91c3aa";
        System.setProperty("aws.secretAccessKey", wrong);
        Result denied = cli(args("run", "denied.journal", "s3://backups/site"));

        assertThat(denied.status()).isNotZero();
        assertThat(denied.err().strip()).hasLineCount(1).contains("access denied").doesNotContain(wrong).doesNotContain(s3.secret());
        assertThat(denied.out()).doesNotContain(wrong);
        assertThat(dir.resolve("denied.journal")).doesNotExist();
        assertThat(calls).as("no step ran: tutor was never called").doesNotExist();
    }

    @Test
    void a_run_with_aspects_takes_the_clickhouse_backup_to_s3_too() throws Exception {
        ClickHouseServer ch = ClickHouseServer.shared();
        ch.run("DROP DATABASE IF EXISTS s3run_ch", "CREATE DATABASE s3run_ch",
                "CREATE TABLE s3run_ch.events (id UInt64, verb String) ENGINE = MergeTree ORDER BY id",
                "INSERT INTO s3run_ch.events SELECT number, concat('verb', toString(number % 7)) FROM numbers(2000)");
        try {
            Path aspectsPlan = dir.resolve("aspects-plan.json");
            assertThat(cli("plan", "--from", "palm", "--aspects", "1.3.2", "--to", "quince", "--format", "json", "--out",
                    aspectsPlan.toString()).status()).isZero();
            String site = "s3://backups/aspects";

            Result run = cli("run", "--plan", aspectsPlan.toString(), "--journal", dir.resolve("j").toString(), "--dry-run", "--yes",
                    "--mysql-url", mysql.url(), "--mysql-databases", "s3run", "--clickhouse-url", ch.admin().url().toString(),
                    "--clickhouse-databases", "s3run_ch", "--backup-dir", site, "--endpoint", s3.endpoint().toString());

            assertThat(run.status()).as(run.out() + run.err()).isZero();
            String clickhouse = run.out().lines().filter(l -> l.strip().matches("\\S+-backup/clickhouse .*")).findFirst().orElseThrow()
                    .strip().split("\\s+")[1];
            assertThat(clickhouse).startsWith(site + "/").endsWith("/clickhouse/");
            Result verify = cli("verify", clickhouse, "--endpoint", s3.endpoint().toString());
            assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
            assertThat(verify.out()).contains("archive OK: " + clickhouse + " (ClickHouse)");
            Result list = cli("backups", "list", site, "--endpoint", s3.endpoint().toString());
            assertThat(list.out()).contains("2 complete, 0 partial under " + site + "/");

            String sealed = "s3://backups/aspects-sealed";
            Path key = keyFile("aspects.key", "c3".repeat(32));
            Result encrypted = cli("run", "--plan", aspectsPlan.toString(), "--journal", dir.resolve("j2").toString(), "--dry-run",
                    "--yes", "--mysql-url", mysql.url(), "--mysql-databases", "s3run", "--clickhouse-url", ch.admin().url().toString(),
                    "--clickhouse-databases", "s3run_ch", "--backup-dir", sealed, "--endpoint", s3.endpoint().toString(),
                    "--encrypt", "--key-file", key.toString());
            assertThat(encrypted.status()).as(encrypted.out() + encrypted.err()).isZero();
            String sealedCh = encrypted.out().lines().filter(l -> l.strip().matches("\\S+-backup/clickhouse .*")).findFirst()
                    .orElseThrow().strip().split("\\s+")[1];
            Result noKey = cli("verify", sealedCh, "--endpoint", s3.endpoint().toString());
            assertThat(noKey.status()).isNotZero();
            assertThat(noKey.err().strip()).hasLineCount(1).contains("needs its key");
            Result keyed = cli("verify", sealedCh, "--endpoint", s3.endpoint().toString(), "--key-file", key.toString());
            assertThat(keyed.status()).as(keyed.out() + keyed.err()).isZero();
            assertThat(keyed.out()).contains("archive OK: " + sealedCh + " (ClickHouse)");
        } finally {
            ch.run("DROP DATABASE IF EXISTS s3run_ch");
        }
    }
}
