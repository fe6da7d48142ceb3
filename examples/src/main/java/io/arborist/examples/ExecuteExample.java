package io.arborist.examples;

import io.arborist.core.execute.ExecutionListener;
import io.arborist.core.execute.ExecutionReport;
import io.arborist.core.execute.ManualStepHandler;
import io.arborist.core.execute.UpgradeExecutor;
import io.arborist.core.execute.UpgradeJournal;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.release.ReleaseCatalog;
import io.arborist.core.spi.TutorRunner;
import io.arborist.tutor.DryRunTutorRunner;
import io.arborist.tutor.MongoDbBackup;
import io.arborist.tutor.ProcessTutorRunner;
import io.arborist.tutor.TutorRootBackup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

/**
 * Plans Koa to Olive and runs it: with {@code --real TUTOR_ROOT JOURNAL BACKUP_DIR} through the real tutor (MongoDB and
 * the Tutor root backed up by Arborist, MySQL by you), otherwise as a dry run that prints the commands it would run.
 */
public final class ExecuteExample {
    private ExecuteExample() {
    }

    /** @param args {@code --real TUTOR_ROOT JOURNAL BACKUP_DIR}, or nothing for a dry run */
    public static void main(String[] args) {
        UpgradePlan plan = UpgradePlanner.create(ReleaseCatalog.bundled()).plan("koa", "olive");
        if (args.length == 4 && args[0].equals("--real")) {
            System.out.println(real(plan, Path.of(args[1]), Path.of(args[2]), Path.of(args[3])));
            return;
        }
        DryRunTutorRunner dryRun = DryRunTutorRunner.create();
        ExecutionReport report = UpgradeExecutor.builder().tutor(dryRun).manualSteps(ManualStepHandler.ACCEPT_ALL)
                .backupsTakenByHand(EnumSet.allOf(BackupTarget.class), "dry run: nothing migrates").build().execute(plan);
        System.out.println("completed: " + report.completed());
        System.out.print(dryRun.script());
    }

    static ExecutionReport real(UpgradePlan plan, Path tutorRoot, Path journalFile, Path backups) {
        // tag::execute[]
        TutorRunner tutor = ProcessTutorRunner.builder().tutorRoot(tutorRoot).timeout(Duration.ofHours(2)).build();
        UpgradeExecutor executor = UpgradeExecutor.builder()
                .tutor(tutor)
                .backup(BackupTarget.MONGODB, MongoDbBackup.builder(tutor).mode(DeploymentMode.LOCAL).build())
                .backup(BackupTarget.TUTOR_ROOT, TutorRootBackup.of(tutorRoot))
                .backupsTakenByHand(List.of(BackupTarget.MYSQL), System.getProperty("user.name"))  // or MySqlBackup
                .backupDirectory(backups)
                .journal(UpgradeJournal.file(journalFile))
                .manualSteps(ManualStepHandler.ACCEPT_ALL)
                .listener(ExecutionListener.NONE)
                .build();
        ExecutionReport report = executor.execute(plan);     // after a failure: executor.resume()
        // end::execute[]
        return report;
    }
}
