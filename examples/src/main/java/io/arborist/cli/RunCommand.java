package io.arborist.cli;

import io.arborist.core.execute.ExecutionReport;
import io.arborist.core.execute.UpgradeExecutor;
import io.arborist.core.execute.UpgradeJournal;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.spi.TutorRunner;
import io.arborist.tutor.DryRunTutorRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arborist run}: executes a plan with a journal. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a plan step by step, journaling each step so it can resume.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--plan", required = true, paramLabel = "FILE", description = "Plan JSON written by 'arborist plan --format json'.")
    Path plan;

    @Option(names = "--dry-run", description = "Record the commands instead of running them (journal kept in memory); print them as a script.")
    boolean dryRun;

    @Mixin
    RunOptions options = new RunOptions();

    @Override
    public Integer call() {
        UpgradePlan p = read(plan);
        PrintWriter out = spec.commandLine().getOut();
        TutorRunner runner = options.runner(out, dryRun);
        UpgradeJournal journal = dryRun ? UpgradeJournal.inMemory() : UpgradeJournal.file(options.journal);
        UpgradeExecutor executor = options.executor(p, runner, journal, out, dryRun);
        out.println((dryRun ? "Dry run of " : "Running ") + p.steps().size() + " steps: " + Printable.line(p.from().release() + " -> "
                + p.to().release()) + (dryRun ? " (nothing is executed; journal kept in memory)" : ", journal " + options.journal));
        ExecutionReport report = executor.execute(p);
        if (dryRun) {
            out.println();
            out.print(((DryRunTutorRunner) runner).script());
        }
        return RunOptions.finish(out, report, journal);
    }

    static UpgradePlan read(Path file) {
        return InputFiles.read(file, "plan file", "write one with 'arborist plan --format json -o " + Printable.line(file.toString()) + "'",
                UpgradePlan::fromJson);
    }
}
