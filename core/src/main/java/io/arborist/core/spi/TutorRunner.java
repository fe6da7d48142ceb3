package io.arborist.core.spi;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Runs {@link TutorCommand}s: the extension point for where and how commands run (a local process, SSH, a
 * Kubernetes job, a CI system). The {@code arborist-tutor} module provides {@code ProcessTutorRunner} and
 * {@code DryRunTutorRunner}.
 *
 * <pre>{@code
 * TutorRunner runner = ProcessTutorRunner.builder().tutorRoot(Path.of("/srv/tutor")).build();
 * TutorResult result = runner.run(TutorCommand.of("tutor", "config", "printroot"));
 * if (!result.succeeded()) System.err.println(result.output());
 * }</pre>
 *
 * <p>Implementations must be safe for use by several threads, must resolve the argv placeholders
 * {@code ${TUTOR_ROOT}} and {@code ${TUTOR_CONFIG:KEY}} (see {@link TutorCommand}), must never let a value from
 * {@link TutorCommand#secrets()} reach a log, a result or an exception, and on interruption must stop the command,
 * restore the thread's interrupt flag and throw an {@link io.arborist.core.ArboristException} of kind
 * {@link io.arborist.core.ErrorKind#INTERRUPTED}.
 *
 * <p>Commands whose standard output or input is binary data (an archive from {@code mongodump --archive}, into
 * {@code mongorestore --archive}) use {@link #run(TutorCommand, OutputStream)} and
 * {@link #run(TutorCommand, InputStream)}: bytes stream through with bounded memory and are never decoded as text.
 * Runners that cannot stream bytes keep the default methods, which refuse.
 *
 * @since 0.1
 */
public interface TutorRunner {
    /**
     * Runs a command to completion or until its timeout. A non-zero exit or a timeout is reported in the result,
     * not thrown.
     *
     * @param command what to run
     * @return what happened, redacted
     * @throws io.arborist.core.ArboristException if the command cannot be started ({@code CONFIGURATION}), a
     *         placeholder cannot be resolved ({@link TutorCommandException}), or the thread is interrupted
     *         ({@code INTERRUPTED})
     */
    TutorResult run(TutorCommand command);

    /**
     * Runs a command and insists that it succeeds.
     *
     * @param command what to run
     * @return the result of a command that exited with status 0 within its timeout
     * @throws TutorCommandException carrying the result if the command exited non-zero or timed out
     */
    default TutorResult runChecked(TutorCommand command) {
        return run(command).orThrow();
    }

    /**
     * Runs a command whose standard output is binary data, such as {@code mongodump --archive}: the bytes are written
     * to {@code stdout} as they arrive, never decoded, kept or logged, with memory bounded whatever their size.
     * Standard error is passed on as redacted text lines, as by {@link #run(TutorCommand)}; the result's output holds
     * standard error only. Timeouts apply as for {@link #run(TutorCommand)}. The stream is not closed.
     *
     * @param command what to run
     * @param stdout receives the command's standard output; called from another thread, one call at a time
     * @return what happened, redacted
     * @throws ArboristException as {@link #run(TutorCommand)}; of kind {@code COMMAND_FAILED} when writing to
     *         {@code stdout} fails (the command is then stopped with its child processes); of kind
     *         {@code CONFIGURATION} from a runner that cannot stream bytes (the default)
     */
    default TutorResult run(TutorCommand command, OutputStream stdout) {
        throw new ArboristException(ErrorKind.CONFIGURATION, getClass().getSimpleName() + " cannot stream the binary"
                + " output of `" + command.commandLine() + "`; use a runner that can, such as ProcessTutorRunner");
    }

    /**
     * Runs a command that reads binary data on its standard input, such as {@code mongorestore --archive}: the bytes
     * of {@code stdin} are fed to it as it reads them, then its input is closed. Output is handled as by
     * {@link #run(TutorCommand)}. If the command exits before reading everything, the rest is left unread (callers
     * that must know count what was read). The stream is not closed.
     *
     * @param command what to run
     * @param stdin the bytes to feed; read from another thread
     * @return what happened, redacted
     * @throws ArboristException as {@link #run(TutorCommand)}; of kind {@code COMMAND_FAILED} when reading
     *         {@code stdin} fails (the command is then stopped with its child processes); of kind
     *         {@code CONFIGURATION} from a runner that cannot stream bytes (the default)
     */
    default TutorResult run(TutorCommand command, InputStream stdin) {
        throw new ArboristException(ErrorKind.CONFIGURATION, getClass().getSimpleName() + " cannot feed binary input"
                + " to `" + command.commandLine() + "`; use a runner that can, such as ProcessTutorRunner");
    }
}
