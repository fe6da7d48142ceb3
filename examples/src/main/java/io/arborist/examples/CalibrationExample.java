package io.arborist.examples;

import io.arborist.core.execute.UpgradeJournal;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.Calibration;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.release.ReleaseCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Plans Koa to Olive with the durations a rehearsal measured (its journal, {@code args[0]}), scaled to production's data,
 * prints the estimate and writes the HTML page ({@code args[1]}).
 */
public final class CalibrationExample {
    private CalibrationExample() {
    }

    /**
     * @param args the rehearsal's journal, the HTML file to write
     * @throws IOException when the page cannot be written
     */
    public static void main(String[] args) throws IOException {
        // tag::calibrate[]
        Calibration staging = UpgradeJournal.file(Path.of(args[0])).calibration()   // what each step took in the rehearsal
                .withScale(BackupTarget.MYSQL, 3.2)                                 // production has 3.2 times the MySQL data
                .withScale(BackupTarget.CLICKHOUSE, 5);
        UpgradePlan plan = UpgradePlanner.create(ReleaseCatalog.bundled()).plan("koa", "olive").calibrated(staging);

        System.out.println(plan.estimateRange().describe());                       // e.g. about 7 h 47 min (6 h 13 min to 9 h 20 min)
        System.out.println(plan.estimateSource("08-lilac-launch").describe());     // e.g. measured 8 min × 3.2
        Files.writeString(Path.of(args[1]), plan.toHtml());                        // one page, viewable offline
        // end::calibrate[]
    }
}
