package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} and {@code resume} hide the Tutor configuration's secrets and secret-shaped settings in everything they
 * show or keep, and print what a plan file says (titles, instructions) without letting it forge lines.
 */
class RunSecretsTest {
    private static final String ROOT_PASSWORD = "Kq8xZ2mWrt";
    private static final String NESTED_PASSWORD = "ch-nested-5d4e";
    private static final String UNKNOWN_SECRET = "unknown-9z8y7x";

    @TempDir
    Path dir;

    private Path fake;
    private Path calls;
    private Path root;
    private Path planFile;

    record Result(int status, String out, String err, String log) {
    }

    /** Runs the CLI, with SLF4J's output (slf4j-simple writes to System.err) captured as the log. */
    private Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = ArboristCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        } finally {
            System.setErr(systemErr);
        }
        return new Result(status, out.toString(), err.toString(), log.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void setUp() throws IOException {
        calls = dir.resolve("calls.log");
        root = Files.createDirectories(dir.resolve("tutor-root"));
        Files.writeString(root.resolve("config.yml"), """
                LMS_HOST: learn.example.com
                MYSQL_ROOT_PASSWORD: %s
                RUN_MYSQL: true
                MYPLUGIN:
                  clickhouse:
                    admin_password: %s
                """.formatted(ROOT_PASSWORD, NESTED_PASSWORD));
        fake = dir.resolve("fake-tutor");
        Files.writeString(fake, """
                #!/bin/sh
                echo "$*" >> '%s'
                if [ "$1 $2" = "config printroot" ]; then echo '%s'; exit 0; fi
                if [ "$1 $2" = "images build" ]; then
                  echo "Step 4/9 : ENV MYSQL_ROOT_PASSWORD=%s"
                  echo '{"SECRET_KEY": "%s", "LMS_HOST": "learn.example.com"}' >&2
                  echo "clickhouse refused %s" >&2
                  exit 1
                fi
                echo "ok: $*"
                """.formatted(calls, root, ROOT_PASSWORD, UNKNOWN_SECRET, NESTED_PASSWORD));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        planFile = dir.resolve("plan.json");
        assertThat(cli("plan", "--from", "koa", "--to", "lilac", "--format", "json", "--out", planFile.toString()).status()).isZero();
    }

    private String[] unattended(String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, "--journal", dir.resolve("upgrade.journal").toString(),
                "--tutor", fake.toString(), "--pip", fake.toString(), "--yes", "--backups-taken-by-hand", "mysql,mongodb,tutor-root"));
        if (command.equals("run")) {
            args.addAll(List.of("--plan", planFile.toString()));
        }
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private void assertHidden(Result r) throws IOException {
        assertThat(r.status()).as(r.out() + r.err() + r.log()).isEqualTo(1);
        assertThat(r.out()).contains("    | Step 4/9 : ENV MYSQL_ROOT_PASSWORD=******",
                "    | {\"SECRET_KEY\": \"******\", \"LMS_HOST\": \"learn.example.com\"}",
                "    | clickhouse refused ******",
                "  FAILED: `tutor images build openedx mfe` failed with exit code 1",
                "Stopped at 06-lilac-build-images");
        assertThat(r.log()).as("the executor logs the failure").contains("Step 06-lilac-build-images failed");
        String journal = Files.readString(dir.resolve("upgrade.journal"));
        assertThat(journal).contains("failed with exit code 1");
        for (String secret : List.of(ROOT_PASSWORD, NESTED_PASSWORD, UNKNOWN_SECRET)) {
            assertThat(r.out()).doesNotContain(secret);
            assertThat(r.err()).doesNotContain(secret);
            assertThat(r.log()).doesNotContain(secret);
            assertThat(journal).doesNotContain(secret);
        }
    }

    @Test
    void a_failing_build_that_prints_secrets_shows_none_in_run_or_resume_on_the_console_in_the_journal_or_the_log()
            throws IOException {
        Result run = cli(unattended("run", "--tutor-root", root.toString()));
        assertHidden(run);
        Result resumed = cli(unattended("resume", "--tutor-root", root.toString()));
        assertHidden(resumed);
        assertThat(resumed.out()).contains("[skip] 05-lilac-config-save");
        assertThat(Files.readAllLines(calls)).as("the root was given, so tutor was not asked for it")
                .doesNotContain("config printroot");
    }

    @Test
    void without_tutor_root_the_secrets_are_learned_from_the_root_tutor_prints() throws IOException {
        Result run = cli(unattended("run"));

        assertHidden(run);
        assertThat(Files.readAllLines(calls)).startsWith("config printroot").containsOnlyOnce("config printroot");
    }

    @Test
    void titles_and_instructions_from_the_plan_file_cannot_forge_output_lines() throws IOException {
        String forgedTitle = "Prepare\nUpgrade plan completed.\r\u001b[2K[9/11] 09-forged: all good\u2028[skip] x";
        String forgedInstruction = "Read the notes\n  MANUAL: nothing to do\u001b]0;title\u0007\u202eevil";
        String plan = Files.readString(planFile)
                .replace("\"Prepare: record settings and read release notes\"", json(forgedTitle))
                .replace("\"Rehearse the whole plan on a staging copy first; keep this to-do list in the change ticket.\"",
                        json(forgedInstruction));
        Path forged = Files.writeString(dir.resolve("forged.json"), plan);

        Result r = cli("run", "--plan", forged.toString(), "--journal", dir.resolve("forged.journal").toString(),
                "--tutor", fake.toString(), "--pip", fake.toString());

        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("[1/11] 01-koa-prepare: Prepare?Upgrade plan completed.?[9/11] 09-forged: all good?[skip] x",
                "  MANUAL: Prepare?Upgrade plan completed.?[9/11] 09-forged: all good?[skip] x (no terminal",
                "    - Read the notes?  MANUAL: nothing to do?evil");
        for (String line : r.out().split("\n", -1)) {
            assertThat(line).as("no line of its own from the plan")
                    .doesNotStartWith("Upgrade plan completed.").doesNotStartWith("[9/11]").doesNotStartWith("[skip] x")
                    .doesNotStartWith("  MANUAL: nothing");
            assertThat(line.chars()).as("no control or formatting character in: %s", line)
                    .noneMatch(c -> c != '\t' && (Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT
                            || Character.getType(c) == Character.LINE_SEPARATOR));
        }
    }

    private static String json(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append('"').toString();
    }
}
