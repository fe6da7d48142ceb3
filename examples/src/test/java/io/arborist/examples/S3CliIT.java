package io.arborist.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.cli.ArboristCli;
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
 * {@code backup mysql --out s3://}, {@code verify s3://}, {@code restore mysql --from s3://} against S3Proxy on
 * loopback; credentials reach the CLI through the AWS default chain (its system properties here).
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
        s3 = S3Server.start(dir.resolve("s3"));
        s3.createBucket("backups");
        System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", s3.secret());
        System.setProperty("aws.region", "us-east-1");
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        System.clearProperty("aws.region");
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
}
