package io.arborist.core.spi;

/**
 * Receives a running command's output, one line at a time, as it is produced. Lines come without their line
 * terminator, decoded as UTF-8, with secret values already replaced by {@link Secrets#MASK}; very long lines are cut.
 *
 * <p>Runners call a listener from their own threads. Calls for one command are not concurrent, but calls for commands
 * run in parallel may be, so implementations shared between runs must be thread-safe. A listener should return
 * quickly: the process may block while it runs. Exceptions it throws are logged and otherwise ignored, so they never
 * stop a command.
 *
 * <pre>{@code
 * OutputListener printing = (source, line) -> System.out.println(source + ": " + line);
 * TutorRunner runner = ProcessTutorRunner.builder().listener(printing).build();
 * }</pre>
 *
 * @since 0.1
 */
@FunctionalInterface
public interface OutputListener {
    /** Ignores every line. */
    OutputListener NONE = (source, line) -> {
    };

    /**
     * Receives one line of output.
     *
     * @param source the stream the line was written to
     * @param line the line, without its terminator, redacted
     */
    void line(Source source, String line);

    /** The stream a line was written to. */
    enum Source {
        /** The process's standard output. */
        STDOUT,
        /** The process's standard error. */
        STDERR
    }
}
