package io.arborist.cli;

import io.arborist.core.execute.ExecutionReport;
import io.arborist.core.execute.TimeLeft;
import io.arborist.core.plan.EstimateSource;
import io.arborist.core.execute.StepOutcome;
import io.arborist.core.execute.UpgradeExecutor;
import io.arborist.core.execute.UpgradeJournal;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradeStep;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arborist status}: what a journal says. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the progress recorded in a journal and the time left (--calibrate: from a rehearsal's durations).")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--journal", required = true, paramLabel = "FILE", description = "Journal file.")
    Path journal;

    @Mixin
    CalibrationOptions calibrationOptions = new CalibrationOptions();

    @Override
    public Integer call() {
        if (!Files.exists(journal)) {
            throw new IllegalArgumentException("journal " + journal + " does not exist");
        }
        UpgradeJournal j = UpgradeJournal.file(journal);
        UpgradePlan plan = UpgradeExecutor.plan(j).calibrated(calibrationOptions.calibration(spec.commandLine().getErr()));
        ExecutionReport report = UpgradeExecutor.status(j);
        Map<String, StepOutcome> outcomes = new HashMap<>();
        report.outcomes().forEach(o -> outcomes.put(o.stepId(), o));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Plan " + Printable.line(plan.from().release() + " -> " + plan.to().release()) + " (" + plan.strategy().word() + ", "
                + plan.steps().size() + " steps), journal " + journal);
        int done = 0;
        for (UpgradeStep s : plan.steps()) {
            StepOutcome o = outcomes.get(s.id());
            String mark = o instanceof StepOutcome.Completed c ? "done  " + RunOptions.human(c.took())
                    : o instanceof StepOutcome.Failed f ? "FAILED: " + Printable.line(f.message())
                    : "pending (about " + RunOptions.human(s.estimate()) + ", " + plan.estimateSource(s.id()).describe() + ")";
            if (o instanceof StepOutcome.Completed) {
                done++;
            }
            out.println(String.format("  %-40s %s", Printable.line(s.id()), mark));
        }
        out.println(report.completed() ? "Completed." : done + " of " + plan.steps().size() + " steps done; next: "
                + Printable.line(report.stoppedAt().orElse("?")) + " (arborist resume --journal " + journal + ")");
        if (!report.completed()) {
            TimeLeft left = UpgradeExecutor.timeLeft(j, plan, Instant.now());
            long measured = plan.steps().stream().filter(st -> plan.estimateSource(st.id()) instanceof EstimateSource.Measured).count();
            out.println("Time left: " + left.remaining().describe() + " for " + left.steps() + " step(s), from "
                    + (measured == 0 ? "the catalog's estimates" : "estimates measured in a rehearsal (" + measured + " of "
                    + plan.steps().size() + " steps; the others the catalog's)")
                    + left.running().map(r -> "; " + Printable.line(r) + " started " + RunOptions.human(left.runningFor()) + " ago and has not ended").orElse(""));
        }
        if (!report.backups().isEmpty()) {
            out.println("Backups kept:");
            report.backups().forEach(b -> out.println("  " + Printable.line(b.id()) + "  " + Printable.line(b.location().toString()) + "  "
                    + b.bytes() + " bytes" + (b.rows().isPresent() ? ", " + b.rows().getAsLong() + " rows" : "")));
        }
        RunOptions.confirmations(out, j);
        return 0;
    }
}
