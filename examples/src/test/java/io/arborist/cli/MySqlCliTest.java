package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MySQL backup, restore and verify commands' argument handling and errors (round trips run in arborist-mysql). */
class MySqlCliTest {
    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            status = ArboristCli.execute(o, e, args);
        }
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void verifySaysWhenADirectoryIsNotACompleteMySqlArchive(@TempDir Path tmp) throws Exception {
        Result empty = run("verify", tmp.toString());
        assertThat(empty.status()).isEqualTo(1);
        assertThat(empty.err()).contains("incomplete archive");

        Files.writeString(tmp.resolve("manifest.json"), "{\"formatVersion\":1,\"kind\":\"clickhouse\"}");
        Result ch = run("verify", tmp.toString());
        assertThat(ch.status()).isEqualTo(1);
        assertThat(ch.err()).startsWith("arborist: ClickHouse archive " + tmp + " failed verification").contains("manifest.json");

        Files.writeString(tmp.resolve("manifest.json"), "{\"formatVersion\":7,\"kind\":\"mysql\"}");
        assertThat(run("verify", tmp.toString()).err()).contains("format version 7").contains("newer");
    }

    @Test
    void verifyAndRestoreSayWhenAPathIsNoArchive(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("none.tar");
        Result none = run("verify", missing.toString());
        assertThat(none.status()).isEqualTo(ArboristCli.BAD_INPUT);
        assertThat(none.err()).contains(missing.toString()).contains("does not exist");

        Path garbage = Files.writeString(tmp.resolve("garbage.tar"), "not a tar");
        Result bad = run("verify", garbage.toString());
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).contains(garbage.toString()).contains("not a readable tar file");

        Result restore = run("restore", "mysql", "--url", "jdbc:mysql://127.0.0.1:1", "--from", missing.toString());
        assertThat(restore.status()).isEqualTo(ArboristCli.BAD_INPUT);
        assertThat(restore.err()).contains("--from " + missing).contains("no such archive directory or .tar file");
        assertThat(run("backup", "mysql", "--help").out()).contains("FILE.tar");
    }

    @Test
    void groupsNeedADatastore() {
        assertThat(run("backup").status()).isEqualTo(ArboristCli.BAD_INPUT);
        assertThat(run("restore").err()).contains("restore mysql");
        assertThat(run("backup", "mysql", "--help").out()).contains("--password-file").contains("--databases").contains("--out");
        assertThat(run("restore", "mysql", "--help").out()).contains("--rename").contains("--if-exists");
    }

    @Test
    void credentialsInAUrlAndBadTlsOrKeyOptionsAreOneLineWithoutSecrets(@TempDir Path tmp) throws Exception {
        for (String[] args : List.of(
                new String[] {"backup", "mysql", "--url", "jdbc:mysql://root:url-S3cret@127.0.0.1:1", "--out", tmp.resolve("o").toString()},
                new String[] {"restore", "mysql", "--url", "jdbc:mysql://127.0.0.1:1/?password=url-S3cret", "--from", tmp.toString()},
                new String[] {"snapshot", "--mysql-url", "jdbc:mysql://127.0.0.1:1?PASSWORD=url-S3cret", "--out", tmp.resolve("s").toString()},
                new String[] {"backup", "mysql", "--url", "jdbc:mysql://127.0.0.1:1:url-S3cret", "--out", tmp.resolve("o").toString()})) {
            Result r = run(args);
            assertThat(r.status()).as(String.join(" ", args)).isEqualTo(ArboristCli.BAD_INPUT);
            assertThat(r.err()).doesNotContain("url-S3cret").startsWith("arborist: ").hasLineCount(1);
        }
        Result tls = run("backup", "mysql", "--url", "jdbc:mysql://127.0.0.1:1", "--tls", "always", "--out", tmp.resolve("o").toString());
        assertThat(tls.status()).isEqualTo(ArboristCli.BAD_INPUT);
        assertThat(tls.err()).contains("--tls must be preferred, require, verify-ca or verify-identity, got 'always'");
        Result ca = run("restore", "mysql", "--url", "jdbc:mysql://127.0.0.1:1", "--tls", "require", "--tls-ca", "ca.pem", "--from",
                tmp.toString());
        assertThat(ca.err()).contains("--tls-ca checks the server's certificate");
        Result both = run("verify", tmp.toString(), "--key-file", "k", "--key-env", "K");
        assertThat(both.status()).isEqualTo(ArboristCli.BAD_INPUT);
        assertThat(both.err()).contains("--key-file or --key-env, not both");
        Path open = Files.writeString(tmp.resolve("open.key"), "0123456789abcdef0123456789abcdef");
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Result readable = run("backup", "mysql", "--url", "jdbc:mysql://127.0.0.1:1", "--key-file", open.toString(), "--out",
                tmp.resolve("o").toString());
        assertThat(readable.status()).isEqualTo(ArboristCli.BAD_INPUT);
        assertThat(readable.err()).contains(open.toString()).contains("readable by others").doesNotContain("0123456789abcdef");
        assertThat(run("backup", "mysql", "--help").out()).contains("--key-file").contains("--tls");
        assertThat(run("restore", "mysql", "--help").out()).contains("--key-env").contains("--cleanup").contains("--tls-ca");
        assertThat(run("verify", "--help").out()).contains("--key-file");
    }

    @Test
    void aBadConnectionIsOneLineWithoutThePassword(@TempDir Path tmp) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "very-secret-pw\n");
        Result r = run("backup", "mysql", "--url", "jdbc:mysql://127.0.0.1:" + port, "--user", "u", "--password-file", pw.toString(),
                "--out", tmp.resolve("out").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("cannot connect").doesNotContain("very-secret-pw");
        Result bad = run("restore", "mysql", "--url", "jdbc:mysql://127.0.0.1:" + port, "--from", tmp.toString(), "--if-exists", "merge");
        assertThat(bad.status()).isEqualTo(ArboristCli.BAD_INPUT);
        assertThat(bad.err()).contains("fail, drop or append");
        Result definers = run("restore", "mysql", "--url", "jdbc:mysql://127.0.0.1:" + port, "--from", tmp.toString(), "--definers", "root");
        assertThat(definers.status()).isEqualTo(ArboristCli.BAD_INPUT);
        assertThat(definers.err()).contains("--definers must be keep or current-user, got 'root'");
    }
}
