package io.arborist.core.plan;

import io.arborist.core.release.ReleaseName;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Shared validation of step records. */
final class Steps {
    private Steps() {
    }

    static void check(String id, ReleaseName release, String title, String rationale, Duration estimate) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(rationale, "rationale");
        Objects.requireNonNull(estimate, "estimate");
        if (!id.matches("[a-z0-9][a-z0-9.-]*")) {
            throw new IllegalArgumentException("step id must be lower-case letters, digits, '.' and '-', got '" + id + "'");
        }
        if (rationale.isBlank()) {
            throw new IllegalArgumentException("step " + id + " needs a rationale");
        }
        if (estimate.isNegative()) {
            throw new IllegalArgumentException("step " + id + " has a negative estimate " + estimate);
        }
    }

    static void checkKind(String id, StepKind kind) {
        Objects.requireNonNull(kind, "kind");
        if (kind == StepKind.BACKUP) {
            throw new IllegalArgumentException("step " + id + ": backups are BackupStep records");
        }
    }

    static void checkOptionals(Optional<String> rollback, Optional<String> coveredBy) {
        Objects.requireNonNull(rollback, "rollback");
        Objects.requireNonNull(coveredBy, "coveredBy");
    }

    static List<List<String>> copyCommands(List<List<String>> commands) {
        return commands.stream().map(argv -> {
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("a command must have at least one argument");
            }
            return List.copyOf(argv);
        }).toList();
    }

    /** @return the same step with another estimate */
    static UpgradeStep withEstimate(UpgradeStep step, Duration estimate) {
        if (step instanceof BackupStep b) {
            return new BackupStep(b.id(), b.release(), b.title(), b.targets(), b.covers(), b.rationale(), estimate);
        }
        if (step instanceof CommandStep c) {
            return new CommandStep(c.id(), c.kind(), c.release(), c.title(), c.commands(), c.rationale(), estimate, c.rollback(),
                    c.migratesData(), c.coveredBy());
        }
        ManualStep m = (ManualStep) step;
        return new ManualStep(m.id(), m.kind(), m.release(), m.title(), m.instructions(), m.commands(), m.rationale(), estimate,
                m.rollback(), m.migratesData(), m.coveredBy());
    }
}
