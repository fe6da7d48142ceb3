package io.arborist.core.plan;

import io.arborist.core.release.ReleaseName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Work a person does or confirms: steps Tutor only prints (on Kubernetes), checklists, reviews. The executor pauses
 * on them and asks; the commands, when present, are what to run.
 *
 * @param id identifier
 * @param kind what the step does
 * @param release the release it belongs to
 * @param title short title
 * @param instructions what to do or check, one item per entry
 * @param commands suggested commands, possibly none
 * @param rationale why
 * @param estimate expected duration
 * @param rollback how to undo it, if possible
 * @param migratesData whether it changes stored data
 * @param coveredBy the backup step protecting it, for data-migrating steps
 * @since 0.1
 */
public record ManualStep(String id, StepKind kind, ReleaseName release, String title, List<String> instructions,
                         List<List<String>> commands, String rationale, Duration estimate, Optional<String> rollback,
                         boolean migratesData, Optional<String> coveredBy) implements UpgradeStep {
    /**
     * Validates and copies.
     *
     * @param id identifier
     * @param kind what the step does
     * @param release the release it belongs to
     * @param title short title
     * @param instructions what to do or check, one item per entry
     * @param commands suggested commands, possibly none
     * @param rationale why
     * @param estimate expected duration
     * @param rollback how to undo it, if possible
     * @param migratesData whether it changes stored data
     * @param coveredBy the backup step protecting it, for data-migrating steps
     */
    public ManualStep {
        Steps.check(id, release, title, rationale, estimate);
        instructions = List.copyOf(instructions);
        commands = Steps.copyCommands(commands);
        Steps.checkKind(id, kind);
        Steps.checkOptionals(rollback, coveredBy);
        if (instructions.isEmpty()) {
            throw new IllegalArgumentException("manual step " + id + " has no instruction");
        }
    }

    /**
     * @param id identifier, unique within the plan
     * @param kind what the step does
     * @param release the release it belongs to
     * @return a builder; {@code build()} validates
     */
    public static Builder builder(String id, StepKind kind, ReleaseName release) {
        return new Builder(id, kind, release);
    }

    /** Builds a {@link ManualStep}; see {@link StepBuilder}. */
    public static final class Builder extends StepBuilder<Builder> {
        private final List<String> instructions = new ArrayList<>();

        Builder(String id, StepKind kind, ReleaseName release) {
            super(id, kind, release);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * @param text one more thing to do or check
         * @return this
         */
        public Builder instruction(String text) {
            instructions.add(Objects.requireNonNull(text, "text"));
            return this;
        }

        /**
         * @param texts more things to do or check, in order
         * @return this
         */
        public Builder instructions(List<String> texts) {
            texts.forEach(this::instruction);
            return this;
        }

        /** @return the step @throws IllegalArgumentException when a field is missing or invalid */
        public ManualStep build() {
            return new ManualStep(id, kind, release, title, instructions, commands, rationale, estimate, rollback, migratesData,
                    coveredBy);
        }
    }
}
