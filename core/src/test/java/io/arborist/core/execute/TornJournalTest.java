package io.arborist.core.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.release.ReleaseCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TornJournalTest {
    @TempDir
    Path dir;

    @Test
    void a_record_cut_by_a_crash_is_dropped_so_resume_and_status_read_every_later_record() throws Exception {
        UpgradePlan plan = UpgradePlanner.create(ReleaseCatalog.bundled()).plan("koa", "lilac");
        Path file = dir.resolve("upgrade.journal");
        UpgradeJournal journal = UpgradeJournal.file(file);
        RecordingRunner first = new RecordingRunner().failOnce(argv -> argv.contains("quickstart"));
        UpgradeExecutor.builder().tutor(first).journal(journal).manualSteps(ManualStepHandler.ACCEPT_ALL).backupsTakenByHand(java.util.EnumSet.allOf(io.arborist.core.plan.BackupTarget.class), "test").build().execute(plan);
        int complete = journal.entries().size();
        String half = "{\"at\":\"2026-12-03T10:00:00Z\",\"type\":\"start\",\"st";
        Files.writeString(file, half, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(journal.entries()).as("the torn tail is not a record").hasSize(complete);

        ExecutionReport resumed = UpgradeExecutor.builder().tutor(new RecordingRunner()).journal(journal)
                .manualSteps(ManualStepHandler.ACCEPT_ALL).backupsTakenByHand(java.util.EnumSet.allOf(io.arborist.core.plan.BackupTarget.class), "test").build().resume();

        assertThat(resumed.completed()).isTrue();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain(half).endsWith("\n");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
        assertThat(journal.entries()).hasSize(lines.size());
        assertThat(UpgradeExecutor.status(journal).completed()).isTrue();
    }

    @Test
    void a_new_journal_is_readable_by_its_owner_only() throws Exception {
        Path file = dir.resolve("new.journal");
        UpgradeJournal journal = UpgradeJournal.file(file);
        UpgradeExecutor.builder().tutor(new RecordingRunner()).journal(journal).manualSteps(ManualStepHandler.ACCEPT_ALL).backupsTakenByHand(java.util.EnumSet.allOf(io.arborist.core.plan.BackupTarget.class), "test").build()
                .execute(UpgradePlanner.create(ReleaseCatalog.bundled()).plan("koa", "lilac"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }
}
