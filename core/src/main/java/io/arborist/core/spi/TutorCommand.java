package io.arborist.core.spi;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One command to run: a complete argv list starting with the program ({@code tutor}, {@code pip}, or any other
 * program a plan step names), never shell text. Runners map the program names {@code tutor} and {@code pip} to the
 * executables they are configured with.
 *
 * <pre>{@code
 * TutorCommand save = TutorCommand.of("tutor", "config", "save", "--set", "LMS_HOST=learn.example.com")
 *         .withTimeout(Duration.ofMinutes(5));
 * }</pre>
 *
 * <p>Arguments may contain two placeholders that runners resolve just before starting the process:
 * {@code ${TUTOR_ROOT}} (the Tutor project root) and {@code ${TUTOR_CONFIG:KEY}} (the value of setting {@code KEY},
 * always treated as secret).
 *
 * <p>{@link #secrets()} holds the values the caller marked secret plus, found automatically, the values of
 * {@code --set KEY=VALUE} style settings whose key contains {@code PASSWORD}, {@code SECRET}, {@code TOKEN} or
 * {@code KEY} (see {@link Secrets#inSettings(List)}). {@link #secretOutput()} says the command prints a secret (it is
 * set automatically for {@code tutor config printvalue} of such a key); runners then hide its standard output.
 * {@link #toString()} never shows a secret.
 *
 * @param argv the program and its arguments; at least one element, the first not blank
 * @param timeout how long the command may run; empty means the runner's default
 * @param secrets values to hide wherever the command or its output is shown
 * @param secretOutput whether standard output is itself secret
 * @since 0.1
 */
public record TutorCommand(List<String> argv, Optional<Duration> timeout, Secrets secrets, boolean secretOutput) {
    /**
     * Validates, copies, and adds the secrets found in the arguments.
     *
     * @param argv the program and its arguments; at least one element, the first not blank
     * @param timeout how long the command may run; empty means the runner's default
     * @param secrets values to hide wherever the command or its output is shown
     * @param secretOutput whether standard output is itself secret
     */
    public TutorCommand {
        Objects.requireNonNull(argv, "argv");
        for (int i = 0; i < argv.size(); i++) {
            Objects.requireNonNull(argv.get(i), "argv[" + i + "]");
        }
        argv = List.copyOf(argv);
        if (argv.isEmpty() || argv.get(0).isBlank()) {
            throw new IllegalArgumentException("a command needs a program as its first argument, got " + argv.size()
                    + " arguments starting with a blank one; pass e.g. List.of(\"tutor\", \"config\", \"printroot\")");
        }
        Objects.requireNonNull(timeout, "timeout");
        timeout.ifPresent(TutorCommand::checkTimeout);
        Objects.requireNonNull(secrets, "secrets");
        secrets = secrets.plus(Secrets.inSettings(argv));
        secretOutput = secretOutput || printsSensitiveValue(argv);
    }

    /**
     * @param argv the program and its arguments, e.g. {@code "tutor", "local", "launch", "-I"}
     * @return a command with the runner's default timeout and no caller-marked secrets
     */
    public static TutorCommand of(String... argv) {
        return of(Arrays.asList(Objects.requireNonNull(argv, "argv")));
    }

    /**
     * @param argv the program and its arguments, such as one of a plan step's {@code commands()}
     * @return a command with the runner's default timeout and no caller-marked secrets
     */
    public static TutorCommand of(List<String> argv) {
        return new TutorCommand(argv, Optional.empty(), Secrets.NONE, false);
    }

    /**
     * @param timeout how long the command may run before it and its child processes are killed; positive
     * @return a copy with that timeout
     */
    public TutorCommand withTimeout(Duration timeout) {
        return new TutorCommand(argv, Optional.of(checkTimeout(timeout)), secrets, secretOutput);
    }

    /**
     * @param values more values to hide, for example a password passed as a plain argument
     * @return a copy that also hides them
     */
    public TutorCommand withSecrets(String... values) {
        return withSecrets(Secrets.of(values));
    }

    /**
     * @param more more values to hide
     * @return a copy that also hides them
     */
    public TutorCommand withSecrets(Secrets more) {
        return new TutorCommand(argv, timeout, secrets.plus(more), secretOutput);
    }

    /** @return a copy whose standard output runners hide entirely */
    public TutorCommand withSecretOutput() {
        return new TutorCommand(argv, timeout, secrets, true);
    }

    /** @return the program name, the first argument */
    public String program() {
        return argv.get(0);
    }

    /** @return the arguments with every secret replaced by {@link Secrets#MASK} */
    public List<String> redactedArgv() {
        return secrets.redact(argv);
    }

    /** @return the redacted arguments as one line, quoted for a POSIX shell where needed */
    public String commandLine() {
        return Argv.display(redactedArgv());
    }

    /** @return the redacted command line and the timeout, never a secret */
    @Override
    public String toString() {
        return "TutorCommand[" + commandLine() + timeout.map(t -> ", timeout " + Argv.human(t)).orElse("") + "]";
    }

    private static Duration checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("a command timeout must be positive, got " + timeout);
        }
        return timeout;
    }

    private static boolean printsSensitiveValue(List<String> argv) {
        for (int i = 0; i + 2 < argv.size(); i++) {
            if (argv.get(i).equals("config") && argv.get(i + 1).equals("printvalue")
                    && Secrets.isSensitiveKey(argv.get(i + 2))) {
                return true;
            }
        }
        return false;
    }
}
