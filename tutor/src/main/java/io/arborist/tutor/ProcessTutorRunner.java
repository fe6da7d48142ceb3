package io.arborist.tutor;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.spi.OutputListener;
import io.arborist.core.spi.Secrets;
import io.arborist.core.spi.TutorCommand;
import io.arborist.core.spi.TutorCommandException;
import io.arborist.core.spi.TutorResult;
import io.arborist.core.spi.TutorRunner;
import io.arborist.tutor.internal.LinePump;
import io.arborist.tutor.internal.LookupSink;
import io.arborist.tutor.internal.OutputCapture;
import io.arborist.tutor.internal.OutputRouter;
import io.arborist.tutor.internal.Placeholders;
import io.arborist.tutor.internal.ProcessCall;
import io.arborist.tutor.internal.Redactor;
import io.arborist.tutor.internal.TutorConfigSecrets;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands as local processes, without a shell.
 *
 * <pre>{@code
 * TutorRunner runner = ProcessTutorRunner.builder()
 *         .tutorRoot(Path.of("/srv/tutor"))
 *         .timeout(Duration.ofHours(2))
 *         .build();
 * runner.runChecked(TutorCommands.launch(DeploymentMode.LOCAL, true));
 * }</pre>
 *
 * <p>A command's first argument picks the program: {@code tutor} runs the {@linkplain Builder#executable(String)
 * Tutor executable}, {@code pip} the {@linkplain Builder#pipExecutable(String) pip executable}, anything else (such
 * as {@code mkdir} in a plan step) runs as named. Before starting, {@code ${TUTOR_ROOT}} is replaced by the
 * configured root or what {@code tutor config printroot} prints, and {@code ${TUTOR_CONFIG:KEY}} by what {@code tutor
 * config printvalue KEY} prints; such values are treated as secret and the lookups' output is never logged.
 *
 * <p>Secrets are hidden by two nets. The first replaces known values with {@link Secrets#MASK} wherever they occur: the
 * command's {@linkplain TutorCommand#secrets() secrets}, the values of its placeholders, those marked with
 * {@link Builder#secrets(Secrets)}, and, when asked with {@link Builder#secretsFrom(Path)} or
 * {@link Builder#secretsFromTutorRoot()}, every value under a key containing {@code PASSWORD}, {@code SECRET},
 * {@code TOKEN} or {@code KEY} (any case, at any depth) in the Tutor root's {@code config.yml}, read before each
 * command when it has changed. Values shorter than 6 characters are not learned from the configuration: {@code true},
 * {@code 1} or a port number would mask ordinary words and numbers everywhere (Tutor generates secrets of 8 characters
 * and more). The second net masks, whatever the value, settings printed as {@code KEY=value}, {@code KEY: value} or
 * {@code "key": "value"} whose key contains one of those words. Both apply to every output line, the arguments shown
 * in results and messages, exception messages and log lines.
 *
 * <p>Standard input is closed (or, with {@link #run(TutorCommand, InputStream)}, fed from the caller's bytes).
 * Standard output and error are drained concurrently, decoded as UTF-8 and passed line by line (redacted, lines cut
 * at the output limit) to the {@linkplain Builder#listener(OutputListener) listener} and to the SLF4J logger
 * {@code io.arborist.tutor.output} at DEBUG; {@link #run(TutorCommand, OutputStream)} copies standard output as bytes
 * to the caller instead. Results keep only a bounded head and tail of the output. On timeout the process and all its
 * descendants are stopped (then killed after the {@linkplain Builder#killGrace(Duration) grace period}) and the result
 * says {@code timedOut}. On interruption the same happens, the interrupt flag is restored and an
 * {@link ArboristException} of kind {@link ErrorKind#INTERRUPTED} is thrown.
 *
 * <p>Immutable and thread-safe; commands may run concurrently. The library never reads environment variables on its
 * own: the process inherits the JVM's environment with the {@linkplain Builder#environment(Map) overlay} on top.
 *
 * @since 0.1
 */
public final class ProcessTutorRunner implements TutorRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessTutorRunner.class);

    private final String executable;
    private final String pipExecutable;
    private final Optional<Path> tutorRoot;
    private final Map<String, String> environment;
    private final Optional<Path> workingDirectory;
    private final Duration timeout;
    private final Duration killGrace;
    private final int outputLimit;
    private final OutputListener listener;
    private final Secrets marked;
    private final Optional<Optional<Path>> learn;
    private final Optional<TutorConfigSecrets> configSecrets;

    private ProcessTutorRunner(Builder b) {
        this.executable = b.executable;
        this.pipExecutable = b.pipExecutable;
        this.tutorRoot = b.tutorRoot;
        this.environment = Map.copyOf(b.environment);
        this.workingDirectory = b.workingDirectory;
        this.timeout = b.timeout;
        this.killGrace = b.killGrace;
        this.outputLimit = b.outputLimit;
        this.listener = b.listener;
        this.marked = b.marked;
        this.learn = b.learn;
        this.configSecrets = b.learn.map(root -> new TutorConfigSecrets(root.or(() -> b.tutorRoot)));
    }

    /** @return a builder with every setting at its default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this runner's settings */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.executable = executable;
        b.pipExecutable = pipExecutable;
        b.tutorRoot = tutorRoot;
        b.environment.putAll(environment);
        b.workingDirectory = workingDirectory;
        b.timeout = timeout;
        b.killGrace = killGrace;
        b.outputLimit = outputLimit;
        b.listener = listener;
        b.marked = marked;
        b.learn = learn;
        return b;
    }

    @Override
    public TutorResult run(TutorCommand command) {
        return execute(command, ProcessCall.Binary.NONE);
    }

    /**
     * Runs a command whose standard output is binary: the bytes go to {@code stdout} through one 64 KiB buffer, never
     * decoded or logged; standard error goes to the listener and the logger as redacted lines and is the result's
     * output. The timeout and the tree kill apply as for {@link #run(TutorCommand)}. After the command exits, this
     * returns once its standard output has reached its end; if a process it left in the background keeps it open,
     * this fails instead of waiting. No byte is written to {@code stdout} after this returns.
     *
     * @param command what to run
     * @param stdout receives the bytes, one write at a time; not closed
     * @return what happened
     * @throws ArboristException of kind {@code COMMAND_FAILED} when writing to {@code stdout} fails (the command is
     *         stopped with its child processes) or its output stays open after it exited; otherwise as
     *         {@link #run(TutorCommand)}
     */
    @Override
    public TutorResult run(TutorCommand command, OutputStream stdout) {
        Objects.requireNonNull(stdout, "stdout");
        return execute(command, new ProcessCall.Binary(Optional.of(stdout), Optional.empty()));
    }

    /**
     * Runs a command fed with binary data: the bytes of {@code stdin} are written to its standard input through one
     * 64 KiB buffer as it reads them, then its input is closed; output is handled as by {@link #run(TutorCommand)}.
     *
     * @param command what to run
     * @param stdin the bytes to feed; not closed
     * @return what happened
     * @throws ArboristException of kind {@code COMMAND_FAILED} when reading {@code stdin} fails (the command is
     *         stopped with its child processes); otherwise as {@link #run(TutorCommand)}
     */
    @Override
    public TutorResult run(TutorCommand command, InputStream stdin) {
        Objects.requireNonNull(stdin, "stdin");
        return execute(command, new ProcessCall.Binary(Optional.empty(), Optional.of(stdin)));
    }

    private TutorResult execute(TutorCommand command, ProcessCall.Binary binary) {
        Objects.requireNonNull(command, "command");
        Duration limit = command.timeout().orElse(timeout);
        Redactor known = redactor(command, limit);
        Map<String, String> config = new LinkedHashMap<>();
        List<String> argv = resolve(command, limit, config, known);
        Redactor redactor = known.plus(Secrets.of(config.values()));
        List<String> shownArgs = redactor.redact(command.argv());
        String shown = commandLine(shownArgs);
        LOG.debug("running `{}` (timeout {}{})", shown, limit, binary.stdout().isPresent() ? ", standard output as bytes"
                : binary.stdin().isPresent() ? ", standard input fed as bytes" : "");
        OutputCapture capture = new OutputCapture(outputLimit);
        OutputRouter router = new OutputRouter(command.program(), listener, command.secretOutput(), capture);
        ProcessCall.Outcome outcome = start(argv, limit, redactor, redactor, router, shown, binary);
        LOG.debug("`{}` {} after {}", shown, outcome.timedOut() ? "timed out" : "exited " + outcome.exitCode(),
                outcome.took());
        if (outcome.streamFailure().isPresent()) {
            ProcessCall.StreamFailure f = outcome.streamFailure().get();
            String message = "`" + shown + "` was stopped with its child processes: " + f.what();
            if (f.cause().isEmpty()) {
                throw new ArboristException(ErrorKind.COMMAND_FAILED, message);
            }
            throw new ArboristException(ErrorKind.COMMAND_FAILED, message + " failed: "
                    + redactor.redact(String.valueOf(f.cause().get().getMessage())), f.cause().get());
        }
        return new TutorResult(shownArgs, outcome.exitCode(), outcome.took(), capture.head(), capture.tail(),
                capture.omitted(), outcome.timedOut());
    }

    /** The first net's known values for a command (before its placeholders are resolved), and the second net. */
    private Redactor redactor(TutorCommand command, Duration limit) {
        Secrets known = marked.plus(command.secrets());
        if (configSecrets.isPresent()) {
            Redactor sofar = Redactor.of(known);
            String forCommand = commandLine(sofar.redact(command.argv()));
            known = known.plus(configSecrets.get().current(() -> printedRoot(lookup(List.of("tutor", "config", "printroot"),
                    limit, "the Tutor root (to learn the secrets of its config.yml)", forCommand, sofar), forCommand)));
        }
        return Redactor.of(known);
    }

    /** Tutor prints its root resolved to an absolute path (click.Path(resolve_path=True) on --root, Tutor v12 to v21). */
    private static Path printedRoot(String printed, String forCommand) {
        String line = printed.strip();
        try {
            Path root = Path.of(line);
            if (!line.isEmpty() && line.indexOf('\n') < 0 && root.isAbsolute()) {
                return root;
            }
        } catch (java.nio.file.InvalidPathException e) {
            // Reported below, like any other answer that is not an absolute path.
        }
        String shown = line.length() > 80 ? line.substring(0, 77) + "..." : line;
        throw new ArboristException(ErrorKind.CONFIGURATION, "cannot learn the Tutor configuration's secrets before `"
                + forCommand + "`: `tutor config printroot` printed '" + shown.replaceAll("\\p{Cntrl}", "?")
                + "', not an absolute path; give the Tutor root with ProcessTutorRunner.builder().tutorRoot(..)");
    }

    private List<String> resolve(TutorCommand command, Duration limit, Map<String, String> config, Redactor known) {
        List<String> argv = command.argv();
        boolean usesRoot = Placeholders.usesRoot(argv);
        Set<String> keys = Placeholders.configKeys(argv);
        if (!usesRoot && keys.isEmpty()) {
            return argv;
        }
        String forCommand = commandLine(known.redact(argv));
        String root = !usesRoot ? "" : tutorRoot.map(Path::toString).orElseGet(
                () -> lookup(List.of("tutor", "config", "printroot"), limit, "${TUTOR_ROOT}", forCommand, known));
        for (String key : keys) {
            config.put(key, lookup(List.of("tutor", "config", "printvalue", key), limit,
                    "${TUTOR_CONFIG:" + key + "}", forCommand, known));
        }
        return Placeholders.resolve(argv, root, config);
    }

    /** Runs a lookup whose standard output is private (never redacted, shown or logged); standard error is redacted. */
    private String lookup(List<String> argv, Duration limit, String what, String forCommand, Redactor redactor) {
        OutputCapture stderr = new OutputCapture(outputLimit);
        LookupSink sink = new LookupSink(stderr);
        String shown = String.join(" ", argv);
        LOG.debug("resolving {} with `{}`", what, shown);
        ProcessCall.Outcome o = start(argv, limit, Redactor.RAW, redactor, sink, shown, ProcessCall.Binary.NONE);
        TutorResult result = new TutorResult(argv, o.exitCode(), o.took(), stderr.head(), stderr.tail(),
                stderr.omitted(), o.timedOut());
        if (!result.succeeded()) {
            throw new TutorCommandException("cannot resolve " + what + " needed by `" + forCommand
                    + "`; check that the setting exists and that TUTOR_ROOT points at the Tutor project", result);
        }
        if (sink.wasCut()) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "cannot resolve " + what + " needed by `"
                    + forCommand + "`: the value has a line longer than " + outputLimit
                    + " characters; raise ProcessTutorRunner.builder().outputLimit(..) or pass the value differently");
        }
        return sink.value();
    }

    private ProcessCall.Outcome start(List<String> argv, Duration limit, Redactor stdoutRedactor,
                                      Redactor stderrRedactor, LinePump.Sink sink, String shown,
                                      ProcessCall.Binary binary) {
        ProcessBuilder pb = new ProcessBuilder(program(argv));
        pb.environment().putAll(environment);
        tutorRoot.ifPresent(root -> pb.environment().put("TUTOR_ROOT", root.toString()));
        workingDirectory.ifPresent(dir -> pb.directory(dir.toFile()));
        try {
            return ProcessCall.run(pb, limit, killGrace, outputLimit, stdoutRedactor, stderrRedactor, sink, binary);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "cannot start `" + shown + "`: "
                    + stderrRedactor.redact(String.valueOf(e.getMessage()))
                    + "\nWhat to do: install the program, or point ProcessTutorRunner.builder().executable(..)"
                    + " (for tutor) or .pipExecutable(..) (for pip) at it, and check the working directory.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArboristException(ErrorKind.INTERRUPTED, "interrupted while running `" + shown
                    + "`; it was stopped together with its child processes", e);
        }
    }

    /** @return redacted arguments as one line, quoted like {@link TutorResult#commandLine()} */
    private static String commandLine(List<String> shownArgs) {
        return TutorResult.of(shownArgs, 0, Duration.ZERO, "").commandLine();
    }

    private List<String> program(List<String> argv) {
        String first = argv.get(0);
        String mapped = first.equals("tutor") ? executable : first.equals("pip") ? pipExecutable : first;
        List<String> out = new ArrayList<>(argv);
        out.set(0, locate(mapped));
        return out;
    }

    /** Looks a bare program name up on the overlay's PATH, which the JDK itself would ignore. */
    private String locate(String program) {
        String path = environment.get("PATH");
        if (path == null || program.contains("/") || program.contains(File.separator)) {
            return program;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = workingDirectory.map(wd -> wd.resolve(dir)).orElse(Path.of(dir)).resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return program;
    }

    /** @return the settings, with environment variable names but never their values */
    @Override
    public String toString() {
        return "ProcessTutorRunner[executable=" + executable + ", pipExecutable=" + pipExecutable + ", tutorRoot="
                + tutorRoot.map(Path::toString).orElse("(tutor config printroot)") + ", environment="
                + new TreeSet<>(environment.keySet()) + ", workingDirectory="
                + workingDirectory.map(Path::toString).orElse("(inherited)") + ", timeout=" + timeout
                + ", killGrace=" + killGrace + ", outputLimit=" + outputLimit + ", secrets=" + marked
                + configSecrets.map(c -> ", configSecretsFrom=" + c.root().map(Path::toString).orElse("(tutor config printroot)"))
                        .orElse("") + "]";
    }

    /**
     * Settings for a {@link ProcessTutorRunner}. Not thread-safe; {@link #build()} copies everything.
     *
     * @since 0.1
     */
    public static final class Builder {
        private String executable = "tutor";
        private String pipExecutable = "pip";
        private Optional<Path> tutorRoot = Optional.empty();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Optional<Path> workingDirectory = Optional.empty();
        private Duration timeout = Duration.ofHours(1);
        private Duration killGrace = Duration.ofSeconds(10);
        private int outputLimit = 64 * 1024;
        private OutputListener listener = OutputListener.NONE;
        private Secrets marked = Secrets.NONE;
        /** Empty: learn nothing; holding an empty root: learn from tutorRoot, else from tutor config printroot. */
        private Optional<Optional<Path>> learn = Optional.empty();

        private Builder() {
        }

        /**
         * @param executable what runs commands whose program is {@code tutor}: a path, or a name looked up on the
         *        PATH (default: {@code tutor})
         * @return this builder
         */
        public Builder executable(String executable) {
            this.executable = nonBlank(executable, "executable");
            return this;
        }

        /**
         * @param executable what runs commands whose program is {@code tutor} (default: {@code tutor} on the PATH)
         * @return this builder
         */
        public Builder executable(Path executable) {
            return executable(Objects.requireNonNull(executable, "executable").toString());
        }

        /**
         * @param pipExecutable what runs commands whose program is {@code pip}, typically the pip of Tutor's
         *        virtualenv (default: {@code pip} on the PATH)
         * @return this builder
         */
        public Builder pipExecutable(String pipExecutable) {
            this.pipExecutable = nonBlank(pipExecutable, "pipExecutable");
            return this;
        }

        /**
         * @param pipExecutable what runs commands whose program is {@code pip} (default: {@code pip} on the PATH)
         * @return this builder
         */
        public Builder pipExecutable(Path pipExecutable) {
            return pipExecutable(Objects.requireNonNull(pipExecutable, "pipExecutable").toString());
        }

        /**
         * @param tutorRoot the Tutor project root: exported as {@code TUTOR_ROOT} to every process (over any value in
         *        the environment overlay) and used for {@code ${TUTOR_ROOT}} (default: none; the processes use
         *        Tutor's own default and {@code ${TUTOR_ROOT}} is looked up with {@code tutor config printroot})
         * @return this builder
         */
        public Builder tutorRoot(Path tutorRoot) {
            this.tutorRoot = Optional.of(Objects.requireNonNull(tutorRoot, "tutorRoot"));
            return this;
        }

        /**
         * @param overlay variables set on top of the inherited environment, replacing any set before; a
         *        {@code PATH} here is also used to find programs given by name (default: empty). Values are never
         *        logged or shown.
         * @return this builder
         */
        public Builder environment(Map<String, String> overlay) {
            Objects.requireNonNull(overlay, "overlay");
            environment.clear();
            overlay.forEach(this::environment);
            return this;
        }

        /**
         * @param name a variable to set on top of the inherited environment
         * @param value its value, never logged or shown
         * @return this builder
         */
        public Builder environment(String name, String value) {
            Objects.requireNonNull(value, "value of " + name);
            environment.put(nonBlank(name, "name"), value);
            return this;
        }

        /**
         * @param workingDirectory where processes start (default: the JVM's working directory)
         * @return this builder
         */
        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = Optional.of(Objects.requireNonNull(workingDirectory, "workingDirectory"));
            return this;
        }

        /**
         * @param timeout how long a command without its own {@link TutorCommand#timeout()} may run (default: 1 h)
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = positive(timeout, "timeout");
            return this;
        }

        /**
         * @param killGrace after a timeout or interruption, how long the process tree gets between the stop signal
         *        and the forcible kill (default: 10 s)
         * @return this builder
         */
        public Builder killGrace(Duration killGrace) {
            this.killGrace = positive(killGrace, "killGrace");
            return this;
        }

        /**
         * @param chars how many characters of output a result keeps at its head and, separately, at its tail; also
         *        the longest line passed on (default: 65,536)
         * @return this builder
         */
        public Builder outputLimit(int chars) {
            if (chars < 80) {
                throw new IllegalArgumentException("outputLimit must be at least 80 characters, got " + chars);
            }
            this.outputLimit = chars;
            return this;
        }

        /**
         * @param listener receives every output line, redacted (default: {@link OutputListener#NONE})
         * @return this builder
         */
        public Builder listener(OutputListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Learns the secrets of a Tutor root's {@code config.yml}: every value under a key containing
         * {@code PASSWORD}, {@code SECRET}, {@code TOKEN} or {@code KEY} (any case, nested keys too, as plugins add
         * them) that is at least 6 characters long, hidden wherever this runner shows or keeps text. The file is read
         * before each command when it has changed since the last read, so secrets a {@code tutor config save} adds
         * are learned before the next command; a root without {@code config.yml} contributes nothing until it has one.
         * Nothing is read until a command runs (default: nothing is learned).
         *
         * @param tutorRoot the Tutor project root holding {@code config.yml}
         * @return this builder
         */
        public Builder secretsFrom(Path tutorRoot) {
            this.learn = Optional.of(Optional.of(Objects.requireNonNull(tutorRoot, "tutorRoot")));
            return this;
        }

        /**
         * As {@link #secretsFrom(Path)}, for the root this runner uses: the one given to {@link #tutorRoot(Path)}, or,
         * when none is, what {@code tutor config printroot} prints, asked once, before the first command. If that
         * lookup fails, commands fail rather than run without their secrets hidden.
         *
         * @return this builder
         */
        public Builder secretsFromTutorRoot() {
            this.learn = Optional.of(Optional.empty());
            return this;
        }

        /**
         * @param values values to hide in every command's output, arguments, results and messages, on top of each
         *        command's own {@link TutorCommand#secrets()}; adds to any marked before
         * @return this builder
         */
        public Builder secrets(Secrets values) {
            this.marked = marked.plus(Objects.requireNonNull(values, "values"));
            return this;
        }

        /** @return an immutable runner with these settings */
        public ProcessTutorRunner build() {
            return new ProcessTutorRunner(this);
        }

        private static String nonBlank(String value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
