package io.arborist.tutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ErrorKind;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.release.ReleaseName;
import io.arborist.core.spi.TutorCommand;
import io.arborist.core.spi.TutorCommandException;
import io.arborist.core.spi.TutorResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DryRunTutorRunnerTest {
    @Test
    void records_commands_in_order_and_succeeds_without_running_anything() {
        DryRunTutorRunner dry = DryRunTutorRunner.create();
        TutorCommand save = TutorCommands.configSave();
        TutorCommand launch = TutorCommands.launch(DeploymentMode.LOCAL, true);

        TutorResult result = dry.runChecked(save);
        dry.run(launch);

        assertThat(dry.commands()).containsExactly(save, launch);
        assertThat(result).isEqualTo(new TutorResult(List.of("tutor", "config", "save"), 0, Duration.ZERO, "", "", 0, false));
    }

    @Test
    void canned_responses_match_by_the_longest_argv_prefix() {
        List<String> heard = new ArrayList<>();
        DryRunTutorRunner dry = DryRunTutorRunner.builder()
                .respond(List.of("tutor", "config", "printvalue"), 0, "generic\n")
                .respond(List.of("tutor", "config", "printvalue", "LMS_HOST"), 0, "learn.example.com\n")
                .respond(List.of("tutor", "local", "launch"), 2, "Error: launch failed\n")
                .timeOut(List.of("tutor", "images", "build"))
                .listener((source, line) -> heard.add(line))
                .build();

        assertThat(dry.run(TutorCommands.configPrintValue("LMS_HOST")).output()).isEqualTo("learn.example.com\n");
        assertThat(dry.run(TutorCommands.configPrintValue("CMS_HOST")).output()).isEqualTo("generic\n");
        assertThatThrownBy(() -> dry.runChecked(TutorCommands.launch(DeploymentMode.LOCAL, true)))
                .isInstanceOf(TutorCommandException.class).hasMessageContaining("exit code 2")
                .hasMessageContaining("Error: launch failed");
        assertThatThrownBy(() -> dry.runChecked(TutorCommands.imagesBuild(List.of("all"), false, Map.of())))
                .isInstanceOf(TutorCommandException.class)
                .extracting(e -> ((TutorCommandException) e).kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(heard).containsExactly("learn.example.com", "generic", "Error: launch failed");
        assertThat(dry.commands()).hasSize(4);
    }

    @Test
    void renders_a_posix_script_with_single_quoting_placeholders_and_masked_secrets() {
        DryRunTutorRunner dry = DryRunTutorRunner.create();
        dry.run(TutorCommands.configSave(Map.of("PLATFORM_NAME", "It's my school", "MYSQL_ROOT_PASSWORD", "hunter2"),
                List.of()));
        dry.run(TutorCommand.of("mv", "${TUTOR_ROOT}/env/build/openedx/themes/my theme", "${TUTOR_ROOT}/parked"));
        dry.run(TutorCommands.doJob(DeploymentMode.LOCAL, "update-mysql-authentication-plugin",
                "${TUTOR_CONFIG:OPENEDX_MYSQL_USERNAME}"));
        dry.run(TutorCommands.upgradeFrom(DeploymentMode.K8S, ReleaseName.of("sumac")));

        assertThat(dry.script()).isEqualTo("""
                #!/bin/sh
                # 4 commands recorded by Arborist's DryRunTutorRunner.
                # Secret values are shown as ******: put the real values in before running it.
                set -eu
                TUTOR_ROOT="${TUTOR_ROOT:-$(tutor config printroot)}"
                tutor config save --set 'MYSQL_ROOT_PASSWORD=******' --set 'PLATFORM_NAME=It'\\''s my school'
                mv "${TUTOR_ROOT}"'/env/build/openedx/themes/my theme' "${TUTOR_ROOT}"/parked
                tutor local do update-mysql-authentication-plugin "$(tutor config printvalue OPENEDX_MYSQL_USERNAME)"
                tutor k8s upgrade --from=sumac
                """);
    }

    @Test
    void the_rendered_script_replays_the_exact_argv_through_a_real_shell(@TempDir Path dir) throws Exception {
        FakeTutor fake = FakeTutor.install(dir);
        String nasty = "a 'quoted' \"double\" $HOME `id` \\ ; | & * ? [x] ~ #\nsecond line";
        DryRunTutorRunner dry = DryRunTutorRunner.create();
        dry.run(TutorCommand.of("tutor", "local", "exec", "lms", "echo", nasty, "", "-n"));
        dry.run(TutorCommand.of("tutor", "local", "exec", "lms", "ls", "${TUTOR_ROOT}/env/it's here",
                "--user=${TUTOR_CONFIG:OPENEDX_MYSQL_USERNAME}!"));
        Path script = Files.writeString(dir.resolve("replay.sh"), dry.script());

        ProcessBuilder replay = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true);
        replay.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        replay.environment().put("FAKE_LOG", fake.log().toString());
        replay.environment().put("FAKE_ROOT", "/srv/the root");
        replay.environment().put("FAKE_CFG_OPENEDX_MYSQL_USERNAME", "openedx");
        replay.environment().remove("TUTOR_ROOT");
        Process p = replay.start();
        String output = new String(p.getInputStream().readAllBytes());

        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(fake.argvs()).containsExactly(
                List.of("config", "printroot"),
                List.of("local", "exec", "lms", "echo", nasty, "", "-n"),
                List.of("config", "printvalue", "OPENEDX_MYSQL_USERNAME"),
                List.of("local", "exec", "lms", "ls", "/srv/the root/env/it's here", "--user=openedx!"));
    }
}
