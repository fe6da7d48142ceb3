package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.execute.JournalEntry;
import io.arborist.core.execute.UpgradeJournal;
import io.arborist.core.plan.BackupStep;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.plan.UpgradeStep;
import io.arborist.core.release.ReleaseCatalog;
import io.arborist.core.report.Measure;
import io.arborist.core.report.Snapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan --calibrate/--scale/--scale-from/--scale-to}, {@code plan --format html}, {@code status}'s time left. */
class TimelineCliTest {
    static final UpgradePlanner PLANNER = UpgradePlanner.create(ReleaseCatalog.bundled());

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            status = ArboristCli.execute(o, e, args);
        }
        return new Run(status, out.toString(), err.toString());
    }

    /** A finished rehearsal of Koa to Olive: step n took n minutes; backups 10 (MySQL 6 of them, 1,000,000 rows). */
    Path staging() {
        UpgradePlan plan = PLANNER.plan("koa", "olive");
        Path file = dir.resolve("staging.journal");
        UpgradeJournal journal = UpgradeJournal.file(file);
        Instant at = Instant.parse("2026-11-20T08:00:00Z");
        journal.append(new JournalEntry.PlanStarted(at, "0".repeat(64), plan.toJson(), "staging-1"));
        int n = 0;
        for (UpgradeStep s : plan.steps()) {
            n++;
            journal.append(new JournalEntry.StepStarted(at, s.id()));
            Duration took = s instanceof BackupStep ? Duration.ofMinutes(10) : Duration.ofMinutes(n);
            List<BackupArtifact> backups = s instanceof BackupStep ? List.of(new BackupArtifact(s.id() + "/mysql", BackupTarget.MYSQL,
                    new io.arborist.core.backup.store.Destination.LocalDirectory(dir.resolve(s.id())), 500L << 20, at).withRows(1_000_000).withTook(Duration.ofMinutes(6))) : List.of();
            at = at.plus(took);
            journal.append(new JournalEntry.StepEnded(at, s.id(), true, took, backups, Optional.empty()));
        }
        return file;
    }

    @Test
    void calibrate_replaces_the_estimates_and_scale_multiplies_the_data_steps() {
        Run r = run("plan", "--from", "koa", "--to", "olive", "--calibrate", staging().toString(), "--scale", "mysql=3,clickhouse=5");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("(`LAUNCH`, Lilac, about 24 min, measured 8 min × 3) `08-lilac-launch`",
                "(`PULL_IMAGES`, Lilac, about 6 min, measured 6 min) `06-lilac-pull-images`",
                "(`BACKUP`, Lilac, about 22 min, measured 10 min × 2.2) `02-lilac-backup`",
                "Estimates: 32 measured in a rehearsal", "08 Launch Lilac :crit, s08, after s07, 24m");
        assertThat(r.err()).contains("arborist: estimates measured in " + dir.resolve("staging.journal") + " (32 completed steps); "
                + "scales: mysql x3.00 (--scale), clickhouse x5.00 (--scale)",
                "arborist: the rehearsal's last backups: mysql 1,000,000 rows, 500.0 MiB in 6 min");
    }

    @Test
    void two_snapshots_give_the_scales_from_their_counts() throws Exception {
        Path from = dir.resolve("staging-snapshot.json");
        Path to = dir.resolve("production-snapshot.json");
        Instant now = Instant.parse("2026-11-20T08:00:00Z");
        Files.writeString(from, new Snapshot(now, "staging", List.of(new Measure("users", "*", 100), new Measure("completions", "c1", 900),
                new Measure("passes", "c1", 50), new Measure("clickhouse.rows", "xapi.xapi_events_all", 2000)), List.of()).toJson());
        Files.writeString(to, new Snapshot(now, "production", List.of(new Measure("users", "*", 400), new Measure("completions", "c1", 2800),
                new Measure("passes", "c1", 999), new Measure("clickhouse.rows", "xapi.xapi_events_all", 10000)), List.of()).toJson());

        Run r = run("plan", "--from", "koa", "--to", "olive", "--format", "json", "--calibrate", staging().toString(),
                "--scale-from", from.toString(), "--scale-to", to.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("scales: mysql x3.20 (3,200 / 1,000 rows counted), clickhouse x5.00 (10,000 / 2,000 rows counted)");
        UpgradePlan plan = UpgradePlan.fromJson(r.out());
        assertThat(plan.step("08-lilac-launch").orElseThrow().estimate()).as("8 min x 3.2").isEqualTo(Duration.ofSeconds(1536));
        assertThat(plan.step("28-olive-build-images").orElseThrow().estimate()).isEqualTo(Duration.ofMinutes(28));

        Run partial = run("plan", "--from", "koa", "--to", "olive", "--calibrate", staging().toString(),
                "--scale-from", from.toString(), "--scale-to", to.toString(), "--scale", "mysql=2");
        assertThat(partial.status()).as(partial.err()).isZero();
        assertThat(partial.err()).as("--scale wins over the snapshots").contains("mysql x2.00 (--scale), clickhouse x5.00 (10,000 / 2,000");
    }

    @Test
    void bad_calibration_input_is_one_line_and_exit_status_2() {
        Path journal = staging();
        for (String[] args : List.of(
                new String[] {"--calibrate", journal.toString(), "--scale", "mysql=abc"},
                new String[] {"--calibrate", journal.toString(), "--scale", "oracle=2"},
                new String[] {"--calibrate", journal.toString(), "--scale", "mysql=-1"},
                new String[] {"--scale", "mysql=3"},
                new String[] {"--calibrate", dir.resolve("missing.journal").toString()},
                new String[] {"--calibrate", journal.toString(), "--scale-from", journal.toString()})) {
            String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("plan", "--from", "koa", "--to", "olive"),
                    java.util.Arrays.stream(args)).toArray(String[]::new);
            Run r = run(all);
            assertThat(r.status()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().lines().filter(l -> !l.isBlank())).as(r.err()).hasSize(1);
            assertThat(r.err()).startsWith("arborist: ").doesNotContain("Exception", "\tat ");
        }
        assertThat(run("plan", "--from", "koa", "--to", "olive", "--calibrate", journal.toString(), "--scale", "mysql=abc").err())
                .isEqualTo("arborist: Scale 'mysql=abc' is not valid: the factor must be a positive number, e.g. mysql=3.2.\n");
    }

    @Test
    void html_is_a_format() throws Exception {
        Path page = dir.resolve("plan.html");
        Run r = run("plan", "--from", "koa", "--to", "lilac", "--format", "html", "-o", page.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readString(page, StandardCharsets.UTF_8)).startsWith("<!DOCTYPE html>").contains("<svg id=\"timeline-chart\"");
        Run bad = run("plan", "--from", "koa", "--to", "lilac", "--format", "pdf");
        assertThat(bad.err()).isEqualTo("arborist: unknown format 'pdf' (expected markdown, json, shell or html)\n");
    }

    @Test
    void status_shows_the_time_left_from_the_catalog_or_the_rehearsal() {
        UpgradePlan plan = PLANNER.plan("koa", "lilac");
        Path file = dir.resolve("production.journal");
        UpgradeJournal journal = UpgradeJournal.file(file);
        Instant start = Instant.now().minus(Duration.ofHours(2));
        journal.append(new JournalEntry.PlanStarted(start, "1".repeat(64), plan.toJson(), "production-1"));
        for (UpgradeStep s : plan.steps().subList(0, 7)) {
            journal.append(new JournalEntry.StepStarted(start, s.id()));
            journal.append(new JournalEntry.StepEnded(start, s.id(), true, Duration.ofMinutes(3), List.of(), Optional.empty()));
        }
        journal.append(new JournalEntry.StepStarted(Instant.now().minus(Duration.ofMinutes(5)), "08-lilac-launch"));

        Run r = run("status", "--journal", file.toString());
        assertThat(r.status()).as(r.err()).isZero();
        // 08 (15 min, 5 spent) + 09 reindex 30 + 10 check 5 + 11 verify 30 = 75 min, less the seconds this test took
        assertThat(r.out()).contains("Time left: about 1 h 14 min (", "for 4 step(s), from the catalog's estimates; 08-lilac-launch started 5 min ago",
                "11-lilac-verify                          pending (about 30 min, catalog)");

        Run calibrated = run("status", "--journal", file.toString(), "--calibrate", staging().toString());
        assertThat(calibrated.status()).as(calibrated.err()).isZero();
        assertThat(calibrated.out()).contains("from estimates measured in a rehearsal (9 of 11 steps; the others the catalog's)",
                "09-lilac-search-reindex-es7              pending (about 9 min, measured 9 min)");
    }
}
