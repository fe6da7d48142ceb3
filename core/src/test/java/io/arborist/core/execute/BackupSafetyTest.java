package io.arborist.core.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.BackupProvider;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.plan.BackupStep;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.release.ReleaseCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups nothing takes are refused up front; complete backups are never removed; each run has its own directory. */
class BackupSafetyTest {
    private static final UpgradePlan PLAN = UpgradePlanner.create(ReleaseCatalog.bundled()).plan("koa", "maple");
    private static final String FIRST = PLAN.backups().get(0).id();
    private static final String SECOND = PLAN.backups().get(1).id();

    @TempDir
    Path dir;

    /** A provider that writes a data file, then the manifest last; it can fail after the data file on chosen calls. */
    private static Destination local(Path dir) {
        return new Destination.LocalDirectory(dir);
    }

    private static final class ManifestLastProvider implements BackupProvider {
        final String content;
        final AtomicInteger calls = new AtomicInteger();
        final Set<Integer> failOn;

        ManifestLastProvider(String content, Integer... failOn) {
            this.content = content;
            this.failOn = Set.of(failOn);
        }

        @Override
        public BackupArtifact backup(BackupRequest request) {
            int call = calls.incrementAndGet();
            try (Stream<Path> existing = Files.list(request.localDirectory().orElseThrow())) {
                assertThat(existing).as("the executor hands over an empty directory").isEmpty();
                Files.writeString(request.localDirectory().orElseThrow().resolve("data.sql"), content + " " + request.stepId());
                if (failOn.contains(call)) {
                    throw new ArboristException(ErrorKind.BACKUP, "disk full while backing up " + request.target());
                }
                Files.writeString(request.localDirectory().orElseThrow().resolve("manifest.json"), "{\"complete\":true}");
                return new BackupArtifact(request.stepId() + "/" + request.target(), request.target(), request.location(), 1,
                        Instant.now());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private UpgradeExecutor.Builder executor(UpgradeJournal journal, BackupProvider mysql) {
        return UpgradeExecutor.builder().tutor(new RecordingRunner()).journal(journal).manualSteps(ManualStepHandler.ACCEPT_ALL)
                .backup(BackupTarget.MYSQL, mysql)
                .backupsTakenByHand(List.of(BackupTarget.MONGODB, BackupTarget.TUTOR_ROOT), "ops")
                .backupDirectory(dir.resolve("backups"));
    }

    /** Every file under a directory with its SHA-256. */
    private static Map<String, String> fingerprint(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    @Test
    void an_unattended_run_refuses_before_the_first_step_when_nothing_takes_a_backup() {
        RecordingRunner runner = new RecordingRunner();
        UpgradeJournal journal = UpgradeJournal.file(dir.resolve("upgrade.journal"));
        UpgradeExecutor executor = UpgradeExecutor.builder().tutor(runner).journal(journal).manualSteps(ManualStepHandler.ACCEPT_ALL)
                .backup(BackupTarget.MYSQL, new ManifestLastProvider("x")).backupDirectory(dir.resolve("backups")).build();

        assertThat(executor.untakenBackups(PLAN)).containsExactly(BackupTarget.MONGODB, BackupTarget.TUTOR_ROOT);
        assertThatThrownBy(() -> executor.execute(PLAN))
                .isInstanceOf(ArboristException.class)
                .hasMessageContaining("Refusing to start: nothing would back up mongodb, tutor-root at backup step(s) " + FIRST + ", "
                        + SECOND + ", and steps after them migrate data")
                .hasMessageContaining("backupsTakenByHand")
                .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.CONFIGURATION);
        assertThat(runner.ran).isEmpty();
        assertThat(journal.entries()).as("nothing journaled: the run can start later with the same journal").isEmpty();
        assertThat(dir.resolve("backups")).doesNotExist();

        UpgradeExecutor byHand = UpgradeExecutor.builder().tutor(runner).journal(journal)
                .manualSteps(ManualStepHandler.ACCEPT_ALL).backupsTakenByHand(EnumSet.of(BackupTarget.MONGODB, BackupTarget.TUTOR_ROOT,
                        BackupTarget.MYSQL), "ops").build();
        assertThat(byHand.untakenBackups(PLAN)).isEmpty();
    }

    @Test
    void resume_refuses_too_when_a_remaining_backup_step_has_no_taker() {
        UpgradeJournal journal = UpgradeJournal.inMemory();
        RecordingRunner failing = new RecordingRunner().failOnce(a -> a.contains("upgrade"));
        executor(journal, new ManifestLastProvider("x")).tutor(failing).build().execute(PLAN);
        UpgradeExecutor withoutMongo = UpgradeExecutor.builder().tutor(new RecordingRunner()).journal(journal)
                .manualSteps(ManualStepHandler.ACCEPT_ALL).backup(BackupTarget.MYSQL, new ManifestLastProvider("x"))
                .backupsTakenByHand(List.of(BackupTarget.TUTOR_ROOT), "ops").backupDirectory(dir.resolve("backups")).build();

        assertThat(withoutMongo.untakenBackups(PLAN)).as("the first backup step is done; the second still needs mongodb")
                .containsExactly(BackupTarget.MONGODB);
        assertThatThrownBy(withoutMongo::resume).hasMessageContaining("nothing would back up mongodb at backup step(s) " + SECOND + ",");
    }

    @Test
    void a_second_run_beside_a_first_one_leaves_its_complete_backups_untouched_byte_for_byte() throws Exception {
        UpgradeJournal first = UpgradeJournal.file(dir.resolve("first.journal"));
        ExecutionReport one = executor(first, new ManifestLastProvider("before the upgrade")).build().execute(PLAN);
        Path backups = dir.resolve("backups");
        Map<String, String> before = fingerprint(backups);
        assertThat(before).isNotEmpty();

        UpgradeJournal second = UpgradeJournal.file(dir.resolve("second.journal"));
        ExecutionReport two = executor(second, new ManifestLastProvider("AFTER the upgrade")).build().execute(PLAN);

        assertThat(one.completed()).isTrue();
        assertThat(two.completed()).isTrue();
        Map<String, String> after = fingerprint(backups);
        assertThat(after).containsAllEntriesOf(before);
        assertThat(after).hasSize(2 * before.size());
        String firstRun = ((JournalEntry.PlanStarted) first.entries().get(0)).runId();
        String secondRun = ((JournalEntry.PlanStarted) second.entries().get(0)).runId();
        assertThat(firstRun).isNotEqualTo(secondRun).matches("\\d{8}-\\d{6}-[0-9a-f]{6}");
        assertThat(one.backups()).extracting(BackupArtifact::location)
                .containsExactly(local(backups.resolve(firstRun).resolve(FIRST).resolve("mysql")),
                        local(backups.resolve(firstRun).resolve(SECOND).resolve("mysql")));
        assertThat(two.backups()).extracting(BackupArtifact::location).allMatch(p -> ((Destination.LocalDirectory) p).directory().startsWith(backups.resolve(secondRun)));
        assertThat(second.entries()).filteredOn(e -> e instanceof JournalEntry.BackupStarted)
                .extracting(e -> ((JournalEntry.BackupStarted) e).location())
                .containsExactlyElementsOf(two.backups().stream().map(BackupArtifact::location).toList());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backups.resolve(secondRun)))).isEqualTo("rwx------");
    }

