package io.arborist.tutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ErrorKind;
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
}
