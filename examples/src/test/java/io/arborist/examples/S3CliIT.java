package io.arborist.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.cli.ArboristCli;
import io.arborist.cli.CliS3;
import io.arborist.clickhouse.ClickHouseServer;
import io.arborist.mysql.DbServer;
import io.arborist.mysql.EachServer;
import io.arborist.core.testing.S3Server;
import io.arborist.mysql.ServerKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup mysql|clickhouse --out s3://}, {@code verify s3://}, {@code restore mysql|clickhouse --from s3://} against
 * S3Proxy on loopback; credentials reach the CLI through the AWS default chain (its system properties here).
 */
class S3CliIT {
    @TempDir
    Path dir;
    private S3Server s3;

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
    }

    @AfterEach
    void stop() throws Exception {
        CliS3.stop(s3);
    }

    @EachServer
    void backup_verify_and_restore_through_s3_plain_and_encrypted(ServerKind kind) throws Exception {
        DbServer server = Servers.mysql(kind);
        String endpoint = s3.endpoint().toString();
        Path key = Files.writeString(dir.resolve("archive.key"), "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path journal = dir.resolve("journal.log");
        server.sql("DROP DATABASE IF EXISTS edxapp_s3");
        try {
            Result backup = cli("backup", "mysql", "--url", server.url(), "--databases", "edxapp", "--out", "s3://backups/plain",
                    "--endpoint", endpoint);
            assertThat(backup.status()).as(backup.err()).isZero();
            assertThat(backup.out()).contains("backup complete: s3://backups/plain/").contains("5 tables");
            Result verify = cli("verify", "s3://backups/plain", "--endpoint", endpoint);
            assertThat(verify.status()).as(verify.err()).isZero();
            assertThat(verify.out()).contains("archive OK: s3://backups/plain/ (MySQL").contains("edxapp.auth_user: 300 rows");
            Result restore = cli("restore", "mysql", "--url", server.url(), "--from", "s3://backups/plain", "--endpoint", endpoint,
                    "--rename", "edxapp=edxapp_s3", "--journal", journal.toString());
            assertThat(restore.status()).as(restore.err()).isZero();
            assertThat(restore.out()).contains("edxapp_s3.completion_blockcompletion: 5000 rows, checksum ok");
            assertThat(journal).doesNotExist();

            // --encrypt needs the key; with it, verify and restore need it too
            Result noKey = cli("backup", "mysql", "--url", server.url(), "--databases", "edxapp", "--out", "s3://backups/enc",
                    "--endpoint", endpoint, "--encrypt");
            assertThat(noKey.status()).isEqualTo(ArboristCli.BAD_INPUT);
            assertThat(noKey.err()).contains("--encrypt needs the archive key").hasLineCount(1);
            Result enc = cli("backup", "mysql", "--url", server.url(), "--databases", "edxapp", "--out", "s3://backups/enc",
                    "--endpoint", endpoint, "--encrypt", "--key-file", key.toString());
            assertThat(enc.status()).as(enc.err()).isZero();
            assertThat(enc.out()).contains("encrypted at rest");
            Result locked = cli("verify", "s3://backups/enc", "--endpoint", endpoint);
            assertThat(locked.status()).isNotZero();
            assertThat(locked.err()).contains("is encrypted and needs its key").hasLineCount(1);
            Result opened = cli("verify", "s3://backups/enc", "--endpoint", endpoint, "--key-file", key.toString());
            assertThat(opened.status()).as(opened.err()).isZero();
            assertThat(opened.out()).contains("authenticated: the seal matches");

            // wrong credentials: one line, never the secret
            System.setProperty("aws.secretAccessKey", "wrong-secret-value");
            Result denied = cli("verify", "s3://backups/plain", "--endpoint", endpoint);
            assertThat(denied.status()).isNotZero();
            assertThat(denied.err()).hasLineCount(1).doesNotContain("wrong-secret-value").doesNotContain(s3.secret());
        } finally {
            server.sql("DROP DATABASE IF EXISTS edxapp_s3");
        }
    }

    @org.junit.jupiter.api.Test
    void clickhouse_backup_verify_and_restore_through_s3() throws Exception {
        ClickHouseServer ch = ClickHouseServer.shared();
        String url = ch.admin().url().toString();
        String endpoint = s3.endpoint().toString();
        ch.run("DROP DATABASE IF EXISTS s3cli_ch", "DROP DATABASE IF EXISTS s3cli_ch_copy", "CREATE DATABASE s3cli_ch",
                "CREATE TABLE s3cli_ch.events (id UInt64, verb String, t DateTime) ENGINE = MergeTree PARTITION BY toYYYYMM(t) ORDER BY id",
                "INSERT INTO s3cli_ch.events SELECT number, concat('verb', toString(number % 7)), toDateTime('2024-01-01 00:00:00') + number * 3600"
                        + " FROM numbers(3000)");
        try {
            Result backup = cli("backup", "clickhouse", "--url", url, "--databases", "s3cli_ch", "--out", "s3://backups/ch", "--endpoint", endpoint);
            assertThat(backup.status()).as(backup.err()).isZero();
            assertThat(backup.out()).contains("backup OK: s3://backups/ch/").contains("3,000 rows");
            assertThat(s3.bucketDir("backups").resolve("ch/manifest.json")).exists();

            Result verify = cli("verify", "s3://backups/ch", "--endpoint", endpoint);
            assertThat(verify.status()).as(verify.err()).isZero();
            assertThat(verify.out()).contains("archive OK: s3://backups/ch/ (ClickHouse");

            Path journal = dir.resolve("ch.journal");
            Result restore = cli("restore", "clickhouse", "--url", url, "--from", "s3://backups/ch", "--endpoint", endpoint,
                    "--rename", "s3cli_ch=s3cli_ch_copy", "--journal", journal.toString());
            assertThat(restore.status()).as(restore.err()).isZero();
            assertThat(restore.out()).contains("restore OK:").contains("s3cli_ch_copy.events: 3,000 rows match");
            assertThat(ch.value("SELECT sum(cityHash64(id, verb, t)) FROM s3cli_ch_copy.events"))
                    .isEqualTo(ch.value("SELECT sum(cityHash64(id, verb, t)) FROM s3cli_ch.events"));
            assertThat(journal).as("a finished restore leaves no journal").doesNotExist();

            Result missing = cli("restore", "clickhouse", "--url", url, "--from", "s3://backups/none", "--endpoint", endpoint,
                    "--rename", "s3cli_ch=s3cli_ch_none", "--journal", dir.resolve("none.journal").toString());
            assertThat(missing.status()).isNotZero();
            assertThat(missing.err()).hasLineCount(1);
            assertThat(ch.value("SELECT count() FROM system.databases WHERE name = 's3cli_ch_none'")).isEqualTo("0");
        } finally {
            ch.run("DROP DATABASE IF EXISTS s3cli_ch", "DROP DATABASE IF EXISTS s3cli_ch_copy");
        }
    }
}
