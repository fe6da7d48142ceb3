package io.arborist.tutor;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.spi.OutputListener;
import io.arborist.core.spi.Secrets;
import io.arborist.core.spi.TutorCommand;
import io.arborist.core.spi.TutorResult;
import io.arborist.core.spi.TutorRunner;
import io.arborist.tutor.internal.Placeholders;
import io.arborist.tutor.internal.ShellQuoting;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs nothing: records each command and returns a canned result, then renders what it recorded as a POSIX shell
 * script. A product feature for plan previews ("what would run") as well as a test double.
 *
 * <pre>{@code
 * DryRunTutorRunner dry = DryRunTutorRunner.create();
 * dry.run(TutorCommands.configSave());
 * dry.run(TutorCommands.launch(DeploymentMode.LOCAL, true));
 * System.out.print(dry.script());
 * }</pre>
 *
 * <p>By default every command succeeds with no output. {@link Builder#respond(List, int, String)} gives commands
 * whose argv starts with a prefix another exit code and output (the longest matching prefix wins), and
 * {@link Builder#timeOut(List)} makes them report a timeout, and {@link Builder#respondBytes(List, int, byte[])} gives
 * the bytes {@link #run(TutorCommand, OutputStream)} writes. Recorded commands keep their secrets for equality
 * checks, but results, listener lines and the script show them as {@link Secrets#MASK}.
 *
 * <p>Thread-safe: commands are recorded in the order {@link #run(TutorCommand)} is called. The recording is the only
 * mutable state.
 *
 * @since 0.1
 */
public final class DryRunTutorRunner implements TutorRunner {
    private final List<Response> responses;
    private final OutputListener listener;
    private final List<TutorCommand> recorded = new ArrayList<>();

    private DryRunTutorRunner(Builder b) {
        this.responses = List.copyOf(b.responses);
        this.listener = b.listener;
    }

    /** @return a runner where every command succeeds with no output */
    public static DryRunTutorRunner create() {
        return builder().build();
    }

    /** @return a builder for canned responses */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Records the command and returns its canned result; the output, if any, also goes to the listener.
     *
     * @param command the command
     * @return exit code 0 and no output, unless a response matches; {@code took} is always zero
     */
    @Override
    public TutorResult run(TutorCommand command) {
        Objects.requireNonNull(command, "command");
        synchronized (recorded) {
            recorded.add(command);
        }
        Optional<Response> response = match(command);
        String output = command.secrets().redact(response.map(Response::output).orElse(""));
        if (command.secretOutput()) {
            output = output.isEmpty() ? "" : Secrets.MASK + "\n";
        }
        output.lines().forEach(line -> listener.line(OutputListener.Source.STDOUT, line));
        return new TutorResult(command.redactedArgv(), response.map(Response::exitCode).orElse(0), Duration.ZERO,
                output, "", 0, response.map(Response::timedOut).orElse(false));
    }

    /**
     * Records the command and returns its canned result; bytes given with
     * {@link Builder#respondBytes(List, int, byte[])} are written to {@code stdout}, nothing otherwise.
     *
     * @param command the command
     * @param stdout receives the canned bytes, if any; not closed
     * @return the canned result; its output is empty
     * @throws io.arborist.core.ArboristException of kind {@code COMMAND_FAILED} when writing to {@code stdout} fails
     */
    @Override
    public TutorResult run(TutorCommand command, OutputStream stdout) {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(command, "command");
        synchronized (recorded) {
            recorded.add(command);
        }
        Optional<Response> response = match(command);
        try {
            stdout.write(response.map(Response::bytes).orElse(new byte[0]));
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.COMMAND_FAILED, "`" + command.commandLine()
                    + "` (dry run): writing its standard output failed: " + e.getMessage(), e);
        }
        return new TutorResult(command.redactedArgv(), response.map(Response::exitCode).orElse(0), Duration.ZERO, "", "", 0,
                response.map(Response::timedOut).orElse(false));
    }

    /**
     * Records the command and returns its canned result, as {@link #run(TutorCommand)} does. Nothing runs, so nothing
     * is read from {@code stdin}.
     *
     * @param command the command
     * @param stdin left unread; not closed
     * @return the canned result
     */
    @Override
    public TutorResult run(TutorCommand command, InputStream stdin) {
        Objects.requireNonNull(stdin, "stdin");
        return run(command);
    }

    private Optional<Response> match(TutorCommand command) {
        return responses.stream()
                .filter(r -> r.matches(command.argv()))
                .reduce((a, b) -> b.prefix().size() > a.prefix().size() ? b : a);
    }

    /** @return the commands run so far, in order */
    public List<TutorCommand> commands() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /**
     * Renders the recorded commands as a POSIX shell script: one command per line, arguments single-quoted where
     * needed, secrets shown as {@link Secrets#MASK}, {@code ${TUTOR_ROOT}} taken from the environment or
     * {@code tutor config printroot}, and {@code ${TUTOR_CONFIG:KEY}} as {@code "$(tutor config printvalue KEY)"}.
     *
     * @return the script, ending with a newline
     */
    public String script() {
        List<TutorCommand> commands = commands();
        StringBuilder s = new StringBuilder("#!/bin/sh\n");
        s.append("# ").append(commands.size()).append(commands.size() == 1 ? " command" : " commands")
                .append(" recorded by Arborist's DryRunTutorRunner.\n");
        if (commands.stream().anyMatch(c -> !c.secrets().isEmpty())) {
            s.append("# Secret values are shown as ").append(Secrets.MASK)
                    .append(": put the real values in before running it.\n");
        }
        s.append("set -eu\n");
        if (commands.stream().anyMatch(c -> Placeholders.usesRoot(c.argv()))) {
            s.append("TUTOR_ROOT=\"${TUTOR_ROOT:-$(tutor config printroot)}\"\n");
        }
        for (TutorCommand c : commands) {
            s.append(ShellQuoting.line(c.redactedArgv())).append('\n');
        }
        return s.toString();
    }

    /** @return how many commands were recorded */
    @Override
    public String toString() {
        return "DryRunTutorRunner[" + commands().size() + " commands recorded, " + responses.size() + " responses]";
    }

    private record Response(List<String> prefix, int exitCode, String output, byte[] bytes, boolean timedOut) {
        boolean matches(List<String> argv) {
            return argv.size() >= prefix.size() && argv.subList(0, prefix.size()).equals(prefix);
        }
    }

    /**
     * Canned responses for a {@link DryRunTutorRunner}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final List<Response> responses = new ArrayList<>();
        private OutputListener listener = OutputListener.NONE;

        private Builder() {
        }

        /**
         * @param argvPrefix the first arguments of the commands this applies to, e.g. {@code List.of("tutor",
         *        "local", "launch")}; at least one
         * @param exitCode the exit code to report
         * @param output the output to report and pass to the listener line by line
         * @return this builder
         */
        public Builder respond(List<String> argvPrefix, int exitCode, String output) {
            responses.add(new Response(prefix(argvPrefix), exitCode, Objects.requireNonNull(output, "output"), new byte[0],
                    false));
            return this;
        }

        /**
         * @param argvPrefix the first arguments of the commands this applies to; at least one
         * @param exitCode the exit code to report
         * @param stdout the bytes {@link DryRunTutorRunner#run(TutorCommand, OutputStream)} writes (copied); a text
         *        {@code run} of a matching command reports no output
         * @return this builder
         */
        public Builder respondBytes(List<String> argvPrefix, int exitCode, byte[] stdout) {
            responses.add(new Response(prefix(argvPrefix), exitCode, "", Objects.requireNonNull(stdout, "stdout").clone(),
                    false));
            return this;
        }

        /**
         * @param argvPrefix the first arguments of the commands that report a timeout (exit code 143, no output)
         * @return this builder
         */
        public Builder timeOut(List<String> argvPrefix) {
            responses.add(new Response(prefix(argvPrefix), 143, "", new byte[0], true));
            return this;
        }

        /**
         * @param listener receives canned output lines as {@code STDOUT} (default: {@link OutputListener#NONE})
         * @return this builder
         */
        public Builder listener(OutputListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** @return a runner with an empty recording */
        public DryRunTutorRunner build() {
            return new DryRunTutorRunner(this);
        }

        private static List<String> prefix(List<String> argvPrefix) {
            List<String> copy = List.copyOf(Objects.requireNonNull(argvPrefix, "argvPrefix"));
            if (copy.isEmpty()) {
                throw new IllegalArgumentException("argvPrefix must name at least the program, e.g. List.of(\"tutor\")");
            }
            return copy;
        }
    }
}
