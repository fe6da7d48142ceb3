package io.arborist.core.spi;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.util.Objects;

/**
 * A command exited with a failure status ({@link ErrorKind#COMMAND_FAILED}) or ran past its timeout and was killed
 * ({@link ErrorKind#TIMEOUT}). {@link #result()} carries the redacted result; the message names the command, the
 * status, the duration and up to about 5,000 characters of output (head and tail), and never a secret.
 *
 * <pre>{@code
 * try {
 *     runner.runChecked(TutorCommands.launch(DeploymentMode.LOCAL, true));
 * } catch (TutorCommandException e) {
 *     log(e.result().output());
 * }
 * }</pre>
 *
 * @since 0.1
 */
public class TutorCommandException extends ArboristException {
    private static final long serialVersionUID = 1L;
    private static final int MESSAGE_OUTPUT_HALF = 2_500;

    /** The failed command's result, with its output redacted. */
    private final TutorResult result;

    /**
     * @param result a result that did not succeed
     * @throws IllegalArgumentException if the result succeeded
     */
    public TutorCommandException(TutorResult result) {
        this("", result);
    }

    /**
     * @param context what the command was for, prefixed to the headline (e.g. "cannot resolve ${TUTOR_ROOT}"); may
     *        be empty
     * @param result a result that did not succeed
     * @throws IllegalArgumentException if the result succeeded
     */
    public TutorCommandException(String context, TutorResult result) {
        super(kindOf(result), message(Objects.requireNonNull(context, "context"), result));
        this.result = result;
    }

    /** @return the failed command's result, redacted */
    public TutorResult result() {
        return result;
    }

    private static ErrorKind kindOf(TutorResult result) {
        Objects.requireNonNull(result, "result");
        if (result.succeeded()) {
            throw new IllegalArgumentException("result of `" + result.commandLine() + "` succeeded; nothing failed");
        }
        return result.timedOut() ? ErrorKind.TIMEOUT : ErrorKind.COMMAND_FAILED;
    }

    private static String message(String context, TutorResult result) {
        StringBuilder m = new StringBuilder(context.isEmpty() ? "" : context + ": ");
        m.append('`').append(result.commandLine()).append('`');
        if (result.timedOut()) {
            m.append(" timed out after ").append(Argv.human(result.took()))
                    .append(" and was killed with its child processes.\n")
                    .append("What to do: if it was still making progress, give it a longer timeout"
                            + " (TutorCommand.withTimeout); otherwise find what it waited for in the output below.");
        } else {
            m.append(" failed with exit code ").append(result.exitCode()).append(" after ")
                    .append(Argv.human(result.took())).append(".\n")
                    .append("What to do: fix the cause shown in the output below, then run the command again.");
        }
        String output = result.output();
        if (output.isBlank()) {
            return m.append("\nThe command printed nothing.").toString();
        }
        m.append("\nOutput");
        if (output.length() > 2 * MESSAGE_OUTPUT_HALF) {
            m.append(" (first and last ").append(MESSAGE_OUTPUT_HALF).append(" characters)");
            output = output.substring(0, MESSAGE_OUTPUT_HALF) + "\n[...]\n"
                    + output.substring(output.length() - MESSAGE_OUTPUT_HALF);
        }
        return m.append(":\n").append(output).toString();
    }
}
