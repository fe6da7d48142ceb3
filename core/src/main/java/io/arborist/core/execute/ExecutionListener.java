package io.arborist.core.execute;

/**
 * Progress of a run, for user interfaces (the CLI draws a progress line from it). Callbacks run on the executing
 * thread; they must return quickly and should not throw (an exception stops the run like a failed step).
 *
 * @since 0.1
 */
public interface ExecutionListener {
    /** A listener that ignores everything. */
    ExecutionListener NONE = new ExecutionListener() { };

    /**
     * A step is about to run.
     *
     * @param progress where the run stands
     */
    default void stepStarted(StepProgress progress) {
    }

    /**
     * A step ended (or was skipped because an earlier run completed it).
     *
     * @param progress where the run stands after it
     * @param outcome how it ended
     */
    default void stepFinished(StepProgress progress, StepOutcome outcome) {
    }
}
