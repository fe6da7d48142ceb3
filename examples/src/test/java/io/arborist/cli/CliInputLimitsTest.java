package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Huge, malformed or out-of-range input: one clear line on standard error, status 2, nothing done, no stack trace. */
class CliInputLimitsTest {
    @TempDir
    Path dir;

    private Path plan;

    record Run(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ArboristCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(status, out.toString(), err.toString());
    }

    /** Status 2, nothing on stdout, one short line on stderr without a stack trace; returns that line. */
    private static String assertOneLine(Run r) {
        assertThat(r.status()).as("status; stderr: %s", r.err()).isEqualTo(ArboristCli.BAD_INPUT);
        assertThat(r.out()).as("stdout").isEmpty();
        assertThat(r.errLines()).as("stderr lines").hasSize(1);
        assertThat(r.err()).startsWith("arborist: ").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.errLines().get(0).length()).as("line length").isLessThan(Printable.MAX_LINE + 100);
        return r.errLines().get(0);
    }

    @BeforeEach
    void writePlan() {
        plan = dir.resolve("plan.json");
        assertThat(run("plan", "--from", "koa", "--to", "lilac", "--format", "json", "--out", plan.toString()).status()).isZero();
    }

    private Run runPlan(String planFile, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--plan", planFile, "--journal", dir.resolve("j").toString(),
                "--tutor", "/bin/false", "--pip", "/bin/false", "--yes", "--backups-taken-by-hand", "mysql,mongodb,tutor-root"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT999999999999999H", "999999999999h", "99999999999999999999h", "9223372036854775807s", "721h",
        "P31D", "0h", "-5m", "PT-1S", "3x", "h"})
    void a_huge_zero_negative_or_malformed_timeout_is_one_line_and_runs_nothing(String timeout) {
        String line = assertOneLine(runPlan(plan.toString(), "--timeout", timeout));

        assertThat(line).isEqualTo("arborist: invalid --timeout '" + timeout + "': give a positive duration of at most 30 days"
                + " (720h), e.g. 90m, 3h or PT3H");
        assertThat(dir.resolve("j")).doesNotExist();
    }

    @Test
    void the_longest_timeout_is_accepted() {
        Run r = runPlan(plan.toString(), "--timeout", "720h", "--dry-run");

        assertThat(r.status()).as(r.err()).isZero();
    }

    @Test
    void a_datastore_version_that_is_not_a_version_is_one_line() {
        assertThat(assertOneLine(run("plan", "--from", "koa", "--to", "olive", "--datastore", "mysql=banana")))
                .contains("datastore version for mysql must look like 8.0.35", "'banana'");
        assertThat(assertOneLine(run("plan", "--from", "koa", "--to", "olive", "--datastore", "mysql=99999999999999999999.1.1")))
                .contains("'99999999999999999999.1.1'");
        assertThat(assertOneLine(run("plan", "--from", "koa", "--to", "olive", "--datastore", "mysql")))
                .contains("--datastore");
    }

    @Test
    void numbers_out_of_range_are_one_line_naming_the_option() {
        assertThat(assertOneLine(run("catalog", "check", "--timeout", "0"))).contains("--timeout 0", "1 to 600 seconds");
        assertThat(assertOneLine(run("catalog", "check", "--timeout", "2147483648"))).contains("'--timeout'", "'2147483648'");
        assertThat(assertOneLine(run("aspects", "renames", "--from", "99999999999"))).contains("'--from'", "'99999999999'");
        assertThat(assertOneLine(run("aspects", "renames", "--to", "-1"))).contains("no rename map from Aspects 1 to -1");
        assertThat(assertOneLine(run("plan", "--from", "koa.99999999999999999999", "--to", "olive")))
                .contains("koa.99999999999999999999");
    }

    @Test
    void a_50_mb_argument_is_refused_before_anything_reads_it() {
        String huge = "koa" + "x".repeat(50 << 20);

        String line = assertOneLine(run("plan", "--from", huge, "--to", "olive"));

        assertThat(line).startsWith("arborist: argument 3 ('koaxxxxx").contains("is 52428803 characters long",
                "limited to 65536 characters");
    }

    @Test
    void an_argument_with_a_line_break_or_escape_cannot_add_lines_to_the_output() {
        String line = assertOneLine(run("plan", "--from", "koa\narborist: all good", "--to", "olive"));
        String escape = assertOneLine(run("plan", "--from", "koa", "--to", "olive\u001b[2K\r"));

        assertThat(line).isEqualTo("arborist: argument 3 ('koa?arborist: all good') holds a line break or another control"
                + " character; give each value as one line of text");
        assertThat(escape).contains("argument 5 ('olive?')");
    }

    @Test
    void a_deep_or_huge_plan_file_is_one_line_naming_the_file() throws IOException {
        Path deep = Files.writeString(dir.resolve("deep.json"), "[".repeat(5000) + "]".repeat(5000));
        Path longString = Files.writeString(dir.resolve("long.json"), Files.readString(plan)
                .replace("\"Prepare: record settings and read release notes\"", "\"" + "x".repeat(50 << 20) + "\""));
        Path sparse = dir.resolve("sparse.json");
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength((64L << 20) + 1);
        }
        Path latin1 = Files.write(dir.resolve("latin1.json"), new byte[] {'{', (byte) 0xff, '}'});

        assertThat(assertOneLine(runPlan(deep.toString()))).contains("plan file " + deep + ": too large or too deeply nested");
        assertThat(assertOneLine(runPlan(longString.toString()))).contains("plan file " + longString + ": too large",
                "String value length");
        assertThat(assertOneLine(runPlan(sparse.toString()))).contains("plan file " + sparse + " is larger than 64 MiB");
        assertThat(assertOneLine(runPlan("/dev/zero"))).contains("plan file /dev/zero is larger than 64 MiB");
        assertThat(assertOneLine(runPlan(dir.toString()))).contains("plan file " + dir + " is a directory");
        assertThat(assertOneLine(runPlan(latin1.toString()))).contains("plan file " + latin1 + " is not UTF-8 text");
        assertThat(assertOneLine(run("resume", "--plan", deep.toString(), "--journal", plan.toString())))
                .as("resume reads --plan the same way").contains("plan file " + deep + ": too large or too deeply nested");
    }

    @Test
    void a_deep_or_huge_snapshot_is_one_line_naming_the_file() throws IOException {
        Path deep = Files.writeString(dir.resolve("deep-snapshot.json"), "{\"a\":".repeat(5000) + "1" + "}".repeat(5000));
        Path huge = Files.writeString(dir.resolve("huge-snapshot.json"), "{\"kind\": \"" + "x".repeat(50 << 20) + "\"}");

        assertThat(assertOneLine(run("compare", deep.toString(), huge.toString())))
                .contains("snapshot " + deep + ": too large or too deeply nested");
        assertThat(assertOneLine(run("compare", huge.toString(), deep.toString())))
                .contains("snapshot " + huge + ": too large or too deeply nested", "String value length");
    }

    @Test
    void a_deep_catalog_overlay_is_one_line_naming_the_file() throws IOException {
        Path deep = Files.writeString(dir.resolve("deep-catalog.json"), "[".repeat(5000) + "]".repeat(5000));

        assertThat(assertOneLine(run("plan", "--catalog", deep.toString(), "--from", "koa", "--to", "olive")))
                .contains("catalog " + deep + ": too large or too deeply nested");
    }
}
