package io.arborist.core.plan;

import io.arborist.core.internal.Shell;
import io.arborist.core.release.TutorGrammar;
import io.arborist.core.release.TutorVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds every {@code tutor} command a plan emits, in the form the Tutor version installed at that step accepts. Which
 * form that is comes from the grammar extracted from overhangio/tutor at each tag ({@link TutorGrammar}), never from
 * version thresholds written here: {@code upgrade} exists in {@code dev} only from 16, {@code launch} replaced
 * {@code quickstart} in 15, {@code do} jobs replaced top-level {@code init}/{@code settheme} in 15, {@code k8s exec}
 * took one command string (run through {@code sh -c}) until 12, commands that ask for confirmation need their
 * non-interactive flag because the executor runs with stdin closed.
 */
final class TutorCli {
    private final TutorGrammar grammar;
    private final TutorVersion version;
    private final DeploymentMode mode;

    TutorCli(TutorGrammar grammar, TutorVersion version, DeploymentMode mode) {
        this.grammar = grammar;
        this.version = version;
        this.mode = mode;
    }

    TutorVersion version() {
        return version;
    }

    /** @return the grammar version the facts come from (the nearest known one at or below the installed version) */
    TutorVersion grammarVersion() {
        return grammar.nearest(version);
    }

    List<String> configSave() {
        return List.of("tutor", "config", "save");
    }

    List<String> configSave(String option, String value) {
        return List.of("tutor", "config", "save", option, value);
    }

    /** @return {@code tutor config printvalue KEY}, when this version's configuration defines the key */
    Optional<List<String>> printValue(String key) {
        return grammar.definesConfigKey(version, key) ? Optional.of(List.of("tutor", "config", "printvalue", key)) : Optional.empty();
    }

    /**
     * @param keys alternative names of one setting, newest first (Tutor renamed several, e.g. ACTIVATE_HTTPS to ENABLE_HTTPS in 11)
     * @return {@code printvalue} of the first name this version defines
     */
    Optional<List<String>> printValue(List<String> keys) {
        return keys.stream().map(this::printValue).flatMap(Optional::stream).findFirst();
    }

    List<String> pluginsList() {
        return List.of("tutor", "plugins", "list");
    }

    List<String> pluginsEnable(List<String> names) {
        List<String> argv = new ArrayList<>(List.of("tutor", "plugins", "enable"));
        argv.addAll(names);
        return argv;
    }

    List<String> pluginsDisable(List<String> names) {
        List<String> argv = new ArrayList<>(List.of("tutor", "plugins", "disable"));
        argv.addAll(names);
        return argv;
    }

    List<String> images(String verb, List<String> images, boolean noCache) {
        List<String> argv = new ArrayList<>(List.of("tutor", "images", verb));
        argv.addAll(images);
        if (noCache) {
            argv.add("--no-cache");
        }
        return argv;
    }

    /**
     * @param fromRelease the release being left
     * @return {@code tutor MODE upgrade --from=RELEASE}, with the non-interactive flag where the command asks; empty when
     *     this version has no upgrade command for the mode or does not accept that release
     */
    Optional<List<String>> upgrade(DeploymentMode in, String fromRelease) {
        String m = in.word();
        if (!grammar.hasCommand(version, m, "upgrade") || !grammar.optionChoices(version, "--from", m, "upgrade").contains(fromRelease)) {
            return Optional.empty();
        }
        List<String> argv = new ArrayList<>(List.of("tutor", m, "upgrade", "--from=" + fromRelease));
        grammar.nonInteractiveFlag(version, m, "upgrade").ifPresent(argv::add);
        return Optional.of(argv);
    }

    /** @return the verb that starts the platform and runs the init jobs: {@code launch}, else {@code quickstart} */
    Optional<String> launchVerb() {
        for (String verb : List.of("launch", "quickstart")) {
            if (grammar.hasCommand(version, mode.word(), verb)) {
                return Optional.of(verb);
            }
        }
        return Optional.empty();
    }

    /** @return {@code tutor MODE launch -I} (or {@code quickstart -I}), when this version has one for the mode */
    Optional<List<String>> launch() {
        return launchVerb().map(verb -> {
            List<String> argv = new ArrayList<>(List.of("tutor", mode.word(), verb));
            grammar.nonInteractiveFlag(version, mode.word(), verb).ifPresent(argv::add);
            return argv;
        });
    }

    List<String> start() {
        List<String> argv = new ArrayList<>(List.of("tutor", mode.word(), "start"));
        if (mode != DeploymentMode.K8S) {
            argv.add("--detach");
        }
        return argv;
    }

    List<String> stop() {
        return List.of("tutor", mode.word(), "stop");
    }

    List<String> stop(DeploymentMode in) {
        return List.of("tutor", in.word(), "stop");
    }

    /**
     * A job: {@code tutor MODE do JOB ARGS} from Tutor 15, the top-level {@code tutor MODE JOB ARGS} before.
     *
     * @return the argv, when this version knows the job in either form
     */
    Optional<List<String>> job(String job, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("tutor", mode.word()));
        if (grammar.hasCommand(version, mode.word(), "do")) {
            argv.add("do");
        } else if (!grammar.hasCommand(version, mode.word(), job)) {
            return Optional.empty();
        }
        argv.add(job);
        argv.addAll(args);
        return Optional.of(argv);
    }

    /**
     * A command in a running service container: {@code tutor MODE exec SERVICE ARGV…}, or in a one-off job container
     * with {@code run}; on Kubernetes always {@code exec} (a pod). Where the version's {@code exec}/{@code run} takes one
     * command string (Tutor 10–12 on Kubernetes), the argv is joined into one POSIX-quoted string.
     */
    List<String> inContainer(boolean oneOff, String service, List<String> command) {
        String verb = mode == DeploymentMode.K8S ? "exec" : oneOff ? "run" : "exec";
        List<String> argv = new ArrayList<>(List.of("tutor", mode.word(), verb, service));
        if (grammar.takesOneCommandString(version, mode.word(), verb)) {
            argv.add(Shell.join(command));
        } else {
            argv.addAll(command);
        }
        return argv;
    }
}
