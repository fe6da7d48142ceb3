package io.arborist.cli;

import io.arborist.core.execute.ExecutionListener;
import io.arborist.core.execute.ExecutionReport;
import io.arborist.core.execute.ManualStepHandler;
import io.arborist.core.execute.StepOutcome;
import io.arborist.core.execute.StepProgress;
import io.arborist.core.execute.UpgradeExecutor;
import io.arborist.core.execute.UpgradeJournal;
import io.arborist.core.spi.TutorRunner;
import io.arborist.tutor.DryRunTutorRunner;
import io.arborist.tutor.ProcessTutorRunner;
import io.arborist.clickhouse.ClickHouseBackup;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.mysql.MySqlBackup;
import java.util.List;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options shared by {@code run} and {@code resume}. */
final class RunOptions {
    @Option(names = "--journal", required = true, paramLabel = "FILE", description = "Journal file: every step start and end, fsync'd.")
    Path journal;

    @Option(names = "--yes", description = "Confirm manual steps without asking (for unattended runs).")
    boolean yes;

    @Option(names = "--tutor", paramLabel = "PATH", defaultValue = "tutor", description = "The tutor executable (default: ${DEFAULT-VALUE}).")
    String tutor;

    @Option(names = "--pip", paramLabel = "PATH", defaultValue = "pip", description = "The pip executable (default: ${DEFAULT-VALUE}).")
    String pip;

    @Option(names = "--tutor-root", paramLabel = "DIR", description = "TUTOR_ROOT (default: what 'tutor config printroot' prints).")
    Path tutorRoot;

    @Option(names = "--backup-dir", paramLabel = "DIR",
            description = "Where backup steps write MySQL and ClickHouse backups (needed with --mysql-url or --clickhouse-url).")
    Path backupDir;

    @picocli.CommandLine.Mixin
    DataStoreOptions stores = new DataStoreOptions();

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "3h",
            description = "Limit per command, e.g. 90m, 3h or PT3H (default: ${DEFAULT-VALUE}).")
    String timeout;

    Duration timeout() {
        String t = timeout.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 'h' -> Duration.ofHours(n);
                case 'm' -> Duration.ofMinutes(n);
                case 's' -> Duration.ofSeconds(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid --timeout '" + timeout + "' (expected e.g. 90m, 3h or PT3H)");
        }
    }

    TutorRunner runner(PrintWriter out, boolean dryRun) {
        if (dryRun) {
            return DryRunTutorRunner.create();
        }
        ProcessTutorRunner.Builder b = ProcessTutorRunner.builder().executable(tutor).pipExecutable(pip).timeout(timeout())
                .listener((source, line) -> {
                    out.println("    | " + line);
                    out.flush();
                });
        if (tutorRoot != null) {
            b.tutorRoot(tutorRoot);
        }
        return b.build();
    }

    UpgradeExecutor executor(UpgradePlan plan, TutorRunner runner, UpgradeJournal journal, PrintWriter out, boolean acceptAll) {
        UpgradeExecutor.Builder b = UpgradeExecutor.builder().tutor(runner).journal(journal).commandTimeout(timeout())
                .manualSteps(acceptAll || yes ? ManualStepHandler.ACCEPT_ALL : terminal(out))
                .listener(progress(out));
        boolean stores = stores().mysqlUrl != null || stores().clickhouseUrl != null;
        if (stores && backupDir == null) {
            throw new IllegalArgumentException("--backup-dir is needed to take backups with --mysql-url or --clickhouse-url");
        }
        if (stores().mysqlUrl().isPresent()) {
            List<String> dbs = stores().mysqlDatabases.isEmpty()
                    ? (plan.from().aspects().isPresent() ? List.of("edxapp", "superset") : List.of("edxapp")) : stores().mysqlDatabases;
            b.backup(BackupTarget.MYSQL, MySqlBackup.using(stores().mysqlUrl, stores().mysqlUser, stores().mysqlPassword())
                    .databases(dbs).listener(MySqlConnectionOptions.progressLine(out)).build());
        }
        stores().clickhouse().ifPresent(endpoint -> {
            ClickHouseBackup.Builder cb = ClickHouseBackup.builder(endpoint).listener(MySqlConnectionOptions.progressLine(out));
            if (!stores().clickhouseDatabases.isEmpty()) {
                cb.databases(stores().clickhouseDatabases);
            }
            b.backup(BackupTarget.CLICKHOUSE, cb.build());
        });
        if (backupDir != null) {
            b.backupDirectory(backupDir);
        }
        return b.build();
    }

    private DataStoreOptions stores() {
        return stores;
    }

    private static ManualStepHandler terminal(PrintWriter out) {
        if (System.console() == null) {
            return prompt -> {
                out.println("  MANUAL: " + prompt.step().title() + " (no terminal to ask on: run again with --yes once it is done)");
                prompt.instructions().forEach(i -> out.println("    - " + i));
                out.flush();
                return false;
            };
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return prompt -> {
            out.println("  MANUAL: " + prompt.step().title());
            prompt.instructions().forEach(i -> out.println("    - " + i));
            prompt.commands().forEach(c -> out.println("    $ " + c));
            out.print("  Done? [y/N] ");
            out.flush();
            try {
                String answer = in.readLine();
                return answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("y");
            } catch (java.io.IOException e) {
                return false;
            }
        };
    }

    private static ExecutionListener progress(PrintWriter out) {
        return new ExecutionListener() {
            @Override
            public void stepStarted(StepProgress p) {
                out.printf(Locale.ROOT, "[%d/%d] %s: %s (elapsed %s, about %s left)%n", p.number(), p.total(), p.step().id(),
                        p.step().title(), human(p.elapsed()), human(p.remaining()));
                out.flush();
            }

            @Override
            public void stepFinished(StepProgress p, StepOutcome outcome) {
                if (outcome instanceof StepOutcome.Failed f) {
                    out.println("  FAILED: " + f.message());
                } else if (outcome instanceof StepOutcome.Skipped s) {
                    out.println("[skip] " + s.stepId() + ": " + s.reason());
                }
                out.flush();
            }
        };
    }

    static String human(Duration d) {
        long m = d.toMinutes();
        return m >= 60 ? (m / 60) + " h " + (m % 60) + " min" : m > 0 ? m + " min" : d.toSeconds() + " s";
    }

    static int finish(PrintWriter out, ExecutionReport report, UpgradeJournal journal) {
        if (report.completed()) {
            out.println("Upgrade plan completed.");
            if (report.backups().isEmpty()) {
                out.println("No backup was taken by Arborist in this run (backup steps were confirmed by hand).");
            } else {
                out.println("Backups kept (prune them once you have confirmed no data was lost):");
                report.backups().forEach(b -> out.println("  " + b.id() + "  " + b.location()));
            }
            return 0;
        }
        out.println("Stopped at " + report.stoppedAt().orElse("?") + ". Fix the cause, then: arborist resume --journal " + journal.describe());
        return 1;
    }
}
