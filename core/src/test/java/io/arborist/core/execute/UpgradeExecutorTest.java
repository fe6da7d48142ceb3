package io.arborist.core.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.BackupProvider;
import io.arborist.core.plan.BackupStep;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.CommandStep;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.plan.Installation;
import io.arborist.core.plan.ManualStep;
import io.arborist.core.plan.StepKind;
import io.arborist.core.plan.Target;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.plan.UpgradeStep;
import io.arborist.core.release.ReleaseCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpgradeExecutorTest {
    private static final ReleaseCatalog CATALOG = ReleaseCatalog.bundled();
    private static final UpgradePlan PLAN = UpgradePlanner.create(CATALOG).plan("koa", "maple");

    @TempDir
    Path dir;

    private final List<String> backedUp = new ArrayList<>();

    private BackupProvider provider(BackupTarget target) {
        return request -> {
            try {
                Path file = Files.writeString(request.localDirectory().orElseThrow().resolve("dump.sql"), "-- " + request.stepId());
                backedUp.add(request.stepId() + "/" + target);
                return new BackupArtifact(request.stepId() + "/" + target.name().toLowerCase(), target, request.location(),
                        Files.size(file), Instant.now());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    private UpgradeExecutor.Builder executor(RecordingRunner runner, UpgradeJournal journal) {
        return UpgradeExecutor.builder().tutor(runner).journal(journal).manualSteps(ManualStepHandler.ACCEPT_ALL)
                .backup(BackupTarget.MYSQL, provider(BackupTarget.MYSQL))
                .backup(BackupTarget.MONGODB, provider(BackupTarget.MONGODB))
                .backup(BackupTarget.TUTOR_ROOT, provider(BackupTarget.TUTOR_ROOT))
                .backupDirectory(dir.resolve("backups"));
    }

    private static List<List<String>> allCommands(UpgradePlan plan) {
        return plan.steps().stream().filter(s -> s instanceof CommandStep).flatMap(s -> s.commands().stream()).toList();
    }

    @Test
    void runs_every_command_in_order_and_journals_each_step() {
        RecordingRunner runner = new RecordingRunner();
        UpgradeJournal journal = UpgradeJournal.file(dir.resolve("upgrade.journal"));

        ExecutionReport report = executor(runner, journal).build().execute(PLAN);

        assertThat(report.completed()).isTrue();
        assertThat(runner.ran).isEqualTo(allCommands(PLAN));
        assertThat(report.outcomes()).hasSize(PLAN.steps().size()).allMatch(o -> o instanceof StepOutcome.Completed);
        assertThat(report.backups()).extracting(BackupArtifact::id).contains("02-lilac-backup/mysql", "02-lilac-backup/mongodb");
        List<JournalEntry> entries = journal.entries();
        assertThat(entries.get(0)).isInstanceOf(JournalEntry.PlanStarted.class);
        assertThat(entries).filteredOn(e -> e instanceof JournalEntry.StepEnded).hasSize(PLAN.steps().size());
        assertThat(UpgradeExecutor.status(journal).completed()).isTrue();
    }

    @Test
    void failure_at_a_step_then_resume_runs_every_step_exactly_once() {
        List<String> launch = List.of("tutor", "local", "quickstart", "-I");
        RecordingRunner first = new RecordingRunner().failOnce(launch::equals);
        UpgradeJournal journal = UpgradeJournal.file(dir.resolve("upgrade.journal"));

        ExecutionReport failed = executor(first, journal).build().execute(PLAN);

        assertThat(failed.completed()).isFalse();
        assertThat(failed.stoppedAt()).contains("08-lilac-launch");
        assertThat(failed.outcomes().get(failed.outcomes().size() - 1)).isInstanceOfSatisfying(StepOutcome.Failed.class,
                f -> assertThat(f.message()).contains("exit").contains("3"));
        assertThat(UpgradeExecutor.status(journal).stoppedAt()).contains("08-lilac-launch");

        RecordingRunner second = new RecordingRunner();
        ExecutionReport resumed = executor(second, journal).build().resume();

        assertThat(resumed.completed()).isTrue();
        List<List<String>> all = new ArrayList<>(first.ran);
        all.remove(all.size() - 1);
        all.addAll(second.ran);
        assertThat(all).as("every command ran exactly once, the failed one re-run").isEqualTo(allCommands(PLAN));
        assertThat(resumed.outcomes()).filteredOn(o -> o instanceof StepOutcome.Skipped).hasSize(7);
        assertThat(backedUp).as("backups taken once each").doesNotHaveDuplicates();
    }

    @Test
    void a_changed_plan_is_refused() {
        UpgradeJournal journal = UpgradeJournal.file(dir.resolve("upgrade.journal"));
        executor(new RecordingRunner().failOnce(a -> a.contains("upgrade")), journal).build().execute(PLAN);
        UpgradePlan other = UpgradePlanner.create(CATALOG).plan(Installation.of(CATALOG.resolve("koa")).withMode(DeploymentMode.DEV),
                Target.of(CATALOG.resolve("maple")));

        assertThatThrownBy(() -> executor(new RecordingRunner(), journal).build().resume(other))
                .isInstanceOf(ArboristException.class).hasMessageContaining("The plan changed since journal")
                .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.JOURNAL);
        assertThatThrownBy(() -> executor(new RecordingRunner(), journal).build().execute(other))
                .hasMessageContaining("records a different plan");
        assertThatThrownBy(() -> executor(new RecordingRunner(), journal).build().execute(PLAN))
                .hasMessageContaining("already records a run of this plan: resume it");
    }

    @Test
    void manual_steps_pause_the_run_and_continue_when_confirmed() {
        UpgradeJournal journal = UpgradeJournal.inMemory();
        List<String> asked = new ArrayList<>();
        ManualStepHandler decline = p -> {
            asked.add(p.step().id());
            return false;
        };

        ExecutionReport paused = executor(new RecordingRunner(), journal).manualSteps(decline).build().execute(PLAN);

        assertThat(paused.completed()).isFalse();
        assertThat(paused.stoppedAt()).contains("01-koa-prepare");
        assertThat(asked).containsExactly("01-koa-prepare");
        ManualStep prepare = (ManualStep) PLAN.steps().get(0);
        List<ManualStepHandler.Prompt> prompts = new ArrayList<>();
        ExecutionReport done = executor(new RecordingRunner(), journal).manualSteps(p -> prompts.add(p)).build().resume();

        assertThat(done.completed()).isTrue();
        assertThat(prompts.get(0).instructions()).isEqualTo(prepare.instructions());
        assertThat(prompts.get(0).commands()).contains("tutor config printvalue LMS_HOST");
    }

    @Test
    void targets_without_a_provider_are_confirmed_by_a_person() {
        AtomicInteger prompts = new AtomicInteger();
        ManualStepHandler handler = p -> {
            if (p.step() instanceof BackupStep) {
                assertThat(p.instructions().get(0)).containsPattern("Back up (mongodb|tutor_root) yourself");
            }
            prompts.incrementAndGet();
            return true;
        };
        UpgradeJournal journal = UpgradeJournal.inMemory();
        ExecutionReport report = UpgradeExecutor.builder().tutor(new RecordingRunner()).manualSteps(handler).journal(journal)
                .backup(BackupTarget.MYSQL, provider(BackupTarget.MYSQL)).backupDirectory(dir)
                .backupsTakenByHand(List.of(BackupTarget.MONGODB, BackupTarget.TUTOR_ROOT), "alice").build().execute(PLAN);

        assertThat(report.completed()).isTrue();
        assertThat(report.backups()).extracting(BackupArtifact::target).containsOnly(BackupTarget.MYSQL);
        assertThat(prompts.get()).as("prepare + 2 targets x 2 backups + verify").isEqualTo(6);
        assertThat(journal.entries()).filteredOn(e -> e instanceof JournalEntry.BackupsConfirmed)
                .extracting(e -> (JournalEntry.BackupsConfirmed) e)
                .extracting(c -> c.stepId() + " " + c.targets() + " by " + c.confirmedBy())
                .containsExactly(PLAN.backups().get(0).id() + " [MONGODB, TUTOR_ROOT] by alice",
                        PLAN.backups().get(1).id() + " [MONGODB, TUTOR_ROOT] by alice");
    }

    @Test
    void a_migrating_step_never_runs_without_its_completed_backup() {
        UpgradeJournal journal = UpgradeJournal.inMemory();
        journal.append(new JournalEntry.PlanStarted(Instant.now(), UpgradeExecutor.sha256(PLAN), PLAN.toJson()));
        UpgradeStep prepare = PLAN.steps().get(0);
        journal.append(new JournalEntry.StepStarted(Instant.now(), prepare.id()));
        journal.append(new JournalEntry.StepEnded(Instant.now(), prepare.id(), true, java.time.Duration.ZERO, List.of(),
                java.util.Optional.empty()));
        // the backup step was started but never ended (killed), and a later migrating step is next after it:
        journal.append(new JournalEntry.StepStarted(Instant.now(), "02-lilac-backup"));
        RecordingRunner runner = new RecordingRunner();

        ExecutionReport report = executor(runner, journal).build().resume();

        assertThat(report.completed()).isTrue();
        assertThat(backedUp).as("the interrupted backup is taken again before anything migrates").startsWith("02-lilac-backup/MYSQL");
    }

    @Test
    void progress_counts_steps_and_estimates_the_time_left() {
        List<StepProgress> seen = new ArrayList<>();
        ExecutionListener listener = new ExecutionListener() {
            @Override
            public void stepStarted(StepProgress progress) {
                seen.add(progress);
            }
        };
        executor(new RecordingRunner(), UpgradeJournal.inMemory()).listener(listener).build().execute(PLAN);

        assertThat(seen).hasSize(PLAN.steps().size());
        assertThat(seen.get(0).position()).isEqualTo("step 1 of " + PLAN.steps().size());
        assertThat(seen.get(0).remaining()).isEqualTo(PLAN.summary().estimate());
        assertThat(seen.get(seen.size() - 1).remaining()).isLessThan(seen.get(0).remaining());
    }

    @Test
    void resume_of_an_empty_journal_is_refused() {
        assertThatThrownBy(() -> executor(new RecordingRunner(), UpgradeJournal.file(dir.resolve("none.journal"))).build().resume())
                .isInstanceOf(ArboristException.class).hasMessageContaining("is empty or missing");
    }

    @Test
    void a_damaged_journal_line_is_reported_but_a_cut_last_line_is_ignored() throws IOException {
        Path file = dir.resolve("upgrade.journal");
        UpgradeJournal journal = UpgradeJournal.file(file);
        executor(new RecordingRunner().failOnce(a -> a.contains("upgrade")), journal).build().execute(PLAN);
        int records = journal.entries().size();
        Files.writeString(file, "{\"type\":\"end\",\"st", java.nio.file.StandardOpenOption.APPEND);

        assertThat(journal.entries()).hasSize(records);
        Files.writeString(file, "\n{}\n", java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(journal::entries).isInstanceOf(ArboristException.class).hasMessageContaining("is not a journal record");
    }

    @Test
    void plans_step_kinds_reach_the_runner_verbatim() {
        RecordingRunner runner = new RecordingRunner();
        executor(runner, UpgradeJournal.inMemory()).build().execute(PLAN);

        UpgradeStep upgrade = PLAN.steps().stream().filter(s -> s.kind() == StepKind.UPGRADE).findFirst().orElseThrow();
        assertThat(runner.count(upgrade.commands().get(0))).isEqualTo(1);
    }
}
