package io.arborist.core.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.BackupProvider;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.plan.BackupStep;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.Calibration;
import io.arborist.core.plan.EstimateRange;
import io.arborist.core.plan.EstimateSource;
import io.arborist.core.plan.Installation;
import io.arborist.core.plan.Measurement;
import io.arborist.core.plan.PlanOptions;
import io.arborist.core.plan.Strategy;
import io.arborist.core.plan.Target;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.plan.UpgradeStep;
import io.arborist.core.release.ReleaseCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rehearsal journal with known durations gives known estimates: step n of Koa to Olive took n minutes, each backup
 * step 10 minutes (MySQL 6, MongoDB 2, Tutor root 1, one minute of overhead).
 */
class CalibrationFromJournalTest {
    static final ReleaseCatalog CATALOG = ReleaseCatalog.bundled();
    static final UpgradePlanner PLANNER = UpgradePlanner.create(CATALOG);
    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void measured_durations_replace_the_catalog_and_only_data_steps_scale() {
        UpgradePlan staging = PLANNER.plan("koa", "olive");
        UpgradeJournal journal = rehearsal(staging, dir.resolve("staging.journal"));

        Calibration calibration = UpgradeJournal.file(dir.resolve("staging.journal")).calibration()
                .withScale(BackupTarget.MYSQL, 3).withScale(BackupTarget.CLICKHOUSE, 5);
        UpgradePlan production = PLANNER.plan("koa", "olive").calibrated(calibration);

        assertThat(calibration.measurements()).hasSize(32);
        assertThat(minutes(production, "03-lilac-install")).as("install: not scaled").isEqualTo(3);
        assertThat(minutes(production, "06-lilac-pull-images")).as("pull: not scaled").isEqualTo(6);
        assertThat(minutes(production, "28-olive-build-images")).as("build: not scaled").isEqualTo(28);
        assertThat(minutes(production, "09-lilac-search-reindex-es7")).as("reindex: not scaled").isEqualTo(9);
        assertThat(minutes(production, "07-lilac-upgrade")).as("upgrade: 7 min x MySQL 3").isEqualTo(21);
        assertThat(minutes(production, "08-lilac-launch")).as("launch: its completed run, 8 min x 3; the failed attempt does not count")
                .isEqualTo(24);
        assertThat(minutes(production, "02-lilac-backup")).as("backup: MySQL 6 x 3 + MongoDB 2 + Tutor root 1 + overhead 1").isEqualTo(22);
        assertThat(production.estimateSource("02-lilac-backup")).isEqualTo(new EstimateSource.Measured("02-lilac-backup",
                Duration.ofMinutes(10), 2.2));
        assertThat(production.estimateSource("07-lilac-upgrade")).isEqualTo(new EstimateSource.Measured("07-lilac-upgrade",
                Duration.ofMinutes(7), 3.0));
        assertThat(production.estimateSource("03-lilac-install")).isEqualTo(new EstimateSource.Measured("03-lilac-install",
                Duration.ofMinutes(3), 1.0));
        // 1 + ... + 32 = 528 min; four backups at 22 instead of 2 + 11 + 18 + 25: +32; the eight UPGRADE and LAUNCH steps
        // (7, 8, 15, 16, 22, 23, 29, 30: 150 min) count three times: +300.
        assertThat(production.summary().estimate()).isEqualTo(Duration.ofMinutes(860));
        assertThat(production.estimateRange()).as("every step measured: -20 %/+20 %")
                .isEqualTo(new EstimateRange(Duration.ofMinutes(688), Duration.ofMinutes(860), Duration.ofMinutes(1032)));
        assertThat(production.summary().buildTime()).as("build figures stay the catalog's, to compare with the naive path")
                .isEqualTo(staging.summary().buildTime());
        assertThat(journal.entries()).isNotEmpty();
    }

