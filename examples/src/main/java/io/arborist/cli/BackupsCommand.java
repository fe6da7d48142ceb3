package io.arborist.cli;

import io.arborist.core.backup.store.ArchiveSummary;
import io.arborist.core.backup.store.BackupCatalog;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.PruneResult;
import io.arborist.core.backup.store.PruneRule;
import io.arborist.core.execute.UpgradeJournal;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arborist backups list|prune DEST}: the archives under a local directory or an S3 prefix. */
@Command(name = "backups", mixinStandardHelpOptions = true, description = "List or prune the backups under a directory or s3://BUCKET/PREFIX.",
        subcommands = {BackupsCommand.ListCommand.class, BackupsCommand.PruneCommand.class})
final class BackupsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose list or prune (see arborist backups --help)");
    }

    /** Where and how to reach the destination. */
    static final class Where {
        @Parameters(index = "0", paramLabel = "DEST", description = "A directory or s3://BUCKET/PREFIX.")
        String destination;

        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Option(names = "--journal", paramLabel = "FILE", description = "A run journal whose backups are never pruned (repeatable).")
        List<Path> journals = new ArrayList<>();

        BackupStore open() {
            return store.open(destination, true);
        }

        BackupCatalog catalog(BackupStore store) {
            BackupCatalog.Builder b = BackupCatalog.builder(store);
            for (Path j : journals) {
                if (!Files.isRegularFile(j)) {
                    throw new IllegalArgumentException("journal " + j + " does not exist");
                }
                b.journal(UpgradeJournal.file(j));
            }
            return b.build();
        }
    }

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    static String line(ArchiveSummary a) {
        return String.format(Locale.ROOT, "%-8s %s UTC %10s %6d objects  %s%s%s", a.complete() ? "complete" : "PARTIAL",
                WHEN.format(a.created()), size(a.bytes()), a.objects(), Printable.line(a.location().toString()),
                a.encrypted() ? "  encrypted" : "",
                a.referencedBy().isEmpty() ? "" : "  referenced by " + Printable.line(String.join(", ", a.referencedBy())));
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code backups list DEST}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List complete and partial backups, newest first.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        Where where = new Where();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (BackupStore store = where.open()) {
                List<ArchiveSummary> all = where.catalog(store).list();
                all.forEach(a -> out.println(line(a)));
                long partial = all.stream().filter(a -> !a.complete()).count();
                out.println(all.size() - partial + " complete, " + partial + " partial under " + Printable.line(store.destination().toString()));
            }
            out.flush();
            return 0;
        }
    }

    /** {@code backups prune DEST}. */
    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = "Remove complete backups older than --older-than and beyond the --keep newest (both when both are given);"
                    + " partial ones only with --partial. Never one a --journal references.")
    static final class PruneCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        Where where = new Where();

        @Option(names = "--older-than", paramLabel = "AGE", description = "An age: 30d, 12h, 90m or ISO-8601 (P30D).")
        String olderThan;

        @Option(names = "--keep", paramLabel = "N", description = "Keep the N newest complete backups.")
        Integer keep;

        @Option(names = "--partial", description = "Also remove partial backups and unfinished uploads.")
        boolean partial;

        @Option(names = "--dry-run", description = "Show what would be removed; remove nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            PruneRule rule = new PruneRule(Optional.ofNullable(olderThan).map(PruneCommand::age),
                    keep == null ? OptionalInt.empty() : OptionalInt.of(keep), partial, dryRun);
            PrintWriter out = spec.commandLine().getOut();
            try (BackupStore store = where.open()) {
                PruneResult r = where.catalog(store).prune(rule);
                String verb = r.dryRun() ? "would remove " : "removed ";
                r.removed().forEach(a -> out.println(verb + line(a)));
                r.kept().forEach(a -> out.println("kept    " + line(a)));
                out.println((r.dryRun() ? "Dry run: would remove " : "Removed ") + r.removed().size() + ", kept " + r.kept().size() + ".");
            }
            out.flush();
            return 0;
        }

        static Duration age(String text) {
            String t = text.strip().toLowerCase(Locale.ROOT);
            try {
                if (t.startsWith("p")) {
                    return Duration.parse(t.toUpperCase(Locale.ROOT));
                }
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                Duration d = switch (t.charAt(t.length() - 1)) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> throw new NumberFormatException();
                };
                if (n < 0 || n > 36_500L * 24 * 60) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--older-than '" + Printable.line(text, 40) + "' is not an age; write 30d, 12h, 90m or P30D");
            }
        }
    }
}
