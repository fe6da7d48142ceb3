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
}
