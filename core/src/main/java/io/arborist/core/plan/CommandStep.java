package io.arborist.core.plan;

import io.arborist.core.release.ReleaseName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Commands Arborist's executor can run unattended, in order; the step fails at the first command that fails.
 *
 * @param id identifier
 * @param kind what the step does (never {@link StepKind#BACKUP})
 * @param release the release it belongs to
 * @param title short title
 * @param commands argv lists (at least one)
 * @param rationale why
 * @param estimate expected duration
 * @param rollback how to undo it, if possible
 * @param migratesData whether it changes stored data
 * @param coveredBy the backup step protecting it, for data-migrating steps
 * @since 0.1
 */
public record CommandStep(String id, StepKind kind, ReleaseName release, String title, List<List<String>> commands,
                          String rationale, Duration estimate, Optional<String> rollback, boolean migratesData,
                          Optional<String> coveredBy) implements UpgradeStep {
    /**
     * Validates and copies.
     *
     * @param id identifier
     * @param kind what the step does (never {@link StepKind#BACKUP})
     * @param release the release it belongs to
     * @param title short title
     * @param commands argv lists (at least one)
     * @param rationale why
     * @param estimate expected duration
     * @param rollback how to undo it, if possible
     * @param migratesData whether it changes stored data
     * @param coveredBy the backup step protecting it, for data-migrating steps
     */
    public CommandStep {
        Steps.check(id, release, title, rationale, estimate);
        commands = Steps.copyCommands(commands);
        Steps.checkKind(id, kind);
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("command step " + id + " has no command");
        }
        Steps.checkOptionals(rollback, coveredBy);
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

    /** Builds a {@link CommandStep}; see {@link StepBuilder}. */
    public static final class Builder extends StepBuilder<Builder> {
        Builder(String id, StepKind kind, ReleaseName release) {
            super(id, kind, release);
        }

        @Override
        Builder self() {
            return this;
        }

        /** @return the step @throws IllegalArgumentException when a field is missing or invalid */
        public CommandStep build() {
            return new CommandStep(id, kind, release, title, commands, rationale, estimate, rollback, migratesData, coveredBy);
        }
    }
}
