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
    /** Validates and copies. */
    public CommandStep {
        Steps.check(id, release, title, rationale, estimate);
        commands = Steps.copyCommands(commands);
        Steps.checkKind(id, kind);
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("command step " + id + " has no command");
        }
        Steps.checkOptionals(rollback, coveredBy);
    }
}
