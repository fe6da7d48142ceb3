package io.arborist.cli;

import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.execute.ExecutionListener;
import io.arborist.core.execute.ExecutionReport;
import io.arborist.core.execute.JournalEntry;
import io.arborist.core.execute.ManualStepHandler;
import io.arborist.core.execute.StepOutcome;
import io.arborist.core.execute.StepProgress;
import io.arborist.core.execute.UpgradeExecutor;
import io.arborist.core.execute.UpgradeJournal;
import io.arborist.core.spi.TutorRunner;
import io.arborist.tutor.DryRunTutorRunner;
import io.arborist.tutor.MongoDbBackup;
import io.arborist.tutor.ProcessTutorRunner;
import io.arborist.tutor.TutorRootBackup;
import io.arborist.clickhouse.ClickHouseBackup;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.mysql.MySqlBackup;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
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

    @Option(names = "--yes", description = "Confirm manual steps without asking (for unattended runs). Refused when a backup step"
            + " has a target nothing takes: give --backup-dir (and --mysql-url/--clickhouse-url), or --backups-taken-by-hand.")
    boolean yes;

    @Option(names = "--backups-taken-by-hand", split = ",", paramLabel = "TARGET",
            description = "Targets you back up yourself (mysql, mongodb, clickhouse, search-index, tutor-root): confirmed at"
                    + " each backup step, with your user name and the time in the journal; Arborist does not take them.")
    List<String> byHand = new ArrayList<>();

    @Option(names = "--tutor", paramLabel = "PATH", defaultValue = "tutor", description = "The tutor executable (default: ${DEFAULT-VALUE}).")
    String tutor;

    @Option(names = "--pip", paramLabel = "PATH", defaultValue = "pip", description = "The pip executable (default: ${DEFAULT-VALUE}).")
    String pip;

    @Option(names = "--tutor-root", paramLabel = "DIR", description = "TUTOR_ROOT (default: what 'tutor config printroot' prints);"
            + " the secrets of its config.yml are hidden in everything shown or kept.")
    Path tutorRoot;

    @Option(names = "--backup-dir", paramLabel = "DIR|s3://BUCKET/PREFIX",
            description = "Where backup steps write backups, DEST/RUN_ID/STEP/TARGET, a directory or an S3 prefix: MongoDB"
                    + " (mongodump through tutor) and the Tutor root's config.yml and env/, plus MySQL with --mysql-url and"
                    + " ClickHouse with --clickhouse-url. S3 credentials come from the AWS chain, never the command line.")
    String backupDir;

    @picocli.CommandLine.Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--encrypt", description = "Encrypt every backup the run takes at rest (directory or S3) with a key derived"
            + " from --key-file/--key-env (which alone seals the MySQL and ClickHouse backups, as backup does); resume, verify"
            + " and restore need the same key.")
    boolean encrypt;

    @picocli.CommandLine.Mixin
    ArchiveKeyOptions keys = new ArchiveKeyOptions();

    @picocli.CommandLine.Mixin
    DataStoreOptions stores = new DataStoreOptions();

    @Option(names = "--mysql-databases", split = ",", paramLabel = "DB",
            description = "MySQL databases backup steps back up (default: edxapp and, with Aspects, superset).")
    List<String> mysqlDatabases = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "3h",
            description = "Limit per command, e.g. 90m, 3h or PT3H, at most 30 days (default: ${DEFAULT-VALUE}).")
    String timeout;

    /** Longest --timeout: far beyond any Tutor command, and small enough that no clock arithmetic overflows. */
    static final Duration MAX_TIMEOUT = Duration.ofDays(30);

    Duration timeout() {
        return timeout(timeout);
    }

    /**
     * @param timeout a {@code --timeout} value: 90m, 3h, 30s or PT3H
     * @return the duration
     * @throws IllegalArgumentException naming the value when it is not a positive duration of at most 30 days
     */
    static Duration timeout(String timeout) {
        String t = timeout.strip().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.startsWith("pt")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                d = switch (t.charAt(t.length() - 1)) {
                    case 'h' -> Duration.ofHours(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 's' -> Duration.ofSeconds(n);
                    default -> throw new IllegalArgumentException();
                };
            }
        } catch (RuntimeException e) {
            d = null;
        }
        if (d == null || d.isNegative() || d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("invalid --timeout '" + Printable.line(timeout, 40) + "': give a positive"
                    + " duration of at most 30 days (720h), e.g. 90m, 3h or PT3H");
        }
        return d;
    }

    TutorRunner runner(PrintWriter out, boolean dryRun) {
        if (dryRun) {
            return DryRunTutorRunner.create();
        }
        ProcessTutorRunner.Builder b = ProcessTutorRunner.builder().executable(tutor).pipExecutable(pip).timeout(timeout())
                .secretsFromTutorRoot()
                .listener((source, line) -> {
                    out.println("    | " + Printable.line(line));
                    out.flush();
                });
        if (tutorRoot != null) {
            b.tutorRoot(tutorRoot);
        }
        return b.build();
    }

    UpgradeExecutor executor(UpgradePlan plan, TutorRunner runner, UpgradeJournal journal, PrintWriter out, boolean dryRun) {
        Set<BackupTarget> declared = targets(byHand);
        UpgradeExecutor.Builder b = UpgradeExecutor.builder().tutor(runner).journal(journal).commandTimeout(timeout())
                .manualSteps(dryRun || yes ? ManualStepHandler.ACCEPT_ALL : terminal(out))
                .listener(progress(out));
        Optional<Destination> destination = Optional.ofNullable(backupDir).map(Destination::parse);
        Optional<ArchiveKey> key = keys.key();
        if (encrypt && key.isEmpty()) {
            throw new IllegalArgumentException("--encrypt needs the archive key: give --key-file or --key-env (the key is never"
                    + " taken from the command line)");
        }
        boolean stores = stores().mysqlUrl != null || stores().clickhouseUrl != null;
        if (stores && backupDir == null) {
            throw new IllegalArgumentException("--backup-dir is needed to take backups with --mysql-url or --clickhouse-url");
        }
        EnumSet<BackupTarget> wired = EnumSet.noneOf(BackupTarget.class);
        if (stores().mysqlUrl().isPresent() && !declared.contains(BackupTarget.MYSQL)) {
            List<String> dbs = mysqlDatabases.isEmpty()
                    ? (plan.from().aspects().isPresent() ? List.of("edxapp", "superset") : List.of("edxapp")) : mysqlDatabases;
            try (Credentials credentials = Passwords.credentials(stores().mysqlUser, stores().mysqlPassword())) {
                MySqlBackup.Builder mb = MySqlBackup.using(stores().mysqlUrl, credentials)
                        .databases(dbs).listener(MySqlConnectionOptions.progressLine(out));
                key.ifPresent(mb::key);
                b.backup(BackupTarget.MYSQL, mb.build());
            }
            wired.add(BackupTarget.MYSQL);
        }
        if (!declared.contains(BackupTarget.CLICKHOUSE)) {
            stores().clickhouse().ifPresent(endpoint -> {
                ClickHouseBackup.Builder cb = ClickHouseBackup.using(endpoint).listener(MySqlConnectionOptions.progressLine(out));
                if (!stores().clickhouseDatabases.isEmpty()) {
                    cb.databases(stores().clickhouseDatabases);
                }
                key.ifPresent(cb::key);
                b.backup(BackupTarget.CLICKHOUSE, cb.build());
                wired.add(BackupTarget.CLICKHOUSE);
            });
        }
        if (backupDir != null && !dryRun) {
            if (!declared.contains(BackupTarget.MONGODB)) {
                b.backup(BackupTarget.MONGODB, MongoDbBackup.builder(runner).mode(plan.from().mode()).timeout(timeout()).build());
                wired.add(BackupTarget.MONGODB);
            }
            if (!declared.contains(BackupTarget.TUTOR_ROOT)) {
                b.backup(BackupTarget.TUTOR_ROOT, tutorRoot != null ? TutorRootBackup.of(tutorRoot) : TutorRootBackup.using(runner));
                wired.add(BackupTarget.TUTOR_ROOT);
            }
        }
        destination.ifPresent(d -> b.backupDestination(d).backupStores(store.stores()));
        key.ifPresent(k -> {
            if (backupDir == null) {
                throw new IllegalArgumentException("--key-file/--key-env seal" + (encrypt ? " and encrypt" : "")
                        + " the backups the run takes: give --backup-dir too");
            }
        });
        if (encrypt) {
            b.encryptBackupsWith(EncryptionKey.derivedFrom(key.orElseThrow()));
        }
        String user = System.getProperty("user.name", "unknown user");
        if (dryRun) {
            b.backupsTakenByHand(EnumSet.complementOf(wired), user + " (dry run: nothing is executed)");
        } else if (!yes) {
            b.backupsTakenByHand(EnumSet.complementOf(wired), user + " (answered at the terminal)");
        } else {
            b.backupsTakenByHand(declared, user + " (--backups-taken-by-hand)");
        }
        UpgradeExecutor executor = b.build();
        Set<BackupTarget> untaken = executor.untakenBackups(plan);
        if (!untaken.isEmpty()) {
            throw new IllegalArgumentException("refusing to run with --yes: nothing would back up " + names(untaken)
                    + " before the steps that migrate data. " + takers(untaken) + "; or, once you have backed them up"
                    + " yourself, add --backups-taken-by-hand " + untaken.stream().map(RunOptions::name).collect(Collectors.joining(",")));
        }
        return executor;
    }

    /** What would take each target, as CLI options. */
    private String takers(Set<BackupTarget> targets) {
        List<String> hints = new ArrayList<>();
        for (BackupTarget t : targets) {
            switch (t) {
                case MYSQL -> hints.add("--backup-dir DIR with --mysql-url URL takes mysql");
                case CLICKHOUSE -> hints.add("--backup-dir DIR with --clickhouse-url URL takes clickhouse");
                case MONGODB -> hints.add("--backup-dir DIR takes mongodb (mongodump through tutor)");
                case TUTOR_ROOT -> hints.add("--backup-dir DIR takes tutor-root (config.yml and env/)");
                case SEARCH_INDEX -> hints.add("nothing in Arborist takes search-index (search indexes are rebuilt)");
                default -> throw new IllegalStateException("unknown target " + t);
            }
        }
        return String.join("; ", hints);
    }

    /** Parses {@code --backups-taken-by-hand}: names as printed ({@code tutor-root}) or as in the plan ({@code TUTOR_ROOT}). */
    static Set<BackupTarget> targets(List<String> names) {
        Set<BackupTarget> out = EnumSet.noneOf(BackupTarget.class);
        for (String raw : names) {
            String n = raw.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                out.add(BackupTarget.valueOf(n));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown backup target '" + raw + "' in --backups-taken-by-hand (expected "
                        + names(EnumSet.allOf(BackupTarget.class)) + ")");
            }
        }
        return out;
    }

    static String name(BackupTarget t) {
        return t.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String names(Set<BackupTarget> targets) {
        return targets.stream().map(RunOptions::name).collect(Collectors.joining(", "));
    }

    private DataStoreOptions stores() {
        return stores;
    }

    private static ManualStepHandler terminal(PrintWriter out) {
        if (System.console() == null) {
            return prompt -> {
                out.println("  MANUAL: " + Printable.line(prompt.step().title())
                        + " (no terminal to ask on: run again with --yes once it is done)");
                prompt.instructions().forEach(i -> out.println("    - " + Printable.line(i)));
                out.flush();
                return false;
            };
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return prompt -> {
            out.println("  MANUAL: " + Printable.line(prompt.step().title()));
            prompt.instructions().forEach(i -> out.println("    - " + Printable.line(i)));
            prompt.commands().forEach(c -> out.println("    $ " + Printable.line(c)));
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
                out.printf(Locale.ROOT, "[%d/%d] %s: %s (elapsed %s, about %s left)%n", p.number(), p.total(),
                        Printable.line(p.step().id()), Printable.line(p.step().title()), human(p.elapsed()), human(p.remaining()));
                out.flush();
            }

            @Override
            public void stepFinished(StepProgress p, StepOutcome outcome) {
                if (outcome instanceof StepOutcome.Failed f) {
                    out.println("  FAILED: " + Printable.line(f.message()));
                } else if (outcome instanceof StepOutcome.Skipped s) {
                    out.println("[skip] " + Printable.line(s.stepId()) + ": " + Printable.line(s.reason()));
                }
                out.flush();
            }
        };
    }

    /** Prints the backups confirmed as taken by hand, from the journal. */
    static void confirmations(PrintWriter out, UpgradeJournal journal) {
        List<JournalEntry.BackupsConfirmed> confirmed = journal.entries().stream()
                .filter(e -> e instanceof JournalEntry.BackupsConfirmed).map(e -> (JournalEntry.BackupsConfirmed) e).toList();
        if (!confirmed.isEmpty()) {
            out.println("Backups taken by hand, not by Arborist (keep them too):");
            confirmed.forEach(c -> out.println("  " + Printable.line(c.stepId()) + "  " + c.targets().stream().map(RunOptions::name)
                    .collect(Collectors.joining(", ")) + "  confirmed by " + Printable.line(c.confirmedBy()) + " at " + c.at()));
        }
    }

    static String human(Duration d) {
        long m = d.toMinutes();
        return m >= 60 ? (m / 60) + " h " + (m % 60) + " min" : m > 0 ? m + " min" : d.toSeconds() + " s";
    }

    static int finish(PrintWriter out, ExecutionReport report, UpgradeJournal journal) {
        if (report.completed()) {
            out.println("Upgrade plan completed.");
            if (!report.backups().isEmpty()) {
                out.println("Backups kept (prune them once you have confirmed no data was lost):");
                report.backups().forEach(b -> out.println("  " + Printable.line(b.id()) + "  " + Printable.line(b.location().toString())));
            }
            confirmations(out, journal);
            return 0;
        }
        out.println("Stopped at " + Printable.line(report.stoppedAt().orElse("?")) + ". Fix the cause, then: arborist resume --journal "
                + Printable.line(journal.describe()));
        return 1;
    }
}
