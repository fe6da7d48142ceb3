package io.arborist.tutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.release.ReleaseName;
import io.arborist.core.spi.Secrets;
import io.arborist.core.spi.TutorCommand;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TutorCommandsTest {
    @Test
    void renders_mode_commands_for_local_dev_and_k8s() {
        assertThat(TutorCommands.launch(DeploymentMode.LOCAL, true).argv()).containsExactly("tutor", "local", "launch", "-I");
        assertThat(TutorCommands.launch(DeploymentMode.K8S, false).argv()).containsExactly("tutor", "k8s", "launch");
        assertThat(TutorCommands.upgradeFrom(DeploymentMode.DEV, ReleaseName.of("sumac")).argv())
                .containsExactly("tutor", "dev", "upgrade", "--from=sumac");
        assertThat(TutorCommands.doInit(DeploymentMode.K8S, "aspects").argv())
                .containsExactly("tutor", "k8s", "do", "init", "-l", "aspects");
        assertThat(TutorCommands.doDbt(DeploymentMode.LOCAL, "run-operation remove_deprecated_models", false).argv())
                .containsExactly("tutor", "local", "do", "dbt", "-c", "run-operation remove_deprecated_models",
                        "--only_changed", "False");
        assertThat(TutorCommands.doDbt(DeploymentMode.LOCAL, "run", true).argv()).endsWith("--only_changed", "True");
    }

    @Test
    void run_becomes_exec_on_kubernetes_which_has_no_one_off_containers() {
        assertThat(TutorCommands.run(DeploymentMode.LOCAL, "lms", "./manage.py", "lms", "check").argv())
                .containsExactly("tutor", "local", "run", "lms", "./manage.py", "lms", "check");
        assertThat(TutorCommands.run(DeploymentMode.K8S, "lms", "./manage.py", "lms", "check").argv())
                .containsExactly("tutor", "k8s", "exec", "lms", "./manage.py", "lms", "check");
    }

    @Test
    void start_is_detached_on_compose_and_plain_on_kubernetes() {
        assertThat(TutorCommands.start(DeploymentMode.LOCAL).argv()).containsExactly("tutor", "local", "start", "-d");
        assertThat(TutorCommands.start(DeploymentMode.K8S, "lms").argv()).containsExactly("tutor", "k8s", "start", "lms");
        assertThat(TutorCommands.stop(DeploymentMode.DEV, "lms", "cms").argv())
                .containsExactly("tutor", "dev", "stop", "lms", "cms");
    }

    @Test
    void config_save_sorts_settings_so_map_order_does_not_matter() {
        Map<String, String> set = new TreeMap<>(Map.of("PLATFORM_NAME", "My School", "LMS_HOST", "learn.example.com"));
        TutorCommand save = TutorCommands.configSave(set, List.of("Z_UNSET", "DOCKER_IMAGE_MONGODB"));

        assertThat(save.argv()).containsExactly("tutor", "config", "save",
                "--set", "LMS_HOST=learn.example.com", "--set", "PLATFORM_NAME=My School",
                "--unset", "DOCKER_IMAGE_MONGODB", "--unset", "Z_UNSET");
        assertThat(TutorCommands.configSave().argv()).containsExactly("tutor", "config", "save");
    }

    @Test
    void sensitive_settings_become_secrets_automatically() {
        TutorCommand save = TutorCommands.configSave(Map.of("MYSQL_ROOT_PASSWORD", "hunter2", "LMS_HOST", "lms.test"),
                List.of());

        assertThat(save.secrets()).isEqualTo(Secrets.of("hunter2"));
        assertThat(save.redactedArgv()).contains("MYSQL_ROOT_PASSWORD=******", "LMS_HOST=lms.test");
        assertThat(TutorCommands.configPrintValue("MYSQL_ROOT_PASSWORD").secretOutput()).isTrue();
        assertThat(TutorCommands.configPrintValue("LMS_HOST").secretOutput()).isFalse();
    }

    @Test
    void images_and_plugins_and_pip() {
        assertThat(TutorCommands.imagesBuild(List.of("openedx", "mfe"), true, Map.of("APP_USER_ID", "1000")).argv())
                .containsExactly("tutor", "images", "build", "--no-cache", "--build-arg", "APP_USER_ID=1000", "openedx", "mfe");
        assertThat(TutorCommands.imagesBuild(List.of("all"), false, Map.of()).argv())
                .containsExactly("tutor", "images", "build", "all");
        assertThat(TutorCommands.imagesPull("openedx").argv()).containsExactly("tutor", "images", "pull", "openedx");
        assertThat(TutorCommands.imagesPush("openedx", "mfe").argv()).containsExactly("tutor", "images", "push", "openedx", "mfe");
        assertThat(TutorCommands.pluginsEnable("aspects", "mfe").argv()).containsExactly("tutor", "plugins", "enable", "aspects", "mfe");
        assertThat(TutorCommands.pluginsDisable("indigo").argv()).containsExactly("tutor", "plugins", "disable", "indigo");
        assertThat(TutorCommands.pipInstall("tutor[full]==20.0.5").argv()).containsExactly("pip", "install", "tutor[full]==20.0.5");
        assertThat(TutorCommands.configPrintRoot().argv()).containsExactly("tutor", "config", "printroot");
    }

    @Test
    void names_that_could_be_read_as_options_are_refused_with_the_value() {
        assertThatThrownBy(() -> TutorCommands.exec(DeploymentMode.LOCAL, "--privileged", "sh"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'--privileged'");
        assertThatThrownBy(() -> TutorCommands.pluginsEnable())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names must not be empty");
        assertThatThrownBy(() -> TutorCommands.configSave(Map.of("BAD KEY", "x"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'BAD KEY'");
        assertThatThrownBy(() -> TutorCommands.pipInstall("--index-url=http://evil"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--index-url");
        assertThatThrownBy(() -> TutorCommands.exec(DeploymentMode.LOCAL, "lms"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("command must name a program");
        assertThatThrownBy(() -> TutorCommands.launch(null, true))
                .isInstanceOf(NullPointerException.class).hasMessage("mode");
    }
}
