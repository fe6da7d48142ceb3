package io.arborist.core.execute;

import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.plan.EstimateRange;
import io.arborist.core.plan.Measurement;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradeStep;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a journal says has happened: completed steps, attempted steps, backups, the locations backups were started
 * in, time spent. Immutable.
 */
final class JournalState {
    private final Map<String, Duration> completed;
    private final Set<String> attempted;
    private final Map<String, String> failures;
    private final List<BackupArtifact> backups;
    private final Set<Destination> backupsStarted;
    private final Duration elapsed;

    private JournalState(Map<String, Duration> completed, Set<String> attempted, Map<String, String> failures,
                         List<BackupArtifact> backups, Set<Destination> backupsStarted, Duration elapsed) {
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
        Set<Destination> backupsStarted = new HashSet<>();
        Duration elapsed = Duration.ZERO;
        for (JournalEntry e : entries) {
            if (e instanceof JournalEntry.StepStarted s) {
                attempted.add(s.stepId());
            } else if (e instanceof JournalEntry.BackupStarted b) {
                backupsStarted.add(b.location());
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

    /** @return one measurement per completed step of the plan, in plan order: its last completed run */
    static List<Measurement> measurements(List<JournalEntry> entries, UpgradePlan plan) {
        Map<String, JournalEntry.StepEnded> ended = new HashMap<>();
        for (JournalEntry e : entries) {
            if (e instanceof JournalEntry.StepEnded end && end.completed()) {
                ended.put(end.stepId(), end);
            }
        }
        List<Measurement> out = new ArrayList<>();
        for (UpgradeStep s : plan.steps()) {
            JournalEntry.StepEnded end = ended.get(s.id());
            if (end != null) {
                out.add(new Measurement(s.id(), s.kind(), s.release(), end.took(), end.backups().stream()
                        .map(b -> new Measurement.Backup(b.target(), b.bytes(), b.rows(), b.took())).toList()));
            }
        }
        return out;
    }

    /**
     * What is left of a plan after what the journal records: the estimates of the steps not completed, less the time
     * the step running now has already spent (never below zero).
     */
    static TimeLeft timeLeft(List<JournalEntry> entries, UpgradePlan plan, Instant now) {
        JournalState state = of(entries);
        Map<String, Instant> started = new LinkedHashMap<>();
        for (JournalEntry e : entries) {
            if (e instanceof JournalEntry.StepStarted s) {
                started.put(s.stepId(), s.at());
            } else if (e instanceof JournalEntry.StepEnded end) {
                started.remove(end.stepId());
            }
        }
        EstimateRange left = EstimateRange.ZERO;
        int steps = 0;
        Optional<String> running = Optional.empty();
        Duration runningFor = Duration.ZERO;
        for (UpgradeStep s : plan.steps()) {
            if (state.completed(s.id())) {
                continue;
            }
            steps++;
            EstimateRange range = EstimateRange.of(s.estimate(), plan.estimateSource(s.id()));
            Instant since = started.get(s.id());
            if (since != null && running.isEmpty()) {
                running = Optional.of(s.id());
                runningFor = now.isAfter(since) ? Duration.between(since, now) : Duration.ZERO;
                range = range.minus(runningFor);
            }
            left = left.plus(range);
        }
        return new TimeLeft(left, steps, running, runningFor);
    }

    /** @return whether this run started a backup in that directory or S3 prefix */
    boolean startedBackupIn(Destination location) {
        return backupsStarted.contains(location);
    }

    /** @return the directories and S3 prefixes this run started backups in */
    Set<Destination> backupsStarted() {
        return Set.copyOf(backupsStarted);
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
