package io.arborist.core.execute;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.BackupProvider;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import io.arborist.core.backup.store.ArchiveReader;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.backup.store.StoredObject;
import io.arborist.core.internal.Shell;
import io.arborist.core.plan.BackupStep;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.CommandStep;
import io.arborist.core.plan.ManualStep;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradeStep;
import io.arborist.core.release.ReleaseCatalog;
import io.arborist.core.spi.TutorRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
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
 *         .backupsTakenByHand(List.of(BackupTarget.CLICKHOUSE), System.getProperty("user.name"))
 *         .backupDirectory(Path.of("/var/backups/upgrade"))
 *         .journal(UpgradeJournal.file(Path.of("upgrade.journal")))
 *         .manualSteps(ManualStepHandler.ACCEPT_ALL)
 *         .build();
 * ExecutionReport report = executor.execute(plan);      // later: executor.resume()
 *
 * UpgradeExecutor.builder()...                          // or into S3: s3://edx-backups/upgrade/RUN_ID/STEP/TARGET/
 *         .backupDestination(Destination.parse("s3://edx-backups/upgrade"))
 *         .backupStores(BackupStores.builder().environment(System.getenv()).build());
 * }</pre>
 *
 * <p>Every target of every backup step must be taken by a provider or declared taken by hand
 * ({@link Builder#backupsTakenByHand(Collection, String)}): otherwise {@link #execute(UpgradePlan)} and
 * {@link #resume()} refuse before the first step, so no data-migrating step can follow a backup nothing took. A
 * target taken by hand is confirmed through the {@link ManualStepHandler} at its backup step, and the journal records
 * who confirmed which targets when.
 *
 * <p>Each run's backups live in a location of their own, {@code DEST/RUN_ID/STEP/TARGET}, below a local directory
 * ({@link Builder#backupDirectory(Path)}) or an S3 prefix ({@link Builder#backupDestination(Destination)}, opened with
 * {@link Builder#backupStores(BackupStores)}), the run's name coming from the journal
 * ({@link JournalEntry.PlanStarted#runId()}); the journal records each location before the provider writes into it.
 * The same rule holds for both: a complete backup (one whose provider says {@link BackupProvider#isComplete(Path)} or
 * {@link BackupProvider#isComplete(BackupStore)}: its manifest is there) is never removed or overwritten; an incomplete
 * one (a directory or a prefix with objects but no manifest) is removed only if this run started it (after a failure
 * or a killed process), and anything else in the way is left alone while the backup goes into the next free name
 * ({@code TARGET-2}, ...). On S3 a free name is a prefix with no object; incomplete multipart uploads a killed
 * process left there are not objects, and {@code arborist backups prune --partial} aborts them. Before the first step
 * an S3 destination is checked: a missing bucket or refused credentials stop the run in one line, with nothing run.
 * Backups are kept until the whole plan has completed, and then pruning is the caller's decision
 * ({@link ExecutionReport#backups()}). Immutable and thread-safe; one run per journal at a time.
 *
 * @since 0.1
 */
public final class UpgradeExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeExecutor.class);

    private final TutorRunner tutor;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<BackupTarget, BackupProvider> backups;
    private final Set<BackupTarget> byHand;
    private final String confirmedBy;
    private final Optional<Destination> backupDestination;
    private final BackupStores stores;
    private final Optional<EncryptionKey> encryption;
    private final UpgradeJournal journal;
    private final ExecutionListener listener;
    private final ManualStepHandler manual;
    private final Duration commandTimeout;
    private final Clock clock;
    private final ReleaseCatalog catalog;

    private UpgradeExecutor(Builder b) {
        this.tutor = Objects.requireNonNull(b.tutor, "tutor runner (builder().tutor(...)) is required");
        this.backups = Map.copyOf(b.backups);
        this.byHand = Set.copyOf(b.byHand);
        this.confirmedBy = b.confirmedBy;
        this.backupDestination = Optional.ofNullable(b.backupDestination);
        this.stores = b.stores;
        this.encryption = b.encryption;
        this.journal = b.journal;
        this.listener = b.listener;
        this.manual = b.manual;
        this.commandTimeout = b.commandTimeout;
        this.clock = b.clock;
        this.catalog = b.catalog;
        if (!backups.isEmpty() && backupDestination.isEmpty()) {
            throw new IllegalArgumentException("backup providers need a backupDirectory(Path) or backupDestination(Destination) to write into");
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
     * @throws ArboristException of kind JOURNAL when the journal already records a run; of kind CONFIGURATION, before
     *                           anything is journaled or run, when a backup target has neither a provider nor a
     *                           by-hand declaration ({@link #untakenBackups(UpgradePlan)})
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
        refuseNonConforming(plan);
        refuseUntakenBackups(plan, JournalState.of(List.of()));
        Instant now = clock.instant();
        String runId = JournalEntry.PlanStarted.runId(now, HexFormat.of().formatHex(randomBytes()));
        try (BackupStore root = openBackups(plan, JournalState.of(List.of()), runId)) {
            journal.append(new JournalEntry.PlanStarted(now, hash, plan.toJson(), runId));
            return run(plan, JournalState.of(journal.entries()), root);
        }
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
     * @throws ArboristException of kind JOURNAL when the plan differs from the journal's; of kind CONFIGURATION, before
     *                           anything runs, when a backup step still to run has a target nothing takes
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
        JournalState state = JournalState.of(entries);
        refuseNonConforming(plan);
        refuseUntakenBackups(plan, state);
        refuseChangedEncryption(state);
        try (BackupStore root = openBackups(plan, state, started.runId())) {
            return run(plan, state, root);
        }
    }

    /**
     * Refuses to resume without the key a run encrypted its earlier backups with (or with another key): its later
     * backups would otherwise leave the machine unencrypted, or need two keys to restore. A run that started
     * unencrypted may go on encrypted. Backups that cannot be read any more (moved, pruned) are not checked.
     */
    private void refuseChangedEncryption(JournalState state) {
        for (Destination started : state.backupsStarted()) {
            Optional<String> recorded;
            try (BackupStore store = stores.open(started)) {
                recorded = ArchiveReader.encryptionFingerprint(store);
            } catch (ArboristException e) {
                LOG.debug("Encryption of the earlier backup in {} not checked: {}", started, e.getMessage());
                continue;
            }
            if (recorded.isPresent() && !recorded.equals(encryption.map(EncryptionKey::fingerprint))) {
                throw new ArboristException(ErrorKind.CONFIGURATION, "This run encrypted its backups (" + started + ", key fingerprint "
                        + recorded.get() + "): resume it with the same key " + (encryption.isEmpty() ? "(encryption was not asked)"
                        : "(the key given has fingerprint " + encryption.get().fingerprint() + ")") + "; nothing was run.");
            }
        }
    }

    /**
     * Opens the backup destination and, when it is on S3 and a backup step with a provider is still to run, checks
     * that it can be reached: a missing bucket or refused credentials fail here, before anything is journaled or run.
     */
    private BackupStore openBackups(UpgradePlan plan, JournalState state, String runId) {
        // without a destination nothing is written: backup steps then only confirm backups taken by hand
        Destination where = backupDestination.orElseGet(() -> new Destination.LocalDirectory(Path.of(".")));
        BackupStore root = stores.open(where);
        boolean needed = plan.steps().stream().anyMatch(s -> s instanceof BackupStep b && !state.completed(b.id())
                && b.targets().stream().anyMatch(backups::containsKey));
        if (needed && where instanceof Destination.S3Location) {
            try {
                root.list(runId);
            } catch (ArboristException e) {
                root.close();
                throw new ArboristException(e.kind(), "Refusing to start: backups cannot be written to " + where + " ("
                        + firstLine(e.getMessage()) + "); nothing was run.", e);
            }
        }
        return root;
    }

    /**
     * The targets that nothing would back up: those of the plan's backup steps not yet completed in the journal that
     * have no provider and were not declared taken by hand. {@link #execute(UpgradePlan)} and {@link #resume()} refuse
     * to start while this is not empty.
     *
     * @param plan the plan
     * @return the targets, in {@link BackupTarget} order; empty when every backup will be taken or confirmed
     */
    public Set<BackupTarget> untakenBackups(UpgradePlan plan) {
        Objects.requireNonNull(plan, "plan");
        List<JournalEntry> entries = journal.entries();
        boolean samePlan = !entries.isEmpty() && entries.get(0) instanceof JournalEntry.PlanStarted p
                && p.planSha256().equals(sha256(plan));
        return untaken(plan, samePlan ? JournalState.of(entries) : JournalState.of(List.of())).keySet();
    }

    private Map<BackupTarget, List<String>> untaken(UpgradePlan plan, JournalState state) {
        Map<BackupTarget, List<String>> out = new EnumMap<>(BackupTarget.class);
        for (UpgradeStep step : plan.steps()) {
            if (step instanceof BackupStep b && !state.completed(b.id())) {
                for (BackupTarget t : b.targets()) {
                    if (!backups.containsKey(t) && !byHand.contains(t)) {
                        out.computeIfAbsent(t, k -> new ArrayList<>()).add(b.id());
                    }
                }
            }
        }
        return out;
    }

    /**
     * Refuses, before anything runs, a plan with a command the software installed at its step would reject, a command
     * of a shape the planner never writes, or a data-changing step no earlier backup step covers.
     */
    private void refuseNonConforming(UpgradePlan plan) {
        List<String> problems = PlanGuard.problems(plan, catalog);
        if (!problems.isEmpty()) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "Refusing the plan: " + problems.size() + " problem(s) before the "
                    + "first step; nothing was run. Plan again with 'arborist plan' rather than editing the plan.\n"
                    + String.join("\n", problems));
        }
    }

    private void refuseUntakenBackups(UpgradePlan plan, JournalState state) {
        Map<BackupTarget, List<String>> missing = untaken(plan, state);
        if (missing.isEmpty()) {
            return;
        }
        Set<String> steps = new LinkedHashSet<>();
        missing.values().forEach(steps::addAll);
        throw new ArboristException(ErrorKind.CONFIGURATION, "Refusing to start: nothing would back up "
                + missing.keySet().stream().map(UpgradeExecutor::name).collect(Collectors.joining(", "))
                + " at backup step(s) " + String.join(", ", steps) + ", and steps after them migrate data. Wire a backup"
                + " provider for each (UpgradeExecutor.Builder.backup), or, if a person takes them, declare them with"
                + " Builder.backupsTakenByHand(targets, who) so that they are confirmed at each backup step.");
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return b;
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
     * How much of the run a journal records is left.
     *
     * @param journal a journal
     * @param plan the journal's plan ({@link #plan(UpgradeJournal)}), possibly calibrated
     *     ({@link UpgradePlan#calibrated}) for better estimates
     * @param now the time to count from (a running step's elapsed time is taken off its estimate)
     * @return the time left with its range
     * @throws IllegalArgumentException when the plan's steps are not the journal's
     */
    public static TimeLeft timeLeft(UpgradeJournal journal, UpgradePlan plan, Instant now) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(now, "now");
        List<String> recorded = plan(journal).steps().stream().map(UpgradeStep::id).toList();
        if (!recorded.equals(plan.steps().stream().map(UpgradeStep::id).toList())) {
            throw new IllegalArgumentException("the plan's steps are not those of journal " + journal.describe());
        }
        return JournalState.timeLeft(journal.entries(), plan, now);
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

    private ExecutionReport run(UpgradePlan plan, JournalState state, BackupStore root) {
        String runId = planStarted(journal.entries()).runId();
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
                List<BackupArtifact> made = perform(step, runId, state, root);
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
        if (step instanceof BackupStep || !PlanGuard.changesData(step)) {
            return;
        }
        String backup = step.coveredBy().filter(PlanGuard.backupIds(plan)::contains).orElseThrow(() -> new ArboristException(
                ErrorKind.CONFIGURATION, "Refusing to run " + step.id() + ": it changes stored data and no backup step covers it."));
        if (!state.completed(backup)) {
            throw new ArboristException(ErrorKind.JOURNAL, "Refusing to run " + step.id() + " (it migrates data): its backup step "
                    + backup + " is not recorded as completed in journal " + journal.describe() + ".");
        }
    }

    private List<BackupArtifact> perform(UpgradeStep step, String runId, JournalState state, BackupStore root) {
        if (step instanceof BackupStep b) {
            return backup(b, runId, state, root);
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

    private List<BackupArtifact> backup(BackupStep step, String runId, JournalState state, BackupStore root) {
        List<BackupArtifact> made = new ArrayList<>();
        List<BackupTarget> confirmed = new ArrayList<>();
        for (BackupTarget target : step.targets()) {
            BackupProvider provider = backups.get(target);
            if (provider == null) {
                if (!byHand.contains(target)) {
                    throw new ArboristException(ErrorKind.CONFIGURATION, "Nothing backs up " + name(target) + " at " + step.id()
                            + ": wire a provider for it or declare it taken by hand.");
                }
                ask(new ManualStepHandler.Prompt(step, List.of("Back up " + target.name().toLowerCase(Locale.ROOT)
                        + " yourself (no backup provider is wired for it) and keep it until the whole upgrade is done."), List.of()));
                confirmed.add(target);
                continue;
            }
            Destination location;
            BackupStore store;
            if (root.destination() instanceof Destination.LocalDirectory local) {
                location = new Destination.LocalDirectory(reserve(local.directory().resolve(runId).resolve(step.id()), name(target),
                        provider, state));
                store = stores.open(location);
            } else {
                String prefix = reserve(root, runId + "/" + step.id(), name(target), provider, state);
                location = root.destination().resolve(prefix);
                store = root.within(prefix);
            }
            journal.append(new JournalEntry.BackupStarted(clock.instant(), step.id(), target, location));
            LOG.info("Backing up {} into {}", target, location);
            Instant start = clock.instant();
            BackupArtifact artifact;
            try (store) {
                artifact = provider.backup(new BackupRequest(step.id(), target, location, store, encryption));
                encryption.ifPresent(key -> requireEncrypted(store, key, target));
            }
            made.add(artifact.took().isPresent() ? artifact : artifact.withTook(Duration.between(start, clock.instant())));
        }
        if (!confirmed.isEmpty()) {
            journal.append(new JournalEntry.BackupsConfirmed(clock.instant(), step.id(), confirmed, confirmedBy));
            LOG.info("Backups of {} at {} confirmed as taken by hand by {}", confirmed, step.id(), confirmedBy);
        }
        return made;
    }

    /** Refuses a backup of an encrypting run that its provider did not encrypt with the run's key. */
    private static void requireEncrypted(BackupStore store, EncryptionKey key, BackupTarget target) {
        if (!ArchiveReader.open(store, "", Optional.of(key)).encrypted()) {
            throw new ArboristException(ErrorKind.BACKUP, "the backup of " + name(target) + " in " + store.destination()
                    + " is not encrypted, although this run encrypts its backups: its provider ignores the request's key."
                    + " Delete it, and use a provider that encrypts (or run without encryption)");
        }
    }

    /**
     * Finds the directory for a backup: {@code parent/name}, unless something is in the way that may not be removed,
     * then {@code name-2}, {@code name-3}, ... Only an incomplete backup this run started is removed.
     */
    private Path reserve(Path parent, String name, BackupProvider provider, JournalState state) {
        try {
            for (int i = 1; ; i++) {
                Path dir = parent.resolve(i == 1 ? name : name + "-" + i);
                if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    createOwnerOnly(dir);
                    return dir;
                }
                boolean ours = state.startedBackupIn(new Destination.LocalDirectory(dir));
                if (ours && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && !provider.isComplete(dir)) {
                    LOG.warn("Removing the incomplete backup {} that this run started before it was interrupted", dir);
                    deleteTree(dir);
                    createOwnerOnly(dir);
                    return dir;
                }
                LOG.info("Leaving {} untouched ({}); taking this backup beside it", dir, provider.isComplete(dir)
                        ? "it holds a complete backup" : "this run did not start it");
            }
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.BACKUP, "Cannot prepare a backup directory in " + parent + ": " + e.getMessage(), e);
        }
    }

    /**
     * Finds the S3 prefix for a backup by the local rule ({@link #reserve(Path, String, BackupProvider, JournalState)}):
     * {@code parent/name} when no object is there, else the partial backup this run started there is deleted, else
     * {@code name-2}, {@code name-3}, ...
     */
    private static String reserve(BackupStore root, String parent, String name, BackupProvider provider, JournalState state) {
        for (int i = 1; ; i++) {
            String prefix = parent + "/" + (i == 1 ? name : name + "-" + i);
            Destination location = root.destination().resolve(prefix);
            BackupStore at = root.within(prefix);
            List<StoredObject> present = at.list("");
            if (present.isEmpty()) {
                return prefix;
            }
            boolean complete = provider.isComplete(at);
            if (state.startedBackupIn(location) && !complete) {
                LOG.warn("Removing the incomplete backup {} ({} objects, no manifest) that this run started before it was interrupted",
                        location, present.size());
                ArchiveWriter.removePartial(at);
                return prefix;
            }
            LOG.info("Leaving {} untouched ({}); taking this backup beside it", location, complete
                    ? "it holds a complete backup" : "this run did not start it");
        }
    }

    /** Creates a directory and its missing parents, each new one owner-only. */
    private static void createOwnerOnly(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (absolute.getParent() != null && !Files.isDirectory(absolute.getParent())) {
            createOwnerOnly(absolute.getParent());
        }
        try {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String name(BackupTarget target) {
        return target.name().toLowerCase(Locale.ROOT).replace('_', '-');
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
        private final Set<BackupTarget> byHand = EnumSet.noneOf(BackupTarget.class);
        private String confirmedBy = "";
        private Destination backupDestination;
        private BackupStores stores = BackupStores.builder().build();
        private Optional<EncryptionKey> encryption = Optional.empty();
        private UpgradeJournal journal = UpgradeJournal.inMemory();
        private ExecutionListener listener = ExecutionListener.NONE;
        private ManualStepHandler manual = ManualStepHandler.DECLINE_ALL;
        private Duration commandTimeout = Duration.ofHours(3);
        private Clock clock = Clock.systemUTC();
        private ReleaseCatalog catalog = ReleaseCatalog.bundled();

        /**
         * @param catalog the catalog whose Tutor grammar and plugin data plans are checked against before they run
         *     (default: {@link ReleaseCatalog#bundled()})
         * @return this
         */
        public Builder catalog(ReleaseCatalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        private Builder() {
        }

        /**
         * @param runner runs the plan's commands (required)
         * @return this
         */
        public Builder tutor(TutorRunner runner) {
            this.tutor = Objects.requireNonNull(runner, "runner");
            return this;
        }

        /**
         * @param target what the provider saves
         * @param provider the provider
         * @return this
         */
        public Builder backup(BackupTarget target, BackupProvider provider) {
            backups.put(Objects.requireNonNull(target, "target"), Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Declares targets that a person backs up outside Arborist. At each backup step naming one of them (and no
         * provider for it), the {@link ManualStepHandler} is asked to confirm it was done, and the journal records
         * the targets confirmed, by whom and when. Targets with a provider are taken by the provider. Replaces
         * earlier calls (default: none, so every target needs a provider).
         *
         * @param targets what is backed up by hand
         * @param who who confirms, recorded in the journal, e.g. the operating-system user running the upgrade
         * @return this
         */
        public Builder backupsTakenByHand(Collection<BackupTarget> targets, String who) {
            Objects.requireNonNull(targets, "targets");
            Objects.requireNonNull(who, "who");
            if (!targets.isEmpty() && who.isBlank()) {
                throw new IllegalArgumentException("who confirms backups taken by hand must be named, got a blank name");
            }
            targets.forEach(t -> Objects.requireNonNull(t, "a target is null"));
            byHand.clear();
            byHand.addAll(targets);
            this.confirmedBy = who;
            return this;
        }

        /**
         * A local backup destination: the shorthand of {@link #backupDestination(Destination)}.
         *
         * @param dir where backups are written, {@code dir/RUN_ID/STEP/TARGET} (this or a destination is required with
         *     providers)
         * @return this
         */
        public Builder backupDirectory(Path dir) {
            return backupDestination(new Destination.LocalDirectory(Objects.requireNonNull(dir, "dir")));
        }

        /**
         * @param destination where backups are written, {@code DEST/RUN_ID/STEP/TARGET}: a local directory or an S3
         *     prefix (this or a directory is required with providers)
         * @return this
         */
        public Builder backupDestination(Destination destination) {
            this.backupDestination = Objects.requireNonNull(destination, "destination");
            return this;
        }

        /**
         * Encrypts every backup the providers take at rest, in a local directory as in S3: each is written through its
         * store with this key ({@link BackupRequest#encryption()}), and a backup that comes back unencrypted fails its
         * step. Verify and restore then need the same key. Default: backups are not encrypted.
         *
         * @param key the key (see {@link EncryptionKey#derivedFrom})
         * @return this
         */
        public Builder encryptBackupsWith(EncryptionKey key) {
            this.encryption = Optional.of(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * @param opener opens the backup destination: its S3 endpoint, region and credentials (default:
         *     {@code BackupStores.builder().build()}, the AWS SDK's chains)
         * @return this
         */
        public Builder backupStores(BackupStores opener) {
            this.stores = Objects.requireNonNull(opener, "opener");
            return this;
        }

        /**
         * @param j the journal (default: in memory)
         * @return this
         */
        public Builder journal(UpgradeJournal j) {
            this.journal = Objects.requireNonNull(j, "journal");
            return this;
        }

        /**
         * @param l progress listener (default: none)
         * @return this
         */
        public Builder listener(ExecutionListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /**
         * @param handler asks about manual steps (default: declines, so unattended runs stop there)
         * @return this
         */
        public Builder manualSteps(ManualStepHandler handler) {
            this.manual = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * @param timeout the limit for each command (default: 3 hours)
         * @return this
         */
        public Builder commandTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("command timeout must be positive, got " + timeout);
            }
            this.commandTimeout = timeout;
            return this;
        }

        /**
         * @param c the clock for journal times (default: UTC system clock)
         * @return this
         */
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
