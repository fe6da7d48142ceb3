package io.arborist.core.plan;

import io.arborist.core.internal.Shell;
import io.arborist.core.release.TutorVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds every {@code tutor} command a plan emits, in the form the Tutor installed at that step accepts. It never
 * encodes version thresholds: it writes the preferred form, asks the grammar extracted from overhangio/tutor at that
 * version ({@link Upstream}) whether Tutor accepts it, and falls back to the older form. That is how {@code upgrade}
 * in {@code dev} (16 and later), {@code launch} against {@code quickstart} (15), {@code do} jobs (15), a single command
 * string for {@code k8s exec} (up to 12) and the non-interactive flag of commands that ask (stdin is closed when the
 * executor runs) come out right for each version.
 */
final class TutorCli {
    private final Upstream upstream;
    private final TutorVersion version;
    private final DeploymentMode mode;
    private final Map<String, String> plugins;

    TutorCli(Upstream upstream, TutorVersion version, DeploymentMode mode, Map<String, String> plugins) {
        this.upstream = upstream;
        this.version = version;
        this.mode = mode;
        this.plugins = Map.copyOf(plugins);
    }

    boolean accepts(List<String> argv) {
        return upstream.accepts(version, plugins, argv);
    }

    /** @return the first form Tutor accepts */
    @SafeVarargs
    private Optional<List<String>> firstAccepted(List<String>... forms) {
        for (List<String> f : forms) {
            if (accepts(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** @return the grammar version the forms are checked against (the nearest known at or below the installed one) */
    TutorVersion grammarVersion() {
        return upstream.nearest(version);
    }

    List<String> configSave() {
        return List.of("tutor", "config", "save");
    }

    List<String> configSave(String option, String value) {
        return List.of("tutor", "config", "save", option, value);
    }

    /**
     * @param keys alternative names of one setting, newest first (Tutor 11 renamed ACTIVATE_* to RUN_*)
     * @return {@code printvalue} of the first name this version's configuration defines
     */
    Optional<List<String>> printValue(List<String> keys) {
        return keys.stream().filter(k -> upstream.configKey(version, plugins, k)).findFirst()
                .map(k -> List.of("tutor", "config", "printvalue", k));
    }

    Optional<List<String>> printValue(String key) {
        return printValue(List.of(key));
    }

    List<String> pluginsList() {
        return List.of("tutor", "plugins", "list");
    }

    List<String> pluginsEnable(List<String> names) {
        List<String> argv = new ArrayList<>(List.of("tutor", "plugins", "enable"));
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
     * @param in the mode whose upgrade runs it
     * @param fromRelease the release being left
     * @return {@code tutor MODE upgrade --from=RELEASE} (with {@code -I} where it asks); empty when this Tutor has no
     *     upgrade in that mode or does not accept that release
     */
    Optional<List<String>> upgrade(DeploymentMode in, String fromRelease) {
        List<String> plain = List.of("tutor", in.word(), "upgrade", "--from=" + fromRelease);
        List<String> quiet = List.of("tutor", in.word(), "upgrade", "--from=" + fromRelease, "-I");
        return firstAccepted(plain, quiet);
    }

    /** @return {@code tutor MODE launch -I} or {@code quickstart -I}, when this Tutor has one for the mode */
    Optional<List<String>> launch() {
        String m = mode.word();
        return firstAccepted(List.of("tutor", m, "launch", "-I"), List.of("tutor", m, "quickstart", "-I"),
                List.of("tutor", m, "launch"), List.of("tutor", m, "quickstart"));
    }

    List<String> start() {
        return firstAccepted(List.of("tutor", mode.word(), "start", "--detach"), List.of("tutor", mode.word(), "start"))
                .orElse(List.of("tutor", mode.word(), "start"));
    }

    List<String> stop() {
        return stop(mode);
    }

    List<String> stop(DeploymentMode in) {
        return List.of("tutor", in.word(), "stop");
    }

    /**
     * A job: {@code tutor MODE do JOB ARGS} from Tutor 15, {@code tutor MODE JOB ARGS} before.
     *
     * @return the argv, when this Tutor (with the enabled plugins) knows the job in either form
     */
    Optional<List<String>> job(String job, List<String> args) {
        List<String> viaDo = new ArrayList<>(List.of("tutor", mode.word(), "do", job));
        viaDo.addAll(args);
        List<String> direct = new ArrayList<>(List.of("tutor", mode.word(), job));
        direct.addAll(args);
        return firstAccepted(viaDo, direct);
    }

    /**
     * A command in a service container: {@code exec} in the running one, {@code run} in a one-off job container (on
     * Kubernetes always {@code exec} in a pod). Where this Tutor takes one command string there (it runs it with
     * {@code sh -c}, Tutor 10–12 on Kubernetes), the argv is joined with POSIX quoting.
     */
    List<String> inContainer(boolean oneOff, String service, List<String> command) {
        String verb = mode == DeploymentMode.K8S ? "exec" : oneOff ? "run" : "exec";
        List<String> separate = new ArrayList<>(List.of("tutor", mode.word(), verb, service));
        separate.addAll(command);
        if (accepts(separate)) {
            return separate;
        }
        List<String> joined = List.of("tutor", mode.word(), verb, service, Shell.join(command));
        return accepts(joined) ? joined : separate;
    }
}
