package io.arborist.core.execute;

import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradeStep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a journal says has happened: completed steps, attempted steps, backups, the directories backups were started
 * in, time spent. Immutable.
 */
final class JournalState {
    private final Map<String, Duration> completed;
    private final Set<String> attempted;
    private final Map<String, String> failures;
    private final List<BackupArtifact> backups;
    private final Set<Path> backupsStarted;
    private final Duration elapsed;

    private JournalState(Map<String, Duration> completed, Set<String> attempted, Map<String, String> failures,
                         List<BackupArtifact> backups, Set<Path> backupsStarted, Duration elapsed) {
        this.completed = completed;
        this.attempted = attempted;
        this.failures = failures;
        this.backups = backups;
        this.backupsStarted = backupsStarted;
        this.elapsed = elapsed;
    }

    static JournalState of(List<JournalEntry> entries) {
        Map<String, Duration> completed = new HashMap<>();
        Set<String> attempted = new HashSet<>();
        Map<String, String> failures = new HashMap<>();
        List<BackupArtifact> backups = new ArrayList<>();
        Set<Path> backupsStarted = new HashSet<>();
        Duration elapsed = Duration.ZERO;
        for (JournalEntry e : entries) {
            if (e instanceof JournalEntry.StepStarted s) {
                attempted.add(s.stepId());
            } else if (e instanceof JournalEntry.BackupStarted b) {
                backupsStarted.add(b.location().toAbsolutePath().normalize());
            } else if (e instanceof JournalEntry.StepEnded end) {
                elapsed = elapsed.plus(end.took());
                if (end.completed()) {
                    completed.put(end.stepId(), end.took());
                    failures.remove(end.stepId());
                    backups.addAll(end.backups());
                } else {
                    failures.put(end.stepId(), end.message().orElse("failed"));
                }
            }
        }
        return new JournalState(completed, attempted, failures, backups, backupsStarted, elapsed);
    }

    /** @return whether this run started a backup in that directory */
    boolean startedBackupIn(Path location) {
        return backupsStarted.contains(location.toAbsolutePath().normalize());
    }

    boolean completed(String stepId) {
        return completed.containsKey(stepId);
    }

    Optional<Duration> took(String stepId) {
        return Optional.ofNullable(completed.get(stepId));
    }

    boolean attempted(String stepId) {
        return attempted.contains(stepId);
    }

    List<BackupArtifact> backups() {
        return List.copyOf(backups);
    }

    Duration elapsed() {
        return elapsed;
    }

    JournalState withCompleted(String stepId, Duration took, List<BackupArtifact> made) {
        Map<String, Duration> c = new HashMap<>(completed);
        c.put(stepId, took);
        Set<String> a = new HashSet<>(attempted);
        a.add(stepId);
        Map<String, String> f = new HashMap<>(failures);
        f.remove(stepId);
        List<BackupArtifact> b = new ArrayList<>(backups);
        b.addAll(made);
        return new JournalState(c, a, f, b, backupsStarted, elapsed.plus(took));
    }

    ExecutionReport report(UpgradePlan plan) {
        List<StepOutcome> outcomes = new ArrayList<>();
        Optional<String> stoppedAt = Optional.empty();
        for (UpgradeStep s : plan.steps()) {
            if (completed(s.id())) {
                outcomes.add(new StepOutcome.Completed(s.id(), completed.get(s.id()),
                        backups.stream().filter(b -> b.id().startsWith(s.id())).toList()));
            } else if (attempted(s.id())) {
                String why = failures.getOrDefault(s.id(), "started but never ended: the process was killed or is still running");
                outcomes.add(new StepOutcome.Failed(s.id(), Duration.ZERO, why));
                stoppedAt = Optional.of(s.id());
                break;
            } else {
                break;
            }
        }
        boolean done = plan.steps().stream().allMatch(s -> completed(s.id()));
        if (!done && stoppedAt.isEmpty()) {
            stoppedAt = plan.steps().stream().map(UpgradeStep::id).filter(id -> !completed(id)).findFirst();
        }
        return new ExecutionReport(outcomes, done, stoppedAt, backups);
    }
}
