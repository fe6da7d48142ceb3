package io.arborist.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.execute.JournalEntry;
import io.arborist.core.execute.UpgradeJournal;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.plan.UpgradeStep;
import io.arborist.core.release.ReleaseCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationExampleTest {
    @TempDir
    Path dir;

    @Test
    void the_readme_example_prints_the_calibrated_estimate_and_writes_the_page() throws Exception {
        UpgradePlan plan = UpgradePlanner.create(ReleaseCatalog.bundled()).plan("koa", "olive");
        Path journal = dir.resolve("staging.journal");
        UpgradeJournal j = UpgradeJournal.file(journal);
        Instant at = Instant.parse("2026-11-20T08:00:00Z");
        j.append(new JournalEntry.PlanStarted(at, "0".repeat(64), plan.toJson(), "staging-1"));
        for (UpgradeStep s : plan.steps()) {
            j.append(new JournalEntry.StepStarted(at, s.id()));
            j.append(new JournalEntry.StepEnded(at, s.id(), true, Duration.ofMinutes(8), List.of(), Optional.empty()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CalibrationExample.main(new String[] {journal.toString(), dir.resolve("plan.html").toString()});
        } finally {
            System.setOut(old);
        }
        // 32 steps of 8 min; 4 backups and 8 UPGRADE/LAUNCH steps x 3.2: 20 x 8 + 12 x 25.6 = 467.2 min
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "about 7 h 47 min (6 h 13 min to 9 h 20 min)", "measured 8 min × 3.2");
        assertThat(Files.readString(dir.resolve("plan.html"))).contains("<svg id=\"timeline-chart\"", "measured 8 min × 3.2");
    }
}
