package io.arborist.core.plan;

import io.arborist.core.release.ReleaseName;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Take backups that cover the data-migrating steps listed in {@link #covers()}. Backups are kept until the whole
 * plan has completed: an intermediate hop can turn out wrong only hops later.
 *
 * @param id identifier
 * @param release the release the covered steps belong to
 * @param title short title
 * @param targets what to save
 * @param covers ids of the steps this backup protects
 * @param rationale why
 * @param estimate expected duration
 * @since 0.1
 */
public record BackupStep(String id, ReleaseName release, String title, List<BackupTarget> targets, List<String> covers,
                         String rationale, Duration estimate) implements UpgradeStep {
    /**
     * Validates and copies.
     *
     * @param id identifier
     * @param release the release the covered steps belong to
     * @param title short title
     * @param targets what to save
     * @param covers ids of the steps this backup protects
     * @param rationale why
     * @param estimate expected duration
     */
    public BackupStep {
        Steps.check(id, release, title, rationale, estimate);
        targets = List.copyOf(targets);
        covers = List.copyOf(covers);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("backup step " + id + " has no target");
        }
    }

    @Override
    public StepKind kind() {
        return StepKind.BACKUP;
    }

    @Override
    public List<List<String>> commands() {
        return List.of();
    }

    @Override
    public Optional<String> rollback() {
        return Optional.empty();
    }

    @Override
    public boolean migratesData() {
        return false;
    }

    @Override
    public Optional<String> coveredBy() {
        return Optional.empty();
    }

    /** @return always true: backups are kept until the whole plan has completed */
    public boolean keepUntilPlanCompletes() {
        return true;
    }
}
