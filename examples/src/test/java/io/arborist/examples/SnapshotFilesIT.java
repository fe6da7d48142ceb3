package io.arborist.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.cli.ArboristCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arborist snapshot --out} writes a file only its owner can read, against the shared real ClickHouse. */
class SnapshotFilesIT {
    @TempDir
    Path dir;

    private static int cli(StringWriter out, StringWriter err, String... args) {
        return ArboristCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void a_snapshot_is_owner_only_whether_new_or_replacing_a_world_readable_file() throws Exception {
        String ch = Servers.clickhouse().admin().url().toString();
        Path fresh = dir.resolve("fresh.json");
        Path existing = Files.writeString(dir.resolve("existing.json"), "old");
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r--r--"));
        StringWriter err = new StringWriter();

        int first = cli(new StringWriter(), err, "snapshot", "--clickhouse-url", ch, "--out", fresh.toString());
        int second = cli(new StringWriter(), err, "snapshot", "--clickhouse-url", ch, "--out", existing.toString());

        assertThat(first).as(err.toString()).isZero();
        assertThat(second).as(err.toString()).isZero();
        for (Path file : new Path[] {fresh, existing}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString()).isEqualTo("rw-------");
            assertThat(Files.readString(file)).contains("\"area\" : \"xapi.events\"");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("fresh.json", "existing.json");
        }
    }

    @Test
    void a_snapshot_into_a_missing_directory_is_one_line() throws Exception {
        String ch = Servers.clickhouse().admin().url().toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int status = cli(out, err, "snapshot", "--clickhouse-url", ch, "--out", dir.resolve("no/such/dir/s.json").toString());

        assertThat(status).isEqualTo(ArboristCli.BAD_INPUT);
        assertThat(err.toString()).hasLineCount(1).contains("cannot write " + dir.resolve("no/such/dir/s.json"),
                "its directory does not exist");
    }
}
