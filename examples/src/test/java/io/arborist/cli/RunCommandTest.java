package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run / resume / status through the CLI, with a fake tutor and pip that record their argv. */
class RunCommandTest {
    @TempDir
    Path dir;

    private Path fake;
    private Path calls;
    private Path planFile;

    record Result(int status, String out, String err) {
    }

    private Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ArboristCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    @BeforeEach
    void setUp() throws IOException {
        calls = dir.resolve("calls.log");
        fake = dir.resolve("fake-tool");
        Files.writeString(fake, """
                #!/bin/sh
                echo "$0 $*" >> '%s'
                if [ -f '%s' ] && [ "$2" = "upgrade" ]; then echo "upgrade exploded" >&2; exit 7; fi
                echo "ok: $*"
                """.formatted(calls, dir.resolve("fail-upgrade")));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        planFile = dir.resolve("plan.json");
        assertThat(cli("plan", "--from", "koa", "--to", "lilac", "--format", "json", "--out", planFile.toString()).status()).isZero();
    }

    private String[] run(String command, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(command, "--journal", dir.resolve("upgrade.journal").toString(),
                "--tutor", fake.toString(), "--pip", fake.toString(), "--tutor-root", dir.toString(), "--yes"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void runs_the_plan_through_the_real_process_runner_and_journals_it() throws IOException {
        Result r = cli(run("run", "--plan", planFile.toString()));

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("[3/10] 03-lilac-install").contains("Upgrade plan completed.");
        assertThat(Files.readAllLines(calls)).extracting(l -> l.substring(l.indexOf(' ') + 1)).containsExactly(
                "install tutor==12.2.0 tutor-mfe>=12.0.0,<13.0.0", "config save", "images build openedx mfe", "local upgrade --from=koa",
                "local quickstart -I", "local run cms ./manage.py cms reindex_course --all --setup",
                "config printvalue OPENEDX_COMMON_VERSION", "local run lms ./manage.py lms check");
        Result status = cli("status", "--journal", dir.resolve("upgrade.journal").toString());
        assertThat(status.out()).contains("07-lilac-launch").contains("done").contains("Completed.");
    }

    @Test
    void a_failed_step_stops_the_run_and_resume_finishes_it_once() throws IOException {
        Files.writeString(dir.resolve("fail-upgrade"), "");
        Result failed = cli(run("run", "--plan", planFile.toString()));

        assertThat(failed.status()).isEqualTo(1);
        assertThat(failed.out()).contains("FAILED").contains("Stopped at 06-lilac-upgrade").contains("arborist resume --journal");
        assertThat(cli("status", "--journal", dir.resolve("upgrade.journal").toString()).out())
                .contains("06-lilac-upgrade").contains("FAILED").contains("5 of 10 steps done; next: 06-lilac-upgrade");

        Files.delete(dir.resolve("fail-upgrade"));
        Result resumed = cli(run("resume"));

        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("[skip] 03-lilac-install").contains("Upgrade plan completed.");
        List<String> lines = Files.readAllLines(calls);
        assertThat(lines).filteredOn(l -> l.endsWith("local upgrade --from=koa")).hasSize(2);
        assertThat(lines).filteredOn(l -> l.endsWith("config save")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.endsWith("local quickstart -I")).hasSize(1);
    }

    @Test
    void dry_run_records_commands_and_writes_no_journal() {
        Result r = cli(run("run", "--plan", planFile.toString(), "--dry-run"));

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("#!/bin/sh").contains("tutor local upgrade --from=koa");
        assertThat(dir.resolve("upgrade.journal")).doesNotExist();
        assertThat(calls).doesNotExist();
    }

    @Test
    void without_yes_and_without_a_terminal_the_run_pauses_at_the_first_manual_step() {
        Result r = cli("run", "--plan", planFile.toString(), "--journal", dir.resolve("upgrade.journal").toString(),
                "--tutor", fake.toString(), "--pip", fake.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains("MANUAL: Prepare").contains("run again with --yes").contains("Stopped at 01-koa-prepare");
        assertThat(calls).doesNotExist();
    }

    @Test
    void bad_input_is_one_line_with_status_2() {
        Result missing = cli(run("run", "--plan", dir.resolve("nope.json").toString()));
        Result resumeMissing = cli("resume", "--journal", dir.resolve("none.journal").toString());
        Result timeout = cli(run("run", "--plan", planFile.toString(), "--timeout", "soon"));

        for (Result r : List.of(missing, resumeMissing, timeout)) {
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err().strip().lines()).hasSize(1);
        }
        assertThat(missing.err()).contains("nope.json does not exist");
        assertThat(timeout.err()).contains("invalid --timeout 'soon'");
    }

    @Test
    void a_journal_of_another_plan_is_refused() throws IOException {
        assertThat(cli(run("run", "--plan", planFile.toString())).status()).isZero();
        Path other = dir.resolve("other.json");
        cli("plan", "--from", "koa", "--to", "maple", "--format", "json", "--out", other.toString());

        Result r = cli(run("resume", "--plan", other.toString()));

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("The plan changed since journal");
    }
}
