package io.arborist.core.execute;

import io.arborist.core.plan.UpgradeStep;
import java.util.List;
import java.util.Objects;

/**
 * Asks a person to do or confirm work the executor cannot do itself: manual steps, and backups of targets no
 * provider was wired for. Called on the executing thread; may block while a person reads.
 *
 * @since 0.1
 */
public interface ManualStepHandler {
    /** Accepts every prompt without asking (the CLI's {@code --yes}). */
    ManualStepHandler ACCEPT_ALL = prompt -> true;

    /** Declines every prompt, so a run stops before the first manual step (unattended runs). */
    ManualStepHandler DECLINE_ALL = prompt -> false;

    /**
     * @param prompt what to do
     * @return true when the work is done and the run may continue; false to stop the run here (it can be resumed)
     */
    boolean confirm(Prompt prompt);

    /**
     * Work to confirm.
     *
     * @param step the plan step it belongs to
     * @param instructions what to do, one item per entry
     * @param commands commands to run by hand, shown with placeholders, possibly none
     */
    record Prompt(UpgradeStep step, List<String> instructions, List<String> commands) {
        /**
         * Validates and copies.
         *
         * @param step the plan step it belongs to
         * @param instructions what to do, one item per entry
         * @param commands commands to run by hand, shown with placeholders, possibly none
         */
        public Prompt {
            Objects.requireNonNull(step, "step");
            instructions = List.copyOf(instructions);
            commands = List.copyOf(commands);
        }
    }
}
