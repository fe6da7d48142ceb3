package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClickHouseCliTest {
    record Result(int status, String out, String err) { }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ArboristCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void prints_the_rename_map() {
        Result r = run("aspects", "renames", "--from", "1", "--to", "2");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("xapi.responses").contains("reporting.dim_learner_response_attempt").contains("reporting.fact_navigation")
                .contains("DEPRECATED");
    }

    @Test
    void rewrites_files_in_place_and_reports_deprecated(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("model.sql");
        Files.writeString(f, "select * from {{ ref('responses') }} join reporting.fact_navigation n -- xapi.responses\n");
        Result r = run("aspects", "rewrite", "--in-place", f.toString());
        assertThat(r.status()).as("deprecated references give status 3").isEqualTo(3);
        assertThat(Files.readString(f)).isEqualTo("select * from {{ ref('dim_learner_response_attempt') }} join reporting.fact_navigation n -- xapi.responses\n");
        assertThat(r.err()).contains("1:43 reporting.fact_navigation is DEPRECATED");
    }

    @Test
    void verifies_a_clickhouse_backup_without_a_server(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("manifest.json"), "{\"kind\":\"clickhouse\",\"format\":1,\"tool\":\"t\",\"serverVersion\":\"18.16.1\","
                + "\"created\":\"2025-01-01T00:00:00Z\",\"checksum\":\"c\",\"notes\":[],\"databases\":[],\"objects\":[]}");
        Result r = run("verify", tmp.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("archive OK").contains("ClickHouse 18.16.1");
        Files.delete(tmp.resolve("manifest.json"));
    }

    @Test
    void a_url_with_credentials_is_refused_without_echoing_them(@TempDir Path tmp) {
        for (String url : new String[] {"http://admin:hunter2@127.0.0.1:8123", "http://127.0.0.1:8123/?user=admin&password=hunter2",
                "http://admin:hun ter2@127.0.0.1:8123"}) {
            Result r = run("backup", "clickhouse", "--url", url, "--out", tmp.resolve("out").toString());
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).startsWith("arborist: the ClickHouse URL ").doesNotContain("hunter2").hasLineCount(1);
            assertThat(tmp.resolve("out")).doesNotExist();
        }
        Result tls = run("restore", "clickhouse", "--url", "http://127.0.0.1:8123", "--require-tls", "--from", tmp.toString());
        assertThat(tls.status()).isEqualTo(2);
        assertThat(tls.err()).contains("TLS is required");
    }

    @Test
    void verify_lists_every_problem_of_a_damaged_clickhouse_archive_one_line_each(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("manifest.json"), "{\"kind\":\"clickhouse\",\"format\":1,\"tool\":\"t\",\"serverVersion\":\"18.16.1\","
                + "\"created\":\"2025-01-01T00:00:00Z\",\"checksum\":\"c\",\"notes\":[],\"databases\":[{\"name\":\"x\",\"ddl\":\"CREATE DATABASE x\"}],"
                + "\"objects\":[{\"database\":\"x\",\"name\":\"v\",\"kind\":\"VIEW\",\"engine\":\"View\",\"ddl\":\"DROP TABLE other.t\",\"innerOf\":\"\","
                + "\"chunks\":[]},{\"database\":\"x\",\"name\":\"t\",\"kind\":\"TABLE\",\"engine\":\"MergeTree\",\"innerOf\":\"\","
                + "\"ddl\":\"CREATE TABLE x.t (a UInt8) ENGINE = MergeTree ORDER BY a\",\"chunks\":[{\"file\":\"data/x/t/all.native.zst\","
                + "\"partitionId\":\"\",\"rows\":1,\"bytes\":10,\"sha256\":\"" + "0".repeat(64) + "\",\"hashSum\":\"1\",\"hashXor\":\"1\"}]}]}");

        Result r = run("verify", tmp.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().lines().toList()).containsExactly("arborist: ClickHouse archive " + tmp + " failed verification: 2 problem(s)",
                "arborist:   x.v: its DDL is not a CREATE statement (it starts with DROP TABLE other)",
                "arborist:   x.t: data/x/t/all.native.zst is missing");
        assertThat(r.out()).contains("unauthenticated: no seal and no key");

        Path key = tmp.resolve("key");
        Files.writeString(key, "ab".repeat(32));
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Result keyed = run("verify", "--key-file", key.toString(), tmp.toString());
        assertThat(keyed.err()).contains("3 problem(s)").contains("arborist:   the archive has no seal (manifest.sig)");
        assertThat(keyed.err() + keyed.out()).doesNotContain("ab".repeat(32));
    }

    @Test
    void backup_to_an_unreachable_server_fails_without_printing_the_password(@TempDir Path tmp) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "hunter2-secret\n");
        Result r = run("backup", "clickhouse", "--url", "http://127.0.0.1:" + port, "--user", "ch_admin", "--password-file", pw.toString(),
                "--out", tmp.resolve("out").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("cannot reach ClickHouse").doesNotContain("hunter2");
        assertThat(r.out()).doesNotContain("hunter2");
    }

    @Test
    void encrypt_without_a_key_and_an_unknown_destination_are_one_line_each(@TempDir Path tmp) {
        Result noKey = run("backup", "clickhouse", "--url", "http://127.0.0.1:8123", "--encrypt", "--out", tmp.resolve("out").toString());
        assertThat(noKey.status()).isEqualTo(2);
        assertThat(noKey.err()).contains("--encrypt needs the archive key").contains("--key-file").hasLineCount(1);
        assertThat(tmp.resolve("out")).doesNotExist();
        Result gs = run("backup", "clickhouse", "--url", "http://127.0.0.1:8123", "--out", "gs://bucket/x");
        assertThat(gs.status()).isNotZero();
        assertThat(gs.err()).contains("unsupported backup destination 'gs://bucket/x'").hasLineCount(1);
        Result from = run("restore", "clickhouse", "--url", "http://127.0.0.1:8123", "--from", "ftp://host/x");
        assertThat(from.err()).contains("unsupported backup destination 'ftp://host/x'").hasLineCount(1);
    }
}
