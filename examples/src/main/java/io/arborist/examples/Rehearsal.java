package io.arborist.examples;

import io.arborist.clickhouse.AspectsSnapshot;
import io.arborist.clickhouse.ClickHouseBackup;
import io.arborist.clickhouse.ClickHouseEndpoint;
import io.arborist.clickhouse.ClickHouseRestore;
import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.Credentials;
import io.arborist.core.execute.ExecutionReport;
import io.arborist.core.execute.ManualStepHandler;
import io.arborist.core.execute.UpgradeExecutor;
import io.arborist.core.execute.UpgradeJournal;
import io.arborist.core.plan.AspectsSetup;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.Installation;
import io.arborist.core.plan.Target;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.release.ReleaseCatalog;
import io.arborist.core.report.Snapshot;
import io.arborist.core.report.SnapshotComparison;
import io.arborist.mysql.LearnerSnapshot;
import io.arborist.mysql.MySqlBackup;
import io.arborist.mysql.MySqlRestore;
import io.arborist.tutor.DryRunTutorRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.EnumSet;

/**
 * What an operator rehearses on staging, on real throwaway servers: plan Olive with Aspects 1.3.2 to Palm, run it
 * with the dry-run Tutor runner while the executor takes real MySQL and ClickHouse backups, restore the first backups
 * into scratch databases, and compare learner counts before and after. Exit status 1 when anything was lost.
 *
 * <p>Run: {@code java -cp "$(./arborist classpath)" io.arborist.examples.Rehearsal jdbc:mysql://127.0.0.1:3306
 * http://127.0.0.1:8123 /tmp/rehearsal} (passwords from MYSQL_PWD and CLICKHOUSE_PASSWORD).
 */
public final class Rehearsal {
    /** The Aspects databases backed up, restored and compared. */
    public static final List<String> ASPECTS = List.of("xapi", "event_sink", "reporting");

    private Rehearsal() {
    }

    /**
     * What a rehearsal produced.
     *
     * @param plan the plan rehearsed
     * @param run what the executor did
     * @param commands the Tutor commands the dry run recorded, as a script
     * @param report before (source) against after (restored copy)
     */
    public record Outcome(UpgradePlan plan, ExecutionReport run, String commands, SnapshotComparison report) {
    }

    /**
     * @param mysqlUrl JDBC URL of the server holding {@code edxapp}
     * @param user MySQL user
     * @param mysql MySQL user and password
     * @param clickhouse the ClickHouse server holding the Aspects databases
     * @param work an empty directory for the journal and the backups
     * @param afterRestore runs against the restored copy before it is counted (tests use it to simulate a loss)
     * @return the outcome
     */
    public static Outcome rehearse(String mysqlUrl, Credentials mysql, ClickHouseEndpoint clickhouse, Path work,
                                   Runnable afterRestore) {
        ReleaseCatalog catalog = ReleaseCatalog.bundled();
        UpgradePlan plan = UpgradePlanner.create(catalog).plan(
                Installation.of(catalog.resolve("olive")).withAspects(AspectsSetup.of(AspectsVersion.parse("1.3.2"))),
                Target.of(catalog.resolve("palm")));
        Snapshot before = LearnerSnapshot.of(mysqlUrl, mysql, "edxapp").take().plus(AspectsSnapshot.of(clickhouse).databases(ASPECTS).take());

        DryRunTutorRunner tutor = DryRunTutorRunner.create();
        ExecutionReport run = UpgradeExecutor.builder().tutor(tutor)
                .backup(BackupTarget.MYSQL, MySqlBackup.using(mysqlUrl, mysql).databases("edxapp").build())
                .backup(BackupTarget.CLICKHOUSE, ClickHouseBackup.using(clickhouse).databases(ASPECTS).build())
                .backupsTakenByHand(EnumSet.complementOf(EnumSet.of(BackupTarget.MYSQL, BackupTarget.CLICKHOUSE)),
                        "rehearsal (dry-run Tutor runner: nothing migrates)")
                .backupDirectory(work.resolve("backups")).journal(UpgradeJournal.file(work.resolve("rehearsal.journal")))
                .manualSteps(ManualStepHandler.ACCEPT_ALL).build().execute(plan);

        MySqlRestore.using(mysqlUrl, mysql).rename("edxapp", "edxapp_rehearsal").build().restore(first(run, BackupTarget.MYSQL));
        ClickHouseRestore.Builder restore = ClickHouseRestore.using(clickhouse);
        ASPECTS.forEach(db -> restore.rename(db, db + "_rehearsal"));
        restore.build().restore(first(run, BackupTarget.CLICKHOUSE));
        afterRestore.run();

        Snapshot after = LearnerSnapshot.of(mysqlUrl, mysql, "edxapp_rehearsal").take()
                .plus(AspectsSnapshot.of(clickhouse).databases(ASPECTS.stream().map(db -> db + "_rehearsal").toList())
                        .eventsTable("xapi_rehearsal", "xapi_events_all").take())
                .withDatabasesRenamed(Map.of("edxapp_rehearsal", "edxapp", "xapi_rehearsal", "xapi", "event_sink_rehearsal", "event_sink",
                        "reporting_rehearsal", "reporting"));
        return new Outcome(plan, run, tutor.script(), SnapshotComparison.compare(before, after));
    }

    private static Path first(ExecutionReport run, BackupTarget target) {
        // the rehearsal writes its backups to a local directory
        return run.backups().stream().filter(b -> b.target() == target).map(BackupArtifact::location)
                .map(l -> ((io.arborist.core.backup.store.Destination.LocalDirectory) l).directory()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the rehearsal took no " + target + " backup"));
    }

    /** @param args MySQL JDBC URL, ClickHouse URL, work directory */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: Rehearsal JDBC_URL CLICKHOUSE_URL WORK_DIR   (passwords from MYSQL_PWD, CLICKHOUSE_PASSWORD)");
            System.exit(2);
        }
        Credentials clickhouse = Credentials.of("default", System.getenv().getOrDefault("CLICKHOUSE_PASSWORD", "").toCharArray());
        Outcome o = rehearse(args[0], Credentials.of("root", System.getenv().getOrDefault("MYSQL_PWD", "").toCharArray()),
                ClickHouseEndpoint.of(args[1], clickhouse), Path.of(args[2]), () -> { });
        System.out.println(o.report().toMarkdown());
        System.exit(o.report().hasLoss() ? 1 : 0);
    }
}
