package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.report.Measure;
import io.arborist.core.report.Snapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
    @TempDir
    Path dir;

    private int run(StringWriter out, StringWriter err, String... args) {
        return ArboristCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    }

    private Path snapshot(String name, long certificates) throws IOException {
        Snapshot s = new Snapshot(Instant.parse("2026-11-01T00:00:00Z"), name, List.of(
                new Measure("certificates", "course-v1:O+C+R/downloadable", certificates), new Measure("users", "*", 10)), List.of());
        return Files.writeString(dir.resolve(name + ".json"), s.toJson());
    }

    @Test
    void equal_snapshots_exit_zero_and_a_loss_exits_one() throws IOException {
        Path before = snapshot("before", 5);
        StringWriter out = new StringWriter();

        assertThat(run(out, new StringWriter(), "compare", before.toString(), snapshot("same", 5).toString())).isZero();
        assertThat(out.toString()).contains("no loss found");

        StringWriter lossOut = new StringWriter();
        assertThat(run(lossOut, new StringWriter(), "compare", before.toString(), snapshot("after", 4).toString())).isEqualTo(1);
        assertThat(lossOut.toString()).contains("1 loss found").contains("5 -> 4 (-1)");

        StringWriter json = new StringWriter();
        run(json, new StringWriter(), "compare", "--format", "json", before.toString(), dir.resolve("after.json").toString());
        assertThat(json.toString()).contains("\"loss\" : true");
    }

    @Test
    void a_missing_or_foreign_file_is_bad_input() throws IOException {
        StringWriter err = new StringWriter();
        assertThat(run(new StringWriter(), err, "compare", dir.resolve("none.json").toString(), snapshot("b", 1).toString())).isEqualTo(2);
        assertThat(err.toString()).contains("does not exist").hasLineCount(1);

        Path plan = Files.writeString(dir.resolve("plan.json"), "{\"format\": 1, \"from\": \"koa\"}");
        StringWriter err2 = new StringWriter();
        assertThat(run(new StringWriter(), err2, "compare", plan.toString(), snapshot("c", 1).toString())).isEqualTo(2);
        assertThat(err2.toString()).contains("not an Arborist snapshot").hasLineCount(1);
    }
}