    @Test
    void only_an_incomplete_backup_this_run_started_is_removed_and_anything_else_in_the_way_is_left_alone() throws Exception {
        UpgradeJournal journal = UpgradeJournal.file(dir.resolve("upgrade.journal"));
        ManifestLastProvider failsFirst = new ManifestLastProvider("v1", 1);
        ExecutionReport failed = executor(journal, failsFirst).build().execute(PLAN);
        assertThat(failed.stoppedAt()).contains(FIRST);
        String run = ((JournalEntry.PlanStarted) journal.entries().get(0)).runId();
        Path step = dir.resolve("backups").resolve(run).resolve(FIRST);
        assertThat(step.resolve("mysql/data.sql")).exists();
        assertThat(step.resolve("mysql/manifest.json")).doesNotExist();
        // Someone else's half-written directory and a complete backup this run did not record are in the way too:
        Files.createDirectories(step.resolve("mysql-2"));
        Files.writeString(step.resolve("mysql-2/notes.txt"), "not Arborist's");

        ExecutionReport resumed = executor(journal, new ManifestLastProvider("v2")).build().resume();

        assertThat(resumed.completed()).isTrue();
        assertThat(step.resolve("mysql/data.sql")).as("this run's incomplete backup was replaced").hasContent("v2 " + FIRST);
        assertThat(step.resolve("mysql/manifest.json")).exists();
        assertThat(step.resolve("mysql-2/notes.txt")).hasContent("not Arborist's");
        assertThat(resumed.backups()).extracting(BackupArtifact::location).contains(local(step.resolve("mysql")));

        // A complete backup left by a killed attempt (started, manifest written, step never ended) is kept:
        UpgradeJournal killed = UpgradeJournal.inMemory();
        Instant now = Instant.now();
        killed.append(new JournalEntry.PlanStarted(now, UpgradeExecutor.sha256(PLAN), PLAN.toJson(), "killed-run"));
        for (io.arborist.core.plan.UpgradeStep s : PLAN.steps().subList(0, PLAN.steps().indexOf(PLAN.backups().get(0)))) {
            killed.append(new JournalEntry.StepStarted(now, s.id()));
            killed.append(new JournalEntry.StepEnded(now, s.id(), true, java.time.Duration.ZERO, List.of(), java.util.Optional.empty()));
        }
        killed.append(new JournalEntry.StepStarted(now, FIRST));
        Path kept = dir.resolve("backups/killed-run").resolve(FIRST).resolve("mysql");
        killed.append(new JournalEntry.BackupStarted(now, FIRST, BackupTarget.MYSQL, local(kept)));
        Files.createDirectories(kept);
        Files.writeString(kept.resolve("data.sql"), "complete");
        Files.writeString(kept.resolve("manifest.json"), "{}");
        Map<String, String> keptBefore = fingerprint(kept);

        ExecutionReport again = executor(killed, new ManifestLastProvider("v3")).build().resume();

        assertThat(again.completed()).isTrue();
        assertThat(fingerprint(kept)).isEqualTo(keptBefore);
        assertThat(again.backups()).extracting(BackupArtifact::location).contains(local(kept.resolveSibling("mysql-2")));
    }

