package io.arborist.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arborist.cli.ArboristCli;
import io.arborist.clickhouse.ClickHouseRestore;
import io.arborist.clickhouse.ClickHouseServer;
import io.arborist.core.backup.ArchiveKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ClickHouse commands against the shared ClickHouse server: sealed archives, refusals, cleanup of an unfinished restore. */
class ClickHouseCliWithServerIT {
    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ArboristCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void a_sealed_clickhouse_backup_is_verified_and_restored_with_its_key_and_cleanup_drops_an_unfinished_restore() throws Exception {
        ClickHouseServer server = Servers.clickhouse();
        String ch = server.admin().url().toString();
        server.run("DROP DATABASE IF EXISTS xapi_cli", "DROP DATABASE IF EXISTS xapi_busy", "DROP DATABASE IF EXISTS xapi_unfinished",
                "CREATE DATABASE xapi_busy", "CREATE TABLE xapi_busy.keep (x UInt8) ENGINE = Memory");
        Path key = dir.resolve("key");
        Files.writeString(key, "5e".repeat(32));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        String fingerprint = ArchiveKey.fromFile(key).fingerprint();
        Path out = dir.resolve("ch");

        Result backup = cli("backup", "clickhouse", "--url", ch, "--databases", "xapi", "--key-file", key.toString(), "--out", out.toString());

        assertThat(backup.status()).as(backup.err()).isZero();
        assertThat(backup.out()).contains("backup OK: " + out).contains("sealed with the key " + fingerprint);
        Result verify = cli("verify", "--key-file", key.toString(), out.toString());
        assertThat(verify.status()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("archive OK: " + out).contains("authenticated: sealed with the key " + fingerprint);
        assertThat(cli("verify", out.toString()).out()).contains("unauthenticated: sealed with the key " + fingerprint);
        try {
            Result restore = cli("restore", "clickhouse", "--url", ch, "--from", out.toString(), "--rename", "xapi=xapi_cli", "--key-file",
                    key.toString());
            assertThat(restore.status()).as(restore.err()).isZero();
            assertThat(restore.out()).contains("restore OK").contains("xapi_cli.xapi_events_all: 30,000 rows match");
            Result busy = cli("restore", "clickhouse", "--url", ch, "--from", out.toString(), "--rename", "xapi=xapi_busy");
            assertThat(busy.status()).isEqualTo(1);
            assertThat(busy.err()).contains("already hold 1 object(s) the backup does not have: [xapi_busy.keep]").contains("--allow-other-objects")
                    .hasLineCount(1);

            ClickHouseRestore stopping = ClickHouseRestore.using(server.admin()).rename("xapi", "xapi_unfinished").listener(p -> {
                if (p.operation().equals("restore") && p.rowsDone() > 0) {
                    throw new IllegalStateException("stopped");
                }
            }).build();
            assertThatThrownBy(() -> stopping.restore(out)).hasMessageContaining("stopped");
            assertThat(cli("verify", out.toString()).out()).contains("partial restore into " + ch);
            Result cleanup = cli("restore", "clickhouse", "--url", ch, "--from", out.toString(), "--rename", "xapi=xapi_unfinished", "--cleanup");
            assertThat(cleanup.status()).as(cleanup.err()).isZero();
            assertThat(cleanup.out()).contains("cleaned up").contains("dropped xapi_unfinished.xapi_events_all").contains("dropped xapi_unfinished\n");
            assertThat(server.value("SELECT count() FROM system.databases WHERE name = 'xapi_unfinished'")).isEqualTo("0");

            ObjectNode m = (ObjectNode) new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
            ((ObjectNode) m.path("objects").get(0)).put("ddl", "DROP DATABASE xapi_busy");
            byte[] edited = new ObjectMapper().writeValueAsBytes(m);
            Files.write(out.resolve("manifest.json"), edited);
            Files.writeString(out.resolve("manifest.json.sha256"), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(edited))
                    + "  manifest.json\n");
            Result tampered = cli("verify", "--key-file", key.toString(), out.toString());
            assertThat(tampered.status()).isEqualTo(1);
            assertThat(tampered.err()).contains("failed verification: 2 problem(s)").contains("arborist:   the manifest does not match its seal")
                    .contains("its DDL is not a CREATE statement (it starts with DROP DATABASE xapi_busy)");
            Result refused = cli("restore", "clickhouse", "--url", ch, "--from", out.toString(), "--rename", "xapi=xapi_cli2", "--key-file",
                    key.toString());
            assertThat(refused.status()).isEqualTo(1);
            assertThat(refused.err()).contains("is not authenticated by the given key").hasLineCount(1);
            assertThat(server.value("SELECT count() FROM system.tables WHERE database = 'xapi_busy'")).isEqualTo("1");
        } finally {
            server.run("DROP DATABASE IF EXISTS xapi_cli", "DROP DATABASE IF EXISTS xapi_busy", "DROP DATABASE IF EXISTS xapi_unfinished");
        }
    }
}
