package io.arborist.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.arborist.mysql.ServerKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every examples/jshell/*.jsh script with the packaged CLI jar on the class path, exactly as the README tells
 * users to, against the real MySQL-family and ClickHouse servers of this module's tests, and checks what it prints, so
 * the scripts cannot rot: the scripts that use MySQL on each server of the matrix (MariaDB 10.11 and MySQL 8.0 by
 * default), the others once. Runs after {@code package} (Failsafe).
 */
class JshellScriptsIT {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path JAR = MODULE.resolve("target/arborist.jar");

    /** The scripts that connect to MySQL. */
    private static final java.util.Set<String> MYSQL_SCRIPTS = java.util.Set.of("mysql.jsh", "snapshot.jsh");

    static Stream<Arguments> scripts() throws IOException {
        List<String> names;
        try (Stream<Path> s = Files.list(MODULE.resolve("jshell"))) {
            names = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsh")).sorted().toList();
        }
        List<ServerKind> kinds = ServerKind.selected();
        return names.stream().flatMap(n -> (MYSQL_SCRIPTS.contains(n) ? kinds.stream() : kinds.stream().limit(1))
                .map(k -> Arguments.of(n, k)));
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("scripts")
    void script_runs_and_prints_what_it_promises(String script, ServerKind kind) throws Exception {
        assertThat(JAR).as("the packaged CLI jar").exists();
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        Path out = Files.createTempFile("jshell", ".out");
        String mysqlUrl = Servers.mysql(kind).url();
        String clickhouseUrl = Servers.clickhouse().admin().url().toString();
        Servers.mysql(kind).sql("DROP DATABASE IF EXISTS edxapp_jshell");
        Servers.clickhouse().run("DROP DATABASE IF EXISTS xapi_jshell");
        Process p = new ProcessBuilder(jshell.toString(), "--class-path", JAR.toString(), "-R-Darborist.mysql.url=" + mysqlUrl,
                "-R-Darborist.clickhouse.url=" + clickhouseUrl, MODULE.resolve("jshell").resolve(script).toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("jshell finished").isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).as("no jshell error").doesNotContain("|  Error").doesNotContain("Exception");
        assertThat(EXPECTED).as("every script has expected output listed here").containsKey(script);
        for (String expected : EXPECTED.get(script)) {
            assertThat(text).as(script + " output").contains(expected);
        }
    }

    private static final java.util.Map<String, List<String>> EXPECTED = java.util.Map.of(
            "plan.jsh", List.of("UpgradePlan[koa.3 -> olive.4, stepwise, ", "image builds: 2 planned, 24 naive", "02-lilac-backup  BACKUP"),
            "dry-run.jsh", List.of("completed: true", "tutor local upgrade --from=nutmeg", "tutor local launch -I"),
            "rewrite.jsh", List.of("reporting.dim_learner_most_recent_course_grade", "DEPRECATED", "-- xapi.responses"),
            "mysql.jsh", List.of("tables: 5, rows: 7000, restored tables match: true"),
            "clickhouse.jsh", List.of("restored rows: " + Servers.XAPI_EVENTS, "tables match: true"),
            "snapshot.jsh", List.of("Verdict: **no loss found**", "xapi.events"));
}
