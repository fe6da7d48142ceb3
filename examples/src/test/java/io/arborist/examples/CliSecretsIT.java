package io.arborist.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged CLI, run as users run it but with every logger at DEBUG, through a failing {@code tutor images build}
 * that prints the Tutor configuration's secrets: none reaches standard output, standard error (the console and the
 * SLF4J log) or the journal. Runs after {@code package} (Failsafe).
 */
class CliSecretsIT {
    private static final Path JAR = Path.of("").toAbsolutePath().resolve("target/arborist.jar");
    private static final String ROOT_PASSWORD = "Kq8xZ2mWrt";
    private static final String NESTED_SECRET = "oauth-client-secret-71f0";
    private static final String UNKNOWN_SECRET = "unknown-9z8y7x";

    @TempDir
    Path dir;

    @Test
    void a_failing_build_printing_secrets_leaves_none_in_the_console_the_debug_log_or_the_journal() throws Exception {
        Path root = Files.createDirectories(dir.resolve("tutor-root"));
        Files.writeString(root.resolve("config.yml"), """
                LMS_HOST: learn.example.com
                MYSQL_ROOT_PASSWORD: %s
                MYPLUGIN_OAUTH:
                  clients:
                    - name: superset
                      client_secret: %s
                """.formatted(ROOT_PASSWORD, NESTED_SECRET));
        Path fake = dir.resolve("fake-tutor");
        Files.writeString(fake, """
                #!/bin/sh
                if [ "$1 $2" = "images build" ]; then
                  echo "Step 4/9 : ENV MYSQL_ROOT_PASSWORD=%s"
                  echo '{"SECRET_KEY": "%s"}' >&2
                  echo "client %s rejected" >&2
                  exit 1
                fi
                echo "ok: $*"
                """.formatted(ROOT_PASSWORD, UNKNOWN_SECRET, NESTED_SECRET));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Path plan = dir.resolve("plan.json");
        Path journal = dir.resolve("upgrade.journal");
        assertThat(arborist("plan", "--from", "koa", "--to", "lilac", "--format", "json", "--out", plan.toString()).exit).isZero();

        Result r = arborist("run", "--plan", plan.toString(), "--journal", journal.toString(), "--tutor", fake.toString(),
                "--pip", fake.toString(), "--tutor-root", root.toString(), "--yes", "--backups-taken-by-hand", "mysql,mongodb,tutor-root");

        assertThat(r.exit).as(r.out + r.err).isEqualTo(1);
        assertThat(r.out).contains("    | Step 4/9 : ENV MYSQL_ROOT_PASSWORD=******", "    | {\"SECRET_KEY\": \"******\"}",
                "    | client ****** rejected", "Stopped at 06-lilac-build-images");
        assertThat(r.err).as("the debug log").contains("[DEBUG] io.arborist.tutor.output - [tutor out] Step 4/9 : ENV MYSQL_ROOT_PASSWORD=******",
                "[tutor err] {\"SECRET_KEY\": \"******\"}", "learned Secrets[2 values] from " + root.resolve("config.yml"),
                "[ERROR] io.arborist.core.execute.UpgradeExecutor - Step 06-lilac-build-images failed");
        String journalText = Files.readString(journal, StandardCharsets.UTF_8);
        for (String secret : List.of(ROOT_PASSWORD, NESTED_SECRET, UNKNOWN_SECRET)) {
            assertThat(r.out).doesNotContain(secret);
            assertThat(r.err).doesNotContain(secret);
            assertThat(journalText).doesNotContain(secret);
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private Result arborist(String... args) throws Exception {
        assertThat(JAR).as("the packaged CLI jar").exists();
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("arborist finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