    @Test
    void by_hand_confirmations_are_journaled_and_survive_a_reread() {
        UpgradeJournal journal = UpgradeJournal.file(dir.resolve("upgrade.journal"));
        List<String> asked = new ArrayList<>();
        executor(journal, new ManifestLastProvider("x")).manualSteps(p -> {
            if (p.step() instanceof BackupStep) {
                asked.add(p.instructions().get(0));
            }
            return true;
        }).build().execute(PLAN);

        assertThat(asked).hasSize(4).allMatch(i -> i.startsWith("Back up mongodb yourself") || i.startsWith("Back up tutor_root yourself"));
        List<JournalEntry.BackupsConfirmed> confirmed = UpgradeJournal.file(dir.resolve("upgrade.journal")).entries().stream()
                .filter(e -> e instanceof JournalEntry.BackupsConfirmed).map(e -> (JournalEntry.BackupsConfirmed) e).toList();
        assertThat(confirmed).extracting(JournalEntry.BackupsConfirmed::targets)
                .containsOnly(List.of(BackupTarget.MONGODB, BackupTarget.TUTOR_ROOT));
        assertThat(confirmed).extracting(JournalEntry.BackupsConfirmed::confirmedBy).containsOnly("ops");
        assertThat(confirmed).extracting(JournalEntry.BackupsConfirmed::stepId).containsExactly(FIRST, SECOND);
    }

    @Test
    void a_blank_confirmer_and_bad_run_ids_are_refused() {
        assertThatThrownBy(() -> UpgradeExecutor.builder().backupsTakenByHand(List.of(BackupTarget.MONGODB), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be named");
        assertThatThrownBy(() -> new JournalEntry.PlanStarted(Instant.now(), "abc", "{}", "../escape"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("it names a directory");
    }
}
