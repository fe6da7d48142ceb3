package io.arborist.tutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.release.ReleaseName;
import io.arborist.core.spi.OutputListener;
import io.arborist.core.spi.TutorCommand;
import io.arborist.core.spi.TutorCommandException;
import io.arborist.core.spi.TutorResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProcessTutorRunnerTest {
    @TempDir
    Path dir;
    FakeTutor fake;

    @BeforeEach
    void installFake() throws IOException {
        fake = FakeTutor.install(dir);
    }

    @ParameterizedTest
    @EnumSource(DeploymentMode.class)
    void every_typed_command_reaches_tutor_with_exactly_its_argv(DeploymentMode mode) throws IOException {
        ProcessTutorRunner runner = fake.runner().build();
        String w = mode.word();
        String runVerb = mode == DeploymentMode.K8S ? "exec" : "run";
        List<TutorCommand> commands = List.of(
                TutorCommands.launch(mode, true),
                TutorCommands.upgradeFrom(mode, ReleaseName.of("sumac")),
                TutorCommands.doInit(mode),
                TutorCommands.doInit(mode, "aspects"),
                TutorCommands.doDbt(mode, "run-operation remove_deprecated_models", false),
                TutorCommands.doJob(mode, "importdemocourse", "-r", "https://github.com/x/y z"),
                TutorCommands.exec(mode, "lms", "./manage.py", "lms", "check"),
                TutorCommands.run(mode, "lms", "sh", "-c", "echo 'a b' \"$HOME\" `id` ; rm -rf /", ""),
                TutorCommands.start(mode, "lms", "cms"),
                TutorCommands.stop(mode),
                TutorCommands.configSave(new TreeMap<>(Map.of("PLATFORM_NAME", "It's \"my\" $school")),
                        List.of("DOCKER_IMAGE_MONGODB")),
                TutorCommands.imagesBuild(List.of("openedx", "mfe"), true, Map.of("APP_USER_ID", "1000")),
                TutorCommands.imagesPull("openedx"),
                TutorCommands.pluginsEnable("aspects", "mfe"),
                TutorCommands.pluginsDisable("indigo"));

        commands.forEach(runner::runChecked);

        List<String> start = mode == DeploymentMode.K8S ? List.of(w, "start", "lms", "cms") : List.of(w, "start", "-d", "lms", "cms");
        assertThat(fake.argvs()).containsExactly(
                List.of(w, "launch", "-I"),
                List.of(w, "upgrade", "--from=sumac"),
                List.of(w, "do", "init"),
                List.of(w, "do", "init", "-l", "aspects"),
                List.of(w, "do", "dbt", "-c", "run-operation remove_deprecated_models", "--only_changed", "False"),
                List.of(w, "do", "importdemocourse", "-r", "https://github.com/x/y z"),
                List.of(w, "exec", "lms", "./manage.py", "lms", "check"),
                List.of(w, runVerb, "lms", "sh", "-c", "echo 'a b' \"$HOME\" `id` ; rm -rf /", ""),
                start,
                List.of(w, "stop"),
                List.of("config", "save", "--set", "PLATFORM_NAME=It's \"my\" $school", "--unset", "DOCKER_IMAGE_MONGODB"),
                List.of("images", "build", "--no-cache", "--build-arg", "APP_USER_ID=1000", "openedx", "mfe"),
                List.of("images", "pull", "openedx"),
                List.of("plugins", "enable", "aspects", "mfe"),
                List.of("plugins", "disable", "indigo"));
        assertThat(fake.calls()).extracting(FakeTutor.Call::program).containsOnly("tutor");
    }

    @Test
    void pip_commands_run_the_configured_pip_and_other_programs_run_as_named() throws IOException {
        ProcessTutorRunner runner = fake.runner().build();
        Path made = dir.resolve("made/by/mkdir");

        runner.runChecked(TutorCommands.pipInstall("tutor[full]==20.0.5", "tutor-contrib-aspects==2.2.0"));
        runner.runChecked(TutorCommand.of("mkdir", "-p", made.toString()));

        assertThat(fake.calls()).containsExactly(
                new FakeTutor.Call("pip", List.of("install", "tutor[full]==20.0.5", "tutor-contrib-aspects==2.2.0")));
        assertThat(made).isDirectory();
    }

    @Test
    void finds_tutor_on_the_path_given_in_the_environment_overlay() throws IOException {
        ProcessTutorRunner runner = ProcessTutorRunner.builder()
                .environment(Map.of("PATH", dir + ":/usr/bin:/bin", "FAKE_LOG", fake.log().toString()))
                .build();

        TutorResult result = runner.run(TutorCommands.stop(DeploymentMode.LOCAL));

        assertThat(result.succeeded()).isTrue();
        assertThat(fake.argvs()).containsExactly(List.of("local", "stop"));
    }

    @Test
    void a_non_zero_exit_is_data_from_run_and_an_exception_carrying_the_result_from_run_checked() {
        ProcessTutorRunner runner = fake.runner()
                .environment("FAKE_EXIT", "7")
                .environment("FAKE_STDERR", "Error: the lms container is not running")
                .build();
        TutorCommand launch = TutorCommands.launch(DeploymentMode.LOCAL, true);

        TutorResult result = runner.run(launch);

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.timedOut()).isFalse();
        assertThat(result.args()).containsExactly("tutor", "local", "launch", "-I");
        assertThat(result.output()).isEqualTo("Error: the lms container is not running\n");
        assertThatThrownBy(() -> runner.runChecked(launch))
                .isInstanceOf(TutorCommandException.class)
                .hasMessageContaining("`tutor local launch -I` failed with exit code 7")
                .hasMessageContaining("Error: the lms container is not running")
                .satisfies(e -> {
                    TutorCommandException tce = (TutorCommandException) e;
                    assertThat(tce.kind()).isEqualTo(ErrorKind.COMMAND_FAILED);
                    assertThat(tce.result().exitCode()).isEqualTo(7);
                    assertThat(tce.result().args()).isEqualTo(result.args());
                });
    }

    @Test
    void streams_stdout_and_stderr_line_by_line_to_the_listener_decoded_as_utf8() {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        ProcessTutorRunner runner = fake.runner()
                .environment(Map.of("FAKE_LOG", fake.log().toString(), "FAKE_ECHO", "1", "FAKE_UTF8", "1",
                        "FAKE_STDERR", "warning: on stderr"))
                .listener((source, line) -> lines.add(source + " " + line))
                .build();

        TutorResult result = runner.runChecked(TutorCommand.of("tutor", "two words", "x"));

        assertThat(lines).containsExactlyInAnyOrder("STDOUT arg: two words", "STDOUT arg: x", "STDOUT café ✓",
                "STDERR warning: on stderr");
        assertThat(lines.stream().filter(l -> l.startsWith("STDOUT")))
                .as("lines of one stream keep their order")
                .containsExactly("STDOUT arg: two words", "STDOUT arg: x", "STDOUT café ✓");
        assertThat(result.outputHead()).contains("arg: two words\n", "café ✓\n", "warning: on stderr\n");
        assertThat(result.outputTail()).isEmpty();
        assertThat(result.omittedChars()).isZero();
    }

    @Test
    void exports_tutor_root_and_the_overlay_and_starts_in_the_working_directory() throws IOException {
        Path work = Files.createDirectory(dir.resolve("work"));
        Path root = dir.resolve("tutor-root");
        ProcessTutorRunner runner = fake.runner()
                .environment("FAKE_PWD", "1")
                .environment("FAKE_SHOW_ENV", "TUTOR_ROOT")
                .tutorRoot(root)
                .workingDirectory(work)
                .build();

        TutorResult result = runner.runChecked(TutorCommands.configSave());

        assertThat(result.output()).contains("pwd=" + work + "\n", "env TUTOR_ROOT=" + root + "\n");
    }

    @Test
    void a_missing_executable_is_a_configuration_error_that_says_what_to_set() {
        ProcessTutorRunner runner = ProcessTutorRunner.builder().executable(dir.resolve("no-such-tutor")).build();

        assertThatThrownBy(() -> runner.run(TutorCommands.configPrintRoot()))
                .isInstanceOf(ArboristException.class)
                .hasMessageContaining("cannot start `tutor config printroot`")
                .hasMessageContaining("no-such-tutor")
                .hasMessageContaining("executable(..)")
                .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.CONFIGURATION);
    }

    @Test
    void a_failing_listener_does_not_stop_the_command() {
        OutputListener broken = (source, line) -> {
            throw new IllegalStateException("listener bug");
        };
        ProcessTutorRunner runner = fake.runner().environment("FAKE_ECHO", "1").listener(broken).build();

        TutorResult result = runner.run(TutorCommand.of("tutor", "a", "b", "c"));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.output()).isEqualTo("arg: a\narg: b\narg: c\n");
    }

    @Test
    void builder_round_trips_and_rejects_bad_settings_naming_them() {
        ProcessTutorRunner runner = fake.runner().environment("SECRET_ENV", "do-not-print").build();

        assertThat(runner.toBuilder().build().toString()).isEqualTo(runner.toString());
        assertThat(runner.toString()).contains("SECRET_ENV").doesNotContain("do-not-print");
        assertThatThrownBy(() -> ProcessTutorRunner.builder().timeout(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> ProcessTutorRunner.builder().executable(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("executable");
    }
}
