package io.arborist.core.execute;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.BackupProvider;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.internal.Shell;
import io.arborist.core.plan.BackupStep;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.CommandStep;
import io.arborist.core.plan.ManualStep;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradeStep;
import io.arborist.core.spi.TutorRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link UpgradePlan} step by step: commands through a {@link TutorRunner}, backups through the
 * {@link BackupProvider}s wired per target, manual steps through a {@link ManualStepHandler}. Every step start and
 * end is journaled; after a failure or a killed process, {@link #resume()} skips the completed steps, checks that the
 * interrupted step's backup is recorded, and continues. A journal of another plan is refused.
 *
 * <pre>{@code
 * UpgradeExecutor executor = UpgradeExecutor.builder()
 *         .tutor(ProcessTutorRunner.builder().build())
 *         .backup(BackupTarget.MYSQL, mysqlBackup)
 *         .backupDirectory(Path.of("/var/backups/upgrade"))
 *         .journal(UpgradeJournal.file(Path.of("upgrade.journal")))
 *         .manualSteps(ManualStepHandler.ACCEPT_ALL)
 *         .build();
 * ExecutionReport report = executor.execute(plan);      // later: executor.resume()
 * }</pre>
 *
 * <p>Backups taken during a run are never deleted by the executor: they are kept until the whole plan has
 * completed, and then pruning is the caller's decision ({@link ExecutionReport#backups()}). Immutable and
 * thread-safe; one run per journal at a time.
 *
 * @since 0.1
 */
public final class UpgradeExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeExecutor.class);

    private final TutorRunner tutor;
    private final Map<BackupTarget, BackupProvider> backups;
    private final Optional<Path> backupDirectory;
    private final UpgradeJournal journal;
    private final ExecutionListener listener;
    private final ManualStepHandler manual;
    private final Duration commandTimeout;
    private final Clock clock;

    private UpgradeExecutor(Builder b) {
        this.tutor = Objects.requireNonNull(b.tutor, "tutor runner (builder().tutor(...)) is required");
        this.backups = Map.copyOf(b.backups);
        this.backupDirectory = Optional.ofNullable(b.backupDirectory);
        this.journal = b.journal;
        this.listener = b.listener;
        this.manual = b.manual;
        this.commandTimeout = b.commandTimeout;
        this.clock = b.clock;
        if (!backups.isEmpty() && backupDirectory.isEmpty()) {
            throw new IllegalArgumentException("backup providers need a backupDirectory(Path) to write into");
        }
    }

    /** @return a builder; {@code tutor(...)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a run of a plan on an empty journal.
     *
     * @param plan the plan
     * @return what happened
     * @throws ArboristException of kind JOURNAL when the journal already records a run
     */
    public ExecutionReport execute(UpgradePlan plan) {
        Objects.requireNonNull(plan, "plan");
        List<JournalEntry> entries = journal.entries();
        String hash = sha256(plan);
        if (!entries.isEmpty()) {
            String recorded = planStarted(entries).planSha256();
            throw new ArboristException(ErrorKind.JOURNAL, recorded.equals(hash)
                    ? "Journal " + journal.describe() + " already records a run of this plan: resume it instead of starting again."
                    : "Journal " + journal.describe() + " records a different plan: start a new journal for this plan.");
        }
        journal.append(new JournalEntry.PlanStarted(clock.instant(), hash, plan.toJson()));
        return run(plan, JournalState.of(journal.entries()));
    }

    /**
     * Continues the run recorded in the journal, with the plan stored there.
     *
     * @return what happened
     */
    public ExecutionReport resume() {
        return resume(plan(journal));
    }

    /**
     * Continues the run recorded in the journal, checking that the plan is unchanged.
     *
     * @param plan the plan the caller expects
     * @return what happened
     * @throws ArboristException of kind JOURNAL when the plan differs from the journal's
     */
    public ExecutionReport resume(UpgradePlan plan) {
        Objects.requireNonNull(plan, "plan");
        List<JournalEntry> entries = journal.entries();
        if (entries.isEmpty()) {
            throw new ArboristException(ErrorKind.JOURNAL, "Journal " + journal.describe() + " is empty: there is nothing to resume; "
                    + "start the run instead.");
        }
        JournalEntry.PlanStarted started = planStarted(entries);
        if (!started.planSha256().equals(sha256(plan))) {
            throw new ArboristException(ErrorKind.JOURNAL, "The plan changed since journal " + journal.describe()
                    + " was started (plan SHA-256 " + started.planSha256().substring(0, 12) + " recorded, " + sha256(plan).substring(0, 12)
                    + " given). Resume with the original plan, or start a new journal for the new one.");
        }
        return run(plan, JournalState.of(entries));
    }

    /**
     * Reads a journal without running anything.
     *
     * @param journal a journal
     * @return the recorded outcomes
     */
    public static ExecutionReport status(UpgradeJournal journal) {
        UpgradePlan plan = plan(journal);
        return JournalState.of(journal.entries()).report(plan);
    }

    /**
     * @param journal a journal
     * @return the plan recorded in it
     * @throws ArboristException of kind JOURNAL when the journal is empty or damaged
     */
    public static UpgradePlan plan(UpgradeJournal journal) {
        List<JournalEntry> entries = journal.entries();
        if (entries.isEmpty()) {
            throw new ArboristException(ErrorKind.JOURNAL, "Journal " + journal.describe() + " is empty or missing: no run was started with it.");
        }
        return UpgradePlan.fromJson(planStarted(entries).planJson());
    }

    private ExecutionReport run(UpgradePlan plan, JournalState state) {
        List<UpgradeStep> steps = plan.steps();
        List<StepOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            UpgradeStep step = steps.get(i);
            if (state.completed(step.id())) {
                StepOutcome skipped = new StepOutcome.Skipped(step.id(), "completed in an earlier run");
                outcomes.add(skipped);
                listener.stepFinished(progress(plan, state, i), skipped);
                continue;
            }
            if (state.attempted(step.id())) {
                LOG.info("Resuming at {} '{}', which did not complete in an earlier run", step.id(), step.title());
            }
            guard(plan, state, step);
            journal.append(new JournalEntry.StepStarted(clock.instant(), step.id()));
            listener.stepStarted(progress(plan, state, i));
            LOG.info("Step {}/{} {}: {}", i + 1, steps.size(), step.id(), step.title());
            Instant start = clock.instant();
            StepOutcome outcome;
            try {
                List<BackupArtifact> made = perform(step);
                Duration took = Duration.between(start, clock.instant());
                journal.append(new JournalEntry.StepEnded(clock.instant(), step.id(), true, took, made, Optional.empty()));
                outcome = new StepOutcome.Completed(step.id(), took, made);
                state = state.withCompleted(step.id(), took, made);
            } catch (Paused p) {
                Duration took = Duration.between(start, clock.instant());
                journal.append(new JournalEntry.StepEnded(clock.instant(), step.id(), false, took, List.of(), Optional.of(p.getMessage())));
                outcome = new StepOutcome.Failed(step.id(), took, p.getMessage());
            } catch (ArboristException e) {
                Duration took = Duration.between(start, clock.instant());
                String message = firstLine(e.getMessage());
                journal.append(new JournalEntry.StepEnded(clock.instant(), step.id(), false, took, List.of(), Optional.of(message)));
                outcome = new StepOutcome.Failed(step.id(), took, message);
                LOG.error("Step {} failed: {}", step.id(), message);
                if (e.kind() == ErrorKind.INTERRUPTED) {
                    outcomes.add(outcome);
                    listener.stepFinished(progress(plan, state, i), outcome);
                    throw e;
                }
            }
            outcomes.add(outcome);
            listener.stepFinished(progress(plan, state, i + 1 < steps.size() ? i + 1 : i), outcome);
            if (outcome instanceof StepOutcome.Failed) {
                return new ExecutionReport(outcomes, false, Optional.of(step.id()), state.backups());
            }
        }
        return new ExecutionReport(outcomes, true, Optional.empty(), state.backups());
    }

    private void guard(UpgradePlan plan, JournalState state, UpgradeStep step) {
        if (!step.migratesData() || step.coveredBy().isEmpty()) {
            return;
        }
        String backup = step.coveredBy().get();
        if (!state.completed(backup)) {
            throw new ArboristException(ErrorKind.JOURNAL, "Refusing to run " + step.id() + " (it migrates data): its backup step "
                    + backup + " is not recorded as completed in journal " + journal.describe() + ".");
        }
    }

    private List<BackupArtifact> perform(UpgradeStep step) {
        if (step instanceof BackupStep b) {
            return backup(b);
        }
        if (step instanceof ManualStep m) {
            ask(new ManualStepHandler.Prompt(m, m.instructions(), m.commands().stream().map(Shell::preview).toList()));
            return List.of();
        }
        CommandStep c = (CommandStep) step;
        for (List<String> argv : c.commands()) {
            runCommand(argv);
        }
        return List.of();
    }

    private void runCommand(List<String> argv) {
        tutor.runChecked(io.arborist.core.spi.TutorCommand.of(argv).withTimeout(commandTimeout));
    }

    private List<BackupArtifact> backup(BackupStep step) {
        List<BackupArtifact> made = new ArrayList<>();
        for (BackupTarget target : step.targets()) {
            BackupProvider provider = backups.get(target);
            if (provider == null) {
                ask(new ManualStepHandler.Prompt(step, List.of("Back up " + target.name().toLowerCase(Locale.ROOT)
                        + " yourself (no backup provider is wired for it) and keep it until the whole upgrade is done."), List.of()));
                continue;
            }
            Path dir = backupDirectory.orElseThrow().resolve(step.id()).resolve(target.name().toLowerCase(Locale.ROOT));
            prepareEmpty(dir);
            LOG.info("Backing up {} into {}", target, dir);
            made.add(provider.backup(new BackupRequest(step.id(), target, dir)));
        }
        return made;
    }

    private void prepareEmpty(Path dir) {
        try {
            if (Files.exists(dir)) {
                LOG.warn("Removing the incomplete backup left in {} by an interrupted run", dir);
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.BACKUP, "Cannot prepare backup directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private void ask(ManualStepHandler.Prompt prompt) {
        if (!manual.confirm(prompt)) {
            throw new Paused("Paused at '" + prompt.step().title() + "': confirmation declined; resume when it is done.");
        }
    }

    private StepProgress progress(UpgradePlan plan, JournalState state, int index) {
        Duration estimatedLeft = Duration.ZERO;
        Duration commandsEstimated = Duration.ZERO;
        Duration commandsTook = Duration.ZERO;
        for (UpgradeStep s : plan.steps()) {
            Optional<Duration> took = state.took(s.id());
            if (took.isEmpty()) {
                estimatedLeft = estimatedLeft.plus(s.estimate());
            } else if (s instanceof CommandStep) {
                commandsEstimated = commandsEstimated.plus(s.estimate());
                commandsTook = commandsTook.plus(took.get());
            }
        }
        // Scale by how unattended steps compared with their estimates; waits at manual steps say nothing about speed.
        double ratio = commandsEstimated.isZero() || commandsTook.isZero() ? 1.0
                : Math.max(0.05, Math.min(20.0, (double) commandsTook.toMillis() / commandsEstimated.toMillis()));
        Duration remaining = Duration.ofMillis((long) (estimatedLeft.toMillis() * ratio));
        return new StepProgress(plan.steps().get(index), index + 1, plan.steps().size(), state.elapsed(), remaining);
    }

    private static JournalEntry.PlanStarted planStarted(List<JournalEntry> entries) {
        if (!(entries.get(0) instanceof JournalEntry.PlanStarted p)) {
            throw new ArboristException(ErrorKind.JOURNAL, "The journal does not start with a plan record; it is not an Arborist journal.");
        }
        return p;
    }

    static String sha256(UpgradePlan plan) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plan.toJson().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String firstLine(String message) {
        String m = message == null ? "failed" : message;
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** A manual confirmation was declined: the run stops and can be resumed. */
    private static final class Paused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Paused(String message) {
            super(message, null, false, false);
        }
    }

    /** Builds an {@link UpgradeExecutor}. Not thread-safe. */
    public static final class Builder {
        private TutorRunner tutor;
        private final Map<BackupTarget, BackupProvider> backups = new EnumMap<>(BackupTarget.class);
        private Path backupDirectory;
        private UpgradeJournal journal = UpgradeJournal.inMemory();
        private ExecutionListener listener = ExecutionListener.NONE;
        private ManualStepHandler manual = ManualStepHandler.DECLINE_ALL;
        private Duration commandTimeout = Duration.ofHours(3);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** @param runner runs the plan's commands (required) @return this */
        public Builder tutor(TutorRunner runner) {
            this.tutor = Objects.requireNonNull(runner, "runner");
            return this;
        }

        /** @param target what the provider saves @param provider the provider @return this */
        public Builder backup(BackupTarget target, BackupProvider provider) {
            backups.put(Objects.requireNonNull(target, "target"), Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** @param dir where backups are written, one directory per step and target (required with providers) @return this */
        public Builder backupDirectory(Path dir) {
            this.backupDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** @param j the journal (default: in memory) @return this */
        public Builder journal(UpgradeJournal j) {
            this.journal = Objects.requireNonNull(j, "journal");
            return this;
        }

        /** @param l progress listener (default: none) @return this */
        public Builder listener(ExecutionListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** @param handler asks about manual steps (default: declines, so unattended runs stop there) @return this */
        public Builder manualSteps(ManualStepHandler handler) {
            this.manual = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** @param timeout the limit for each command (default: 3 hours) @return this */
        public Builder commandTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("command timeout must be positive, got " + timeout);
            }
            this.commandTimeout = timeout;
            return this;
        }

        /** @param c the clock for journal times (default: UTC system clock) @return this */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** @return the executor */
        public UpgradeExecutor build() {
            return new UpgradeExecutor(this);
        }
    }
}
