package io.arborist.tutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.spi.Secrets;
import io.arborist.core.spi.TutorCommand;
import io.arborist.core.spi.TutorCommandException;
import io.arborist.core.spi.TutorResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTutorRunnerSecretsTest {
    private static final String DB_PASSWORD = "db-pw-7f3a9c";
    private static final String ADMIN_PASSWORD = "admin-pw-b81d2e";
    private static final String CONFIG_SECRET = "cfg-secret-55e0aa";
    private static final Path TEST_LOG = Path.of("target", "tutor-tests.log");

    @TempDir
    Path dir;
    FakeTutor fake;
    List<String> heard = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void installFake() throws IOException {
        fake = FakeTutor.install(dir);
    }

    @Test
    void secrets_never_reach_the_listener_the_result_the_exception_or_the_log() throws IOException {
        ProcessTutorRunner runner = fake.runner()
                .environment("FAKE_ECHO", "1")
                .environment("FAKE_STDERR", "oops, the password was " + DB_PASSWORD + " and " + ADMIN_PASSWORD)
                .environment("FAKE_EXIT", "3")
                .listener((source, line) -> heard.add(line))
                .build();
        TutorCommand command = TutorCommand.of("tutor", "config", "save", "--set", "MYSQL_ROOT_PASSWORD=" + DB_PASSWORD,
                        "--set", "LMS_HOST=redaction-marker.example.com", "--admin-password", ADMIN_PASSWORD)
                .withSecrets(ADMIN_PASSWORD);

        TutorCommandException e = org.junit.jupiter.api.Assertions.assertThrows(TutorCommandException.class,
                () -> runner.runChecked(command));

        assertThat(fake.argvs()).as("the process itself gets the real values")
                .containsExactly(List.of("config", "save", "--set", "MYSQL_ROOT_PASSWORD=" + DB_PASSWORD, "--set",
                        "LMS_HOST=redaction-marker.example.com", "--admin-password", ADMIN_PASSWORD));
        assertThat(heard).contains("arg: MYSQL_ROOT_PASSWORD=******", "arg: LMS_HOST=redaction-marker.example.com",
                "arg: ******", "oops, the password was ****** and ******");
        assertThat(String.join("\n", heard)).doesNotContain(DB_PASSWORD, ADMIN_PASSWORD);
        TutorResult result = e.result();
        assertThat(result.args()).containsExactly("tutor", "config", "save", "--set", "MYSQL_ROOT_PASSWORD=******",
                "--set", "LMS_HOST=redaction-marker.example.com", "--admin-password", "******");
        assertThat(result.output() + result + e.getMessage() + command).doesNotContain(DB_PASSWORD, ADMIN_PASSWORD);
        assertThat(e.getMessage()).contains("failed with exit code 3", "MYSQL_ROOT_PASSWORD=******");
        String log = Files.readString(TEST_LOG, StandardCharsets.UTF_8);
        assertThat(log).as("the command and its output were logged").contains("redaction-marker.example.com")
                .contains("[tutor out] arg: MYSQL_ROOT_PASSWORD=******");
        assertThat(log).doesNotContain(DB_PASSWORD, ADMIN_PASSWORD, CONFIG_SECRET);
    }

    @Test
    void the_output_of_printvalue_for_a_sensitive_key_is_hidden_entirely() throws IOException {
        ProcessTutorRunner runner = fake.runner()
                .environment("FAKE_CFG_MYSQL_ROOT_PASSWORD", CONFIG_SECRET)
                .listener((source, line) -> heard.add(line))
                .build();

        TutorResult result = runner.runChecked(TutorCommands.configPrintValue("MYSQL_ROOT_PASSWORD"));

        assertThat(result.output()).isEqualTo("******\n");
        assertThat(heard).containsExactly("******");
        assertThat(Files.readString(TEST_LOG, StandardCharsets.UTF_8)).doesNotContain(CONFIG_SECRET);
    }

    @Test
    void resolves_tutor_root_and_config_placeholders_by_asking_tutor_and_hides_the_values() throws IOException {
        ProcessTutorRunner runner = fake.runner()
                .environment("FAKE_ECHO", "1")
                .environment("FAKE_ROOT", "/srv/tutor root")
                .environment("FAKE_CFG_MYSQL_ROOT_PASSWORD", CONFIG_SECRET)
                .environment("FAKE_CFG_OPENEDX_MYSQL_USERNAME", "openedx-user-1")
                .listener((source, line) -> heard.add(line))
                .build();
        TutorCommand command = TutorCommand.of("tutor", "local", "exec", "mysql", "mysql",
                "--password=${TUTOR_CONFIG:MYSQL_ROOT_PASSWORD}", "-e", "${TUTOR_CONFIG:OPENEDX_MYSQL_USERNAME}",
                "${TUTOR_ROOT}/env/x", "${TUTOR_CONFIG:MYSQL_ROOT_PASSWORD}");

        TutorResult result = runner.runChecked(command);

        assertThat(fake.argvs()).containsExactly(
                List.of("config", "printroot"),
                List.of("config", "printvalue", "MYSQL_ROOT_PASSWORD"),
                List.of("config", "printvalue", "OPENEDX_MYSQL_USERNAME"),
                List.of("local", "exec", "mysql", "mysql", "--password=" + CONFIG_SECRET, "-e", "openedx-user-1",
                        "/srv/tutor root/env/x", CONFIG_SECRET));
        assertThat(result.args()).as("results show the placeholders, not the values").isEqualTo(command.argv());
        assertThat(heard).contains("arg: --password=******", "arg: ******", "arg: /srv/tutor root/env/x");
        assertThat(String.join("\n", heard) + result.output()).doesNotContain(CONFIG_SECRET, "openedx-user-1");
        assertThat(Files.readString(TEST_LOG, StandardCharsets.UTF_8)).doesNotContain(CONFIG_SECRET, "openedx-user-1");
    }

    @Test
    void a_configured_tutor_root_is_used_without_asking_tutor() throws IOException {
        ProcessTutorRunner runner = fake.runner().tutorRoot(Path.of("/configured/root")).build();

        runner.runChecked(TutorCommand.of("tutor", "local", "exec", "lms", "ls", "${TUTOR_ROOT}/env"));

        assertThat(fake.argvs()).containsExactly(List.of("local", "exec", "lms", "ls", "/configured/root/env"));
    }

    @Test
    void an_unknown_config_key_fails_before_the_command_runs_and_says_which_placeholder() throws IOException {
        ProcessTutorRunner runner = fake.runner().build();
        TutorCommand command = TutorCommand.of("tutor", "local", "do", "update-mysql-authentication-plugin",
                "${TUTOR_CONFIG:NO_SUCH_KEY}");

        assertThatThrownBy(() -> runner.run(command))
                .isInstanceOf(TutorCommandException.class)
                .hasMessageContaining("cannot resolve ${TUTOR_CONFIG:NO_SUCH_KEY} needed by `tutor local do")
                .hasMessageContaining("Missing configuration value: 'NO_SUCH_KEY'")
                .extracting(e -> ((TutorCommandException) e).kind()).isEqualTo(ErrorKind.COMMAND_FAILED);
        assertThat(fake.argvs()).containsExactly(List.of("config", "printvalue", "NO_SUCH_KEY"));
    }

    @Test
    void typed_config_save_with_a_token_hides_it_through_the_whole_run() {
        ProcessTutorRunner runner = fake.runner().environment("FAKE_ECHO", "1").build();

        TutorResult result = runner.runChecked(TutorCommands.configSave(
                Map.of("GITHUB_TOKEN", "ghp_abcdef123456", "MFE_HOST", "apps.example.com"), List.of())
                .withTimeout(java.time.Duration.ofSeconds(30)));

        assertThat(result.output()).contains("arg: GITHUB_TOKEN=******", "arg: MFE_HOST=apps.example.com")
                .doesNotContain("ghp_abcdef123456");
        assertThat(result.toString()).doesNotContain("ghp_abcdef123456");
    }

    // ------------------------------------------------------------- secrets learned from the Tutor configuration

    private static final String ROOT_PASSWORD = "Kq8xZ2mW";
    private static final String NESTED_PASSWORD = "ch-pw-5d4e3f";
    private static final String LISTED_SECRET = "list-secret-2";
    private static final String PEM_LINE = "MIIEowIBAAKCAQEAx1rTz0p9";
    private static final String UNKNOWN_SECRET = "unknown-9z8y7x";
    private static final String MARKED = "marked-4c3b2a";
    private static final List<String> ALL = List.of(ROOT_PASSWORD, NESTED_PASSWORD, LISTED_SECRET, PEM_LINE,
            UNKNOWN_SECRET, MARKED);

    /** A Tutor root whose config.yml holds secrets at the top, nested under a plugin's key, in a list and in a PEM. */
    private Path tutorRoot() throws IOException {
        Path root = Files.createDirectories(dir.resolve("tutor-root"));
        Files.writeString(root.resolve("config.yml"), """
                LMS_HOST: learn.example.com
                MYSQL_ROOT_PASSWORD: %s
                RUN_MYSQL: true
                SOME_TOKEN: abc
                MYPLUGIN:
                  clickhouse:
                    admin_password: %s
                  client_secrets: [list-secret-1, %s]
                JWT_RSA_PRIVATE_KEY: |
                  -----BEGIN RSA PRIVATE KEY-----
                  %s
                  Qw==
                  -----END RSA PRIVATE KEY-----
                """.formatted(ROOT_PASSWORD, NESTED_PASSWORD, LISTED_SECRET, PEM_LINE));
        return root;
    }

    /** What a failing {@code tutor images build} prints: learned values, an unknown one in JSON, a short one. */
    private Path buildOutput() throws IOException {
        return Files.writeString(dir.resolve("build-output.txt"), """
                Step 4/9 : ENV MYSQL_ROOT_PASSWORD=%s
                {"SECRET_KEY": "%s", "LMS_HOST": "learn.example.com"}
                connecting to clickhouse with %s and %s: refused
                key material %s
                the flag abc stays visible
                the caller's %s too
                """.formatted(ROOT_PASSWORD, UNKNOWN_SECRET, NESTED_PASSWORD, LISTED_SECRET, PEM_LINE, MARKED));
    }

    @Test
    void secrets_learned_from_config_yml_and_secret_shapes_never_reach_the_listener_the_result_the_exception_or_the_log()
            throws IOException {
        ProcessTutorRunner runner = fake.runner()
                .secretsFrom(tutorRoot())
                .secrets(Secrets.of(MARKED))
                .environment("FAKE_STDOUT_FILE", buildOutput().toString())
                .environment("FAKE_STDERR", "ERROR: build failed; MYSQL_ROOT_PASSWORD is " + ROOT_PASSWORD)
                .environment("FAKE_EXIT", "1")
                .listener((source, line) -> heard.add(line))
                .build();

        TutorCommandException e = org.junit.jupiter.api.Assertions.assertThrows(TutorCommandException.class,
                () -> runner.runChecked(TutorCommands.imagesBuild(List.of("openedx"), false, Map.of())));

        assertThat(heard).containsExactlyInAnyOrder(
                "Step 4/9 : ENV MYSQL_ROOT_PASSWORD=******",
                "{\"SECRET_KEY\": \"******\", \"LMS_HOST\": \"learn.example.com\"}",
                "connecting to clickhouse with ****** and ******: refused",
                "key material ******",
                "the flag abc stays visible",
                "the caller's ****** too",
                "ERROR: build failed; MYSQL_ROOT_PASSWORD is ******");
        String shown = String.join("\n", heard) + e.getMessage() + e.result().output() + e.result() + runner;
        assertThat(e.getMessage()).contains("`tutor images build openedx` failed with exit code 1", "the flag abc stays");
        String log = Files.readString(TEST_LOG, StandardCharsets.UTF_8);
        assertThat(log).contains("[tutor out] Step 4/9 : ENV MYSQL_ROOT_PASSWORD=******");
        for (String secret : ALL) {
            assertThat(shown).doesNotContain(secret);
            assertThat(log).doesNotContain(secret);
        }
    }

    @Test
    void a_config_save_during_a_run_teaches_the_runner_the_new_secrets_before_the_next_command() throws IOException {
        Path root = tutorRoot();
        Path output = dir.resolve("output.txt");
        ProcessTutorRunner runner = fake.runner().secretsFrom(root).environment("FAKE_STDOUT_FILE", output.toString())
                .listener((source, line) -> heard.add(line)).build();
        String added = "aspects-pw-77aa66";
        Files.writeString(output, "before: " + ROOT_PASSWORD + " " + added + "\n");
        runner.runChecked(TutorCommand.of("tutor", "config", "save"));

        Files.writeString(root.resolve("config.yml"), "ASPECTS_CLICKHOUSE_PASSWORD: " + added + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(output, "after: " + ROOT_PASSWORD + " " + added + "\n");
        runner.runChecked(TutorCommand.of("tutor", "local", "status"));

        assertThat(heard).containsExactly("before: ****** " + added, "after: ****** ******");
    }

    @Test
    void without_a_root_the_runner_asks_tutor_once_and_learns_from_the_root_it_prints() throws IOException {
        Path root = tutorRoot();
        ProcessTutorRunner runner = fake.runner().secretsFromTutorRoot()
                .environment("FAKE_ROOT", root.toString())
                .environment("FAKE_STDOUT", "password is " + NESTED_PASSWORD)
                .listener((source, line) -> heard.add(line))
                .build();

        runner.runChecked(TutorCommand.of("tutor", "local", "status"));
        runner.runChecked(TutorCommand.of("tutor", "local", "status"));

        assertThat(heard).containsExactly("password is ******", "password is ******");
        assertThat(fake.argvs()).containsExactly(List.of("config", "printroot"), List.of("local", "status"),
                List.of("local", "status"));
    }

    @Test
    void a_config_yml_that_is_not_yaml_stops_the_command_with_its_place_and_never_its_content() throws IOException {
        Path root = Files.createDirectories(dir.resolve("broken-root"));
        Files.writeString(root.resolve("config.yml"), "LMS_HOST: a\nMYSQL_ROOT_PASSWORD: \"" + ROOT_PASSWORD + "\n  - [\n");
        ProcessTutorRunner runner = fake.runner().secretsFrom(root).build();

        assertThatThrownBy(() -> runner.run(TutorCommand.of("tutor", "local", "status")))
                .isInstanceOf(ArboristException.class)
                .hasMessageContaining("cannot learn the secrets of " + root.resolve("config.yml") + ": it is not valid YAML at line")
                .hasMessageNotContaining(ROOT_PASSWORD)
                .hasNoCause()
                .extracting(t -> ((ArboristException) t).kind()).isEqualTo(ErrorKind.CONFIGURATION);
        assertThat(fake.argvs()).as("the command did not run unredacted").isEmpty();
    }

    @Test
    void when_tutor_cannot_tell_its_root_no_command_runs_without_its_secrets_hidden() throws IOException {
        ProcessTutorRunner runner = fake.runner().secretsFromTutorRoot()
                .executable(dir.resolve("missing-tutor")).build();

        assertThatThrownBy(() -> runner.run(TutorCommand.of("tutor", "local", "status")))
                .isInstanceOf(ArboristException.class)
                .hasMessageContaining("cannot start `tutor config printroot`");
        assertThat(fake.argvs()).isEmpty();
    }

    @Test
    void a_root_that_is_not_an_absolute_path_is_refused_before_the_command_runs() throws IOException {
        ProcessTutorRunner runner = fake.runner().secretsFromTutorRoot().environment("FAKE_ROOT", "relative/root").build();

        assertThatThrownBy(() -> runner.run(TutorCommand.of("tutor", "local", "status")))
                .isInstanceOf(ArboristException.class)
                .hasMessageContaining("`tutor config printroot` printed 'relative/root', not an absolute path");
        assertThat(fake.argvs()).containsExactly(List.of("config", "printroot"));
    }
}
