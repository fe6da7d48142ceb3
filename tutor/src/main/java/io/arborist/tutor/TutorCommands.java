package io.arborist.tutor;

import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.release.ReleaseName;
import io.arborist.core.spi.TutorCommand;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Typed factories for every command an upgrade plan uses, each rendered as an argv list for the chosen
 * {@link DeploymentMode}. No shell is involved: a value with spaces or quotes stays one argument.
 *
 * <pre>{@code
 * runner.runChecked(TutorCommands.configSave(Map.of("LMS_HOST", "learn.example.com"), List.of()));
 * runner.runChecked(TutorCommands.upgradeFrom(DeploymentMode.LOCAL, ReleaseName.of("sumac")));
 * runner.runChecked(TutorCommands.launch(DeploymentMode.LOCAL, true));
 * }</pre>
 *
 * <p>Names (images, services, plugins, jobs, setting keys) are checked so that none can be read as an option.
 * Settings and build arguments are emitted sorted by key, so the argv does not depend on map order. Values of
 * settings whose key contains {@code PASSWORD}, {@code SECRET}, {@code TOKEN} or {@code KEY} are
 * {@linkplain TutorCommand#secrets() secret} automatically. The commands carry no timeout, so the runner's default
 * applies; use {@link TutorCommand#withTimeout(java.time.Duration)} to set one.
 *
 * @since 0.1
 */
public final class TutorCommands {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_]+");

    private TutorCommands() {
    }

    /**
     * {@code pip install REQUIREMENT...}, for Tutor and its plugins at pinned versions.
     *
     * @param requirements e.g. {@code tutor[full]==20.0.5}, {@code tutor-contrib-aspects==2.2.0}; at least one
     * @return the command
     */
    public static TutorCommand pipInstall(String... requirements) {
        return pipInstall(Arrays.asList(Objects.requireNonNull(requirements, "requirements")));
    }

    /**
     * @param requirements pip requirement specifiers; at least one, none starting with {@code -}
     * @return {@code pip install REQUIREMENT...}
     */
    public static TutorCommand pipInstall(List<String> requirements) {
        List<String> argv = new ArrayList<>(List.of("pip", "install"));
        argv.addAll(nonEmpty(requirements, "requirements", TutorCommands::requirement));
        return TutorCommand.of(argv);
    }

    /** @return {@code tutor config save} */
    public static TutorCommand configSave() {
        return configSave(Map.of(), List.of());
    }

    /**
     * @param set settings to set, emitted as {@code --set KEY=VALUE} sorted by key
     * @param unset settings to remove, emitted as {@code --unset KEY} sorted
     * @return {@code tutor config save [--set KEY=VALUE]... [--unset KEY]...}
     */
    public static TutorCommand configSave(Map<String, String> set, Collection<String> unset) {
        List<String> argv = new ArrayList<>(List.of("tutor", "config", "save"));
        new TreeMap<>(Objects.requireNonNull(set, "set")).forEach((k, v) -> {
            argv.add("--set");
            argv.add(key(k) + "=" + Objects.requireNonNull(v, "value of " + k));
        });
        for (String k : new TreeSet<>(Objects.requireNonNull(unset, "unset"))) {
            argv.add("--unset");
            argv.add(key(k));
        }
        return TutorCommand.of(argv);
    }

    /**
     * @param key a setting name, e.g. {@code LMS_HOST}; for a sensitive key the output is marked secret
     * @return {@code tutor config printvalue KEY}
     */
    public static TutorCommand configPrintValue(String key) {
        return TutorCommand.of("tutor", "config", "printvalue", key(key));
    }

    /** @return {@code tutor config printroot} */
    public static TutorCommand configPrintRoot() {
        return TutorCommand.of("tutor", "config", "printroot");
    }

    /**
     * @param images images to build, e.g. {@code openedx}, {@code mfe} or {@code all}; at least one
     * @param noCache whether to add {@code --no-cache}
     * @param buildArgs emitted as {@code --build-arg KEY=VALUE} sorted by key
     * @return {@code tutor images build [--no-cache] [--build-arg KEY=VALUE]... IMAGE...}
     */
    public static TutorCommand imagesBuild(List<String> images, boolean noCache, Map<String, String> buildArgs) {
        List<String> argv = new ArrayList<>(List.of("tutor", "images", "build"));
        if (noCache) {
            argv.add("--no-cache");
        }
        new TreeMap<>(Objects.requireNonNull(buildArgs, "buildArgs")).forEach((k, v) -> {
            argv.add("--build-arg");
            argv.add(key(k) + "=" + Objects.requireNonNull(v, "value of build argument " + k));
        });
        argv.addAll(nonEmpty(images, "images", n -> name(n, "image")));
        return TutorCommand.of(argv);
    }

    /**
     * @param images images to pull; at least one
     * @return {@code tutor images pull IMAGE...}
     */
    public static TutorCommand imagesPull(String... images) {
        return images("pull", images);
    }

    /**
     * @param images images to push; at least one
     * @return {@code tutor images push IMAGE...}
     */
    public static TutorCommand imagesPush(String... images) {
        return images("push", images);
    }

    /**
     * @param mode the deployment
     * @param nonInteractive whether to add {@code -I} (needed when no terminal answers prompts)
     * @return {@code tutor MODE launch [-I]}
     */
    public static TutorCommand launch(DeploymentMode mode, boolean nonInteractive) {
        List<String> argv = modeArgv(mode, "launch");
        if (nonInteractive) {
            argv.add("-I");
        }
        return TutorCommand.of(argv);
    }

    /**
     * @param mode the deployment
     * @param release the release being upgraded from
     * @return {@code tutor MODE upgrade --from=RELEASE}
     */
    public static TutorCommand upgradeFrom(DeploymentMode mode, ReleaseName release) {
        Objects.requireNonNull(release, "release");
        List<String> argv = modeArgv(mode, "upgrade");
        argv.add("--from=" + release.value());
        return TutorCommand.of(argv);
    }

    /**
     * @param mode the deployment
     * @return {@code tutor MODE do init}: every init task of the core and enabled plugins
     */
    public static TutorCommand doInit(DeploymentMode mode) {
        return TutorCommand.of(modeArgv(mode, "do", "init"));
    }

    /**
     * @param mode the deployment
     * @param limit the plugin or service whose init tasks run, e.g. {@code aspects}
     * @return {@code tutor MODE do init -l LIMIT}
     */
    public static TutorCommand doInit(DeploymentMode mode, String limit) {
        List<String> argv = modeArgv(mode, "do", "init", "-l");
        argv.add(name(limit, "limit"));
        return TutorCommand.of(argv);
    }

    /**
     * Runs dbt in the Aspects dbt job (tutor-contrib-aspects).
     *
     * @param mode the deployment
     * @param command the dbt command line, passed as one argument, e.g. {@code run-operation remove_deprecated_models}
     * @param onlyChanged whether to run only models changed since the last run
     * @return {@code tutor MODE do dbt -c COMMAND --only_changed True|False}
     */
    public static TutorCommand doDbt(DeploymentMode mode, String command, boolean onlyChanged) {
        Objects.requireNonNull(command, "command");
        if (command.isBlank()) {
            throw new IllegalArgumentException("dbt command must not be blank; pass e.g. \"run\"");
        }
        List<String> argv = modeArgv(mode, "do", "dbt", "-c", command, "--only_changed");
        argv.add(onlyChanged ? "True" : "False");
        return TutorCommand.of(argv);
    }

    /**
     * @param mode the deployment
     * @param job the job name, e.g. {@code importdemocourse} or {@code update-mysql-authentication-plugin}
     * @param args the job's options and arguments, passed unchanged
     * @return {@code tutor MODE do JOB ARG...}
     */
    public static TutorCommand doJob(DeploymentMode mode, String job, String... args) {
        List<String> argv = modeArgv(mode, "do");
        argv.add(name(job, "job"));
        argv.addAll(free(args, "args", false));
        return TutorCommand.of(argv);
    }

    /**
     * Runs a command in a running service container.
     *
     * @param mode the deployment
     * @param service e.g. {@code lms}
     * @param command the program and its arguments; at least one
     * @return {@code tutor MODE exec SERVICE COMMAND...}
     */
    public static TutorCommand exec(DeploymentMode mode, String service, String... command) {
        return inService(mode, "exec", service, command);
    }

    /**
     * Runs a command in a one-off container of a service. Kubernetes has no such command, so on {@code K8S} this is
     * {@link #exec(DeploymentMode, String, String...)} in the running pod.
     *
     * @param mode the deployment
     * @param service e.g. {@code lms}
     * @param command the program and its arguments; at least one
     * @return {@code tutor local|dev run SERVICE COMMAND...} or {@code tutor k8s exec SERVICE COMMAND...}
     */
    public static TutorCommand run(DeploymentMode mode, String service, String... command) {
        return inService(mode, mode == DeploymentMode.K8S ? "exec" : "run", service, command);
    }

    /**
     * @param names plugins to enable; at least one
     * @return {@code tutor plugins enable NAME...}
     */
    public static TutorCommand pluginsEnable(String... names) {
        return plugins("enable", names);
    }

    /**
     * @param names plugins to disable; at least one
     * @return {@code tutor plugins disable NAME...}
     */
    public static TutorCommand pluginsDisable(String... names) {
        return plugins("disable", names);
    }

    /**
     * Starts services in the background: compose modes add {@code -d} (detached), since a foreground
     * {@code start} would never return; Kubernetes always runs in the background.
     *
     * @param mode the deployment
     * @param services services to start; none means all
     * @return {@code tutor local|dev start -d [SERVICE...]} or {@code tutor k8s start [SERVICE...]}
     */
    public static TutorCommand start(DeploymentMode mode, String... services) {
        List<String> argv = modeArgv(mode, "start");
        if (mode != DeploymentMode.K8S) {
            argv.add("-d");
        }
        argv.addAll(names(services, "services"));
        return TutorCommand.of(argv);
    }

    /**
     * @param mode the deployment
     * @param services services to stop; none means all
     * @return {@code tutor MODE stop [SERVICE...]}
     */
    public static TutorCommand stop(DeploymentMode mode, String... services) {
        List<String> argv = modeArgv(mode, "stop");
        argv.addAll(names(services, "services"));
        return TutorCommand.of(argv);
    }

    private static TutorCommand images(String verb, String... images) {
        List<String> argv = new ArrayList<>(List.of("tutor", "images", verb));
        argv.addAll(nonEmpty(Arrays.asList(Objects.requireNonNull(images, "images")), "images",
                n -> name(n, "image")));
        return TutorCommand.of(argv);
    }

    private static TutorCommand plugins(String verb, String... names) {
        List<String> argv = new ArrayList<>(List.of("tutor", "plugins", verb));
        argv.addAll(nonEmpty(Arrays.asList(Objects.requireNonNull(names, "names")), "names", n -> name(n, "plugin")));
        return TutorCommand.of(argv);
    }

    private static TutorCommand inService(DeploymentMode mode, String verb, String service, String... command) {
        List<String> argv = modeArgv(mode, verb);
        argv.add(name(service, "service"));
        argv.addAll(free(command, "command", true));
        return TutorCommand.of(argv);
    }

    private static List<String> modeArgv(DeploymentMode mode, String... rest) {
        List<String> argv = new ArrayList<>(List.of("tutor", Objects.requireNonNull(mode, "mode").word()));
        argv.addAll(List.of(rest));
        return argv;
    }

    private static List<String> names(String[] names, String what) {
        return Arrays.stream(Objects.requireNonNull(names, what)).map(n -> name(n, "service")).toList();
    }

    private static List<String> free(String[] args, String what, boolean required) {
        Objects.requireNonNull(args, what);
        for (int i = 0; i < args.length; i++) {
            Objects.requireNonNull(args[i], what + "[" + i + "]");
        }
        if (required && args.length == 0) {
            throw new IllegalArgumentException(what + " must name a program to run, e.g. \"./manage.py\"");
        }
        return List.of(args);
    }

    private static List<String> nonEmpty(List<String> values, String what,
                                         UnaryOperator<String> check) {
        Objects.requireNonNull(values, what);
        if (values.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return values.stream().map(check).toList();
    }

    private static String name(String value, String what) {
        Objects.requireNonNull(value, what);
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " name must be letters, digits, '.', '_' and '-' and not start"
                    + " with '-', got '" + value + "'");
        }
        return value;
    }

    private static String key(String value) {
        Objects.requireNonNull(value, "key");
        if (!KEY.matcher(value).matches()) {
            throw new IllegalArgumentException("setting key must be letters, digits and '_', got '" + value + "'");
        }
        return value;
    }

    private static String requirement(String value) {
        Objects.requireNonNull(value, "requirement");
        if (value.isBlank() || value.startsWith("-")) {
            throw new IllegalArgumentException("pip requirement must be a package specifier such as "
                    + "'tutor[full]==20.0.5', got '" + value + "'");
        }
        return value;
    }
}