    @Test
    void scales_without_measurements_change_nothing_and_a_calibration_survives_the_json() {
        UpgradePlan plan = PLANNER.plan("koa", "olive");
        assertThat(plan.calibrated(Calibration.NONE.withScale(BackupTarget.MYSQL, 4))).isEqualTo(plan);

        rehearsal(plan, dir.resolve("staging.journal"));
        UpgradePlan calibrated = plan.calibrated(UpgradeJournal.file(dir.resolve("staging.journal")).calibration()
                .withScale(BackupTarget.MYSQL, 3.2));
        assertThat(UpgradePlan.fromJson(calibrated.toJson())).isEqualTo(calibrated);
        assertThat(calibrated.toJson()).contains("\"measured\" : {", "\"stagingStep\" : \"08-lilac-launch\"", "\"scale\" : 3.2");
        assertThat(minutes(calibrated, "08-lilac-launch")).as("8 min x 3.2 = 25 min 36 s").isEqualTo(25);
        assertThat(calibrated.step("08-lilac-launch").orElseThrow().estimate()).isEqualTo(Duration.ofSeconds(1536));
    }

    @Test
    void steps_the_rehearsal_did_not_run_keep_the_catalog_estimate() {
        rehearsal(PLANNER.plan("koa", "olive"), dir.resolve("staging.journal"));
        UpgradePlan catalog = PLANNER.plan("koa", "palm");
        UpgradePlan production = catalog.calibrated(UpgradeJournal.file(dir.resolve("staging.journal")).calibration());

        List<UpgradeStep> palm = production.steps().stream().filter(s -> s.release().value().equals("palm")).toList();
        assertThat(palm).isNotEmpty();
        for (UpgradeStep s : palm) {
            assertThat(production.estimateSource(s.id())).as(s.id()).isEqualTo(EstimateSource.CATALOG);
            assertThat(s.estimate()).as(s.id()).isEqualTo(catalog.step(s.id()).orElseThrow().estimate());
        }
        assertThat(production.estimateSource("07-lilac-upgrade")).isInstanceOf(EstimateSource.Measured.class);
    }

    @Test
    void a_plan_of_another_path_matches_by_release_and_kind() {
        rehearsal(PLANNER.plan("koa", "olive"), dir.resolve("staging.journal"));
        Calibration c = UpgradeJournal.file(dir.resolve("staging.journal")).calibration().withScale(BackupTarget.MYSQL, 3);
        UpgradePlan waypoints = PLANNER.plan(Installation.of(CATALOG.resolve("koa")), Target.of(CATALOG.resolve("olive")),
                PlanOptions.defaults().withStrategy(Strategy.WAYPOINTS).withCalibration(c));

        Map<String, String> matched = waypoints.steps().stream().collect(Collectors.toMap(UpgradeStep::id,
                s -> waypoints.estimateSource(s.id()) instanceof EstimateSource.Measured m ? m.stagingStep() : "catalog"));
        assertThat(matched).containsEntry("01-koa-prepare", "01-koa-prepare")             // same id and kind
                .containsEntry("02-olive-backup", "25-olive-backup")                      // release, kind, id without number
                .containsEntry("05-olive-config-save", "27-olive-config-save")
                .containsEntry("07-olive-upgrade", "29-olive-upgrade")
                .containsEntry("08-olive-launch", "30-olive-launch")
                .containsEntry("04-olive-enable-plugins", "catalog")                     // the one Olive CONFIGURE is taken
                .containsEntry("09-olive-search-reindex-es7", "catalog");               // staging reindexed on Lilac
        assertThat(minutes(waypoints, "08-olive-launch")).isEqualTo(90);
        assertThat(minutes(waypoints, "04-olive-enable-plugins")).isEqualTo(1);
        assertThat(minutes(waypoints, "09-olive-search-reindex-es7")).isEqualTo(30);

        UpgradePlan third = PLANNER.plan(Installation.of(CATALOG.resolve("koa")), Target.of(CATALOG.resolve("olive")),
                PlanOptions.defaults().withStrategy(Strategy.WAYPOINTS)).calibrated(Calibration.of(List.of(
                        Measurement.of("40-olive-custom", io.arborist.core.plan.StepKind.CONFIGURE,
                                CATALOG.resolve("olive").release(), Duration.ofMinutes(7)))));
        assertThat(minutes(third, "04-olive-enable-plugins")).as("release and kind, the first such step").isEqualTo(7);
        assertThat(third.estimateSource("05-olive-config-save")).as("each measurement used once").isEqualTo(EstimateSource.CATALOG);
    }

