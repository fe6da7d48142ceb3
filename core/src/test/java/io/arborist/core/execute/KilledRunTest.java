package io.arborist.core.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.plan.CommandStep;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.release.ReleaseCatalog;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.EnumSet;
import io.arborist.core.plan.BackupTarget;

/** A real child JVM runs the executor and is killed with SIGKILL in the middle of a step; the run then resumes. */
class KilledRunTest {

    @Test
    void a_jvm_killed_mid_step_resumes_at_that_step_and_runs_the_rest_once(@TempDir Path dir) throws Exception {
        UpgradePlan plan = UpgradePlanner.create(ReleaseCatalog.bundled()).plan("nutmeg", "palm");
        Path planFile = Files.writeString(dir.resolve("plan.json"), plan.toJson());
        Path journalFile = dir.resolve("upgrade.journal");
        Path log = dir.resolve("commands.log");
        String hangOn = "tutor local upgrade --from=olive";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = String.join(File.pathSeparator, System.getProperty("java.class.path"),
                System.getProperty("jdk.module.path", ""));
        Process child = new ProcessBuilder(java, "-cp", classPath, KilledRunMain.class.getName(),
                planFile.toString(), journalFile.toString(), log.toString(), hangOn)
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(log) && Files.readString(log).contains("HANGING"))) {
                assertThat(child.isAlive()).as("child JVM alive; output: " + (Files.exists(dir.resolve("child.out"))
                        ? Files.readString(dir.resolve("child.out")) : "")).isTrue();
                assertThat(System.nanoTime()).as("child reached the hanging step in time").isLessThan(deadline);
                Thread.sleep(50);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        UpgradeJournal journal = UpgradeJournal.file(journalFile);
        ExecutionReport before = UpgradeExecutor.status(journal);
        assertThat(before.completed()).isFalse();
        assertThat(before.stoppedAt()).contains("14-palm-upgrade");
        assertThat(before.outcomes().get(before.outcomes().size() - 1))
                .isInstanceOfSatisfying(StepOutcome.Failed.class, f -> assertThat(f.message()).contains("never ended"));

        RecordingRunner runner = new RecordingRunner();
        ExecutionReport after = UpgradeExecutor.builder().tutor(runner).journal(journal).manualSteps(ManualStepHandler.ACCEPT_ALL)
                .backupsTakenByHand(EnumSet.allOf(BackupTarget.class), "killed-run-test").build().resume();

        assertThat(after.completed()).isTrue();
        List<String> ranBeforeKill = Files.readAllLines(log).stream().filter(l -> !l.equals("HANGING")).toList();
        List<String> all = new ArrayList<>(ranBeforeKill.subList(0, ranBeforeKill.size() - 1));
        runner.ran.forEach(argv -> all.add(String.join(" ", argv)));
        List<String> expected = plan.steps().stream().filter(s -> s instanceof CommandStep)
                .flatMap(s -> s.commands().stream()).map(a -> String.join(" ", a)).toList();
        assertThat(all).as("each command once, the killed one re-run on resume").isEqualTo(expected);
        assertThat(runner.ran.get(0)).isEqualTo(List.of("tutor", "local", "upgrade", "--from=olive"));
    }
}
