package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertThat(ch.err()).contains("ClickHouse archive, not a MySQL archive");

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
