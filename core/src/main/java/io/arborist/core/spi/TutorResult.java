package io.arborist.core.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a command did, as data: a non-zero exit or a timeout is a result, not an exception, until
 * {@link #orThrow()} is called. Everything in it is already redacted.
 *
 * <p>Output is stdout and stderr interleaved in the order lines arrived. Only a bounded head and tail are kept,
 * however much the command printed: {@link #outputHead()} is the beginning, {@link #outputTail()} the end of what did
 * not fit in the head, and {@link #omittedChars()} counts what is in neither.
 *
 * <pre>{@code
 * TutorResult result = runner.run(TutorCommands.configPrintRoot());
 * Path root = Path.of(result.orThrow().output().strip());
 * }</pre>
 *
 * @param args the command's argv as given (placeholders unresolved), secrets replaced by {@link Secrets#MASK}
 * @param exitCode the exit status; when {@code timedOut}, whatever the killed process reported
 * @param took how long the command ran
 * @param outputHead the first part of the output
 * @param outputTail the last part of the output that did not fit in the head; empty if everything did
 * @param omittedChars how many characters of output were dropped between head and tail (or cut from long lines)
 * @param timedOut whether the command ran past its timeout and was killed with its child processes
 * @since 0.1
 */
public record TutorResult(List<String> args, int exitCode, Duration took, String outputHead, String outputTail,
                          long omittedChars, boolean timedOut) {
    /**
     * Validates and copies.
     *
     * @param args the command's argv as given (placeholders unresolved), secrets replaced by {@link Secrets#MASK}
     * @param exitCode the exit status; when {@code timedOut}, whatever the killed process reported
     * @param took how long the command ran
     * @param outputHead the first part of the output
     * @param outputTail the last part of the output that did not fit in the head; empty if everything did
     * @param omittedChars how many characters of output were dropped between head and tail (or cut from long lines)
     * @param timedOut whether the command ran past its timeout and was killed with its child processes
     */
    public TutorResult {
        args = List.copyOf(Objects.requireNonNull(args, "args"));
        Objects.requireNonNull(took, "took");
        Objects.requireNonNull(outputHead, "outputHead");
        Objects.requireNonNull(outputTail, "outputTail");
        if (took.isNegative()) {
            throw new IllegalArgumentException("took must not be negative, got " + took);
        }
        if (omittedChars < 0) {
            throw new IllegalArgumentException("omittedChars must not be negative, got " + omittedChars);
        }
    }

    /**
     * A completed, not timed-out result whose whole output is known, for runners that do not stream.
     *
     * @param args the redacted argv
     * @param exitCode the exit status
     * @param took how long it ran
     * @param output all output, redacted
     * @return the result
     */
    public static TutorResult of(List<String> args, int exitCode, Duration took, String output) {
        return new TutorResult(args, exitCode, took, output, "", 0, false);
    }

    /** @return whether the command exited with status 0 within its timeout */
    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /**
     * @return this result if the command succeeded
     * @throws TutorCommandException carrying this result otherwise (kind {@code TIMEOUT} or {@code COMMAND_FAILED})
     */
    public TutorResult orThrow() {
        if (succeeded()) {
            return this;
        }
        throw new TutorCommandException(this);
    }

    /** @return head and tail joined, with a marker saying how much was omitted between them, if anything was */
    public String output() {
        if (omittedChars == 0) {
            return outputHead + outputTail;
        }
        return outputHead + "\n[... " + omittedChars + " characters omitted ...]\n" + outputTail;
    }

    /** @return the redacted command as one line, quoted for a POSIX shell where needed */
    public String commandLine() {
        return Argv.display(args);
    }

    /** @return the command, exit status and duration; the output only as its size */
    @Override
    public String toString() {
        return "TutorResult[" + commandLine() + (timedOut ? " timed out" : " exited " + exitCode) + " after "
                + Argv.human(took) + ", " + (outputHead.length() + outputTail.length() + omittedChars)
                + " characters of output]";
    }
}