    @Test
    void the_range_is_measured_plus_minus_20_percent_and_catalog_minus_30_plus_100() {
        UpgradePlan plan = PLANNER.plan("koa", "olive");
        assertThat(plan.summary().estimate()).isEqualTo(Duration.ofMinutes(294));
        assertThat(plan.estimateRange()).as("catalog only").isEqualTo(new EstimateRange(Duration.ofSeconds(294 * 42),
                Duration.ofMinutes(294), Duration.ofMinutes(588)));

        var lilac = CATALOG.resolve("lilac").release();
        UpgradePlan two = plan.calibrated(Calibration.of(List.of(
                Measurement.of("08-lilac-launch", io.arborist.core.plan.StepKind.LAUNCH, lilac, Duration.ofMinutes(10)),
                Measurement.of("06-lilac-pull-images", io.arborist.core.plan.StepKind.PULL_IMAGES, lilac, Duration.ofMinutes(5))))
                .withScale(BackupTarget.MYSQL, 3));
        // 294 - 15 - 3 catalog minutes stay (276); measured 30 + 5 = 35
        assertThat(two.summary().estimate()).isEqualTo(Duration.ofMinutes(311));
        assertThat(two.estimateRange()).isEqualTo(new EstimateRange(Duration.ofSeconds(Math.round((276 * 0.7 + 35 * 0.8) * 60)),
                Duration.ofMinutes(311), Duration.ofMinutes(276 * 2 + 42)));
        assertThat(two.toMarkdown()).contains("| Estimated hours, all steps | 5.2 h (3.7 h to 9.9 h) |",
                "Estimates: 2 measured in a rehearsal", "30 from the catalog's table",
                "(`LAUNCH`, Lilac, about 30 min, measured 10 min × 3) `08-lilac-launch`",
                "(`UPGRADE`, Lilac, about 8 min, catalog) `07-lilac-upgrade`");
    }

