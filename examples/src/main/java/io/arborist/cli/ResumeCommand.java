package io.arborist.cli;

import io.arborist.core.execute.ExecutionReport;
import io.arborist.core.execute.UpgradeExecutor;
import io.arborist.core.execute.UpgradeJournal;
import io.arborist.core.plan.UpgradePlan;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arborist resume}: continues a journaled run. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a run from its journal: completed steps are skipped, the interrupted step runs again.")
final class ResumeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--plan", paramLabel = "FILE", description = "Check that the journal belongs to this plan (default: the plan stored in the journal).")
    Path plan;

    @Mixin
    RunOptions options = new RunOptions();

    @Override
    public Integer call() {
        if (!Files.exists(options.journal)) {
            throw new IllegalArgumentException("journal " + options.journal + " does not exist: start a run with 'arborist run --plan FILE --journal "
                    + options.journal + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        UpgradeJournal journal = UpgradeJournal.file(options.journal);
        UpgradePlan p = plan == null ? UpgradeExecutor.plan(journal) : RunCommand.read(plan);
        UpgradeExecutor executor = options.executor(p, options.runner(out, false), journal, out, false);
        out.println("Resuming " + Printable.line(p.from().release() + " -> " + p.to().release()) + " from journal " + options.journal);
        ExecutionReport report = executor.resume(p);
        return RunOptions.finish(out, report, journal);
    }
}
