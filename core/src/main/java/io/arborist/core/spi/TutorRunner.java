package io.arborist.core.spi;

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
}