    @Test
    void an_old_journal_without_backup_durations_is_read_and_its_backups_scale_with_their_largest_target() throws Exception {
        UpgradePlan plan = PLANNER.plan("koa", "lilac");
        Path file = dir.resolve("old.journal");
        UpgradeJournal journal = UpgradeJournal.file(file);
        journal.append(new JournalEntry.PlanStarted(T0, UpgradeExecutor.sha256(plan), plan.toJson()));
        // Lines as Arborist 0.1 wrote them: no rows, no tookMillis per backup.
        Files.writeString(file, """
                {"at":"2026-11-20T08:00:00Z","type":"start","step":"02-lilac-backup"}
                {"at":"2026-11-20T08:10:00Z","type":"end","step":"02-lilac-backup","status":"COMPLETED","tookMillis":600000,\
                "backups":[{"id":"02-lilac-backup/mysql","target":"MYSQL","location":"/b/mysql","bytes":5000,"created":"2026-11-20T08:09:00Z"}]}
                """, StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        List<JournalEntry> entries = UpgradeJournal.file(file).entries();
        JournalEntry.StepEnded end = (JournalEntry.StepEnded) entries.get(2);
        assertThat(end.backups()).containsExactly(new BackupArtifact("02-lilac-backup/mysql", BackupTarget.MYSQL, new Destination.LocalDirectory(Path.of("/b/mysql")), 5000,
                Instant.parse("2026-11-20T08:09:00Z")));
        UpgradePlan production = plan.calibrated(journal.calibration().withScale(BackupTarget.MYSQL, 3));
        assertThat(minutes(production, "02-lilac-backup")).as("10 min, none of it timed per backup: x the largest scale, MySQL's 3")
                .isEqualTo(30);
    }

    @Test
    void the_executor_records_each_backups_duration_and_rows_and_they_are_read_back() {
        UpgradePlan plan = PLANNER.plan("koa", "lilac");
        MutableClock clock = new MutableClock(T0);
        BackupProvider mysql = request -> {
            clock.advance(Duration.ofMinutes(6));
            return new BackupArtifact(request.stepId() + "/mysql", BackupTarget.MYSQL, request.location(), 4096, clock.instant())
                    .withRows(1_000_000);
        };
        Path file = dir.resolve("run.journal");
        UpgradeExecutor.builder().tutor(new RecordingRunner()).journal(UpgradeJournal.file(file)).clock(clock)
                .backup(BackupTarget.MYSQL, mysql).backupDirectory(dir.resolve("backups"))
                .backupsTakenByHand(EnumSet.complementOf(EnumSet.of(BackupTarget.MYSQL)), "test")
                .manualSteps(ManualStepHandler.ACCEPT_ALL).build().execute(plan);

        BackupStep step = plan.backups().get(0);
        Measurement m = UpgradeJournal.file(file).calibration().measurements().stream().filter(x -> x.stepId().equals(step.id()))
                .findFirst().orElseThrow();
        assertThat(m.backups()).containsExactly(new Measurement.Backup(BackupTarget.MYSQL, 4096, OptionalLong.of(1_000_000),
                Optional.of(Duration.ofMinutes(6))));
        assertThat(m.took()).isEqualTo(Duration.ofMinutes(6));
        UpgradePlan production = plan.calibrated(UpgradeJournal.file(file).calibration().withScale(BackupTarget.MYSQL, 2.5));
        assertThat(production.step(step.id()).orElseThrow().estimate()).isEqualTo(Duration.ofMinutes(15));
    }

    /** Writes a finished rehearsal of the plan: step n took n minutes, backups 10; the first launch failed once. */
    static UpgradeJournal rehearsal(UpgradePlan plan, Path file) {
        UpgradeJournal journal = UpgradeJournal.file(file);
        journal.append(new JournalEntry.PlanStarted(T0, UpgradeExecutor.sha256(plan), plan.toJson(), "20261120-080000-abcdef"));
        Instant at = T0;
        int n = 0;
        for (UpgradeStep s : plan.steps()) {
            n++;
            if (s.id().equals("08-lilac-launch")) {
                journal.append(new JournalEntry.StepStarted(at, s.id()));
                at = at.plusSeconds(180);
                journal.append(new JournalEntry.StepEnded(at, s.id(), false, Duration.ofMinutes(3), List.of(), Optional.of("exit status 1")));
            }
            journal.append(new JournalEntry.StepStarted(at, s.id()));
            List<BackupArtifact> backups = List.of();
            Duration took = Duration.ofMinutes(n);
            if (s instanceof BackupStep) {
                took = Duration.ofMinutes(10);
                backups = List.of(
                        artifact(s, BackupTarget.MYSQL, 6).withRows(1_000_000),
                        artifact(s, BackupTarget.MONGODB, 2),
                        artifact(s, BackupTarget.TUTOR_ROOT, 1));
            }
            at = at.plus(took);
            journal.append(new JournalEntry.StepEnded(at, s.id(), true, took, backups, Optional.empty()));
        }
        return journal;
    }

    private static BackupArtifact artifact(UpgradeStep s, BackupTarget target, int minutes) {
        return new BackupArtifact(s.id() + "/" + target, target, new Destination.LocalDirectory(Path.of("/backups", s.id(), target.name())), 500L << 20, T0)
                .withTook(Duration.ofMinutes(minutes));
    }

    private static long minutes(UpgradePlan plan, String id) {
        return plan.step(id).orElseThrow(() -> new AssertionError("no step " + id)).estimate().toMinutes();
    }

    /** A clock a test moves forward. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
