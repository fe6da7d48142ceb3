package io.arborist.cli;

import io.arborist.core.report.Snapshot;
import io.arborist.core.report.SnapshotComparison;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arborist compare}: the no-data-loss report of two snapshots. Exit status 1 when anything was lost. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two snapshots (before/after an upgrade, or source/restored copy); exit status 1 on any loss.")
final class CompareCommand implements Callable<Integer> {
    /** Exit status when the comparison finds a loss. */
    static final int LOSS = 1;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BEFORE", description = "Snapshot taken before (or of the source).")
    Path before;

    @Parameters(index = "1", paramLabel = "AFTER", description = "Snapshot taken after (or of the restored copy).")
    Path after;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "markdown", description = "markdown or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!fmt.equals("markdown") && !fmt.equals("md") && !fmt.equals("json")) {
            throw new IllegalArgumentException("unknown format '" + format + "' (expected markdown or json)");
        }
        SnapshotComparison report = SnapshotComparison.compare(read(before), read(after));
        PrintWriter out = spec.commandLine().getOut();
        out.print(fmt.equals("json") ? report.toJson() : report.toMarkdown());
        out.flush();
        return report.hasLoss() ? LOSS : 0;
    }

    static Snapshot read(Path file) {
        return InputFiles.read(file, "snapshot", "take one with 'arborist snapshot'", Snapshot::fromJson);
    }
}
