package io.arborist.core.plan;

import io.arborist.core.internal.Markdown;
import io.arborist.core.internal.Shell;
import java.util.List;
import java.util.Locale;

/** The Markdown to-do list a person pastes into a change ticket. */
final class PlanMarkdown {
    private PlanMarkdown() {
    }

    /**
     * @param plan a plan
     * @return Markdown
     */
    public static String render(UpgradePlan plan) {
        StringBuilder md = new StringBuilder();
        String from = plan.from().release().toString();
        String to = plan.to().release().toString();
        md.append("# Upgrade plan: ").append(from).append(" to ").append(to).append("\n\n");
        md.append("- Strategy: **").append(plan.strategy().word()).append("**");
        if (plan.strategy() == io.arborist.core.plan.Strategy.WAYPOINTS) {
            md.append(" (less conservative than stepwise: Tutor runs several releases' upgrade steps in one go and the Django "
                    + "migrations of all skipped releases run at once with the newest code)");
        }
        md.append("\n- Deployment: `tutor ").append(plan.from().mode().word()).append("`\n");
        plan.from().aspects().ifPresent(a -> md.append("- Aspects: ").append(a.version()).append(" to ")
                .append(plan.to().aspects().map(Object::toString).orElse("?")).append("\n"));
        if (plan.from().customTheme()) {
            md.append("- Custom theme: ").append(Markdown.inline(plan.from().themeName().orElse("yes"))).append(" (built into the last hop only)\n");
        }
        PlanSummary s = plan.summary();
        md.append("\n| | This plan | Naive (every point release, every image) |\n|---|---|---|\n");
        md.append("| Releases crossed | ").append(s.releasesCrossed()).append(" | ").append(s.releasesCrossed()).append(" |\n");
        md.append("| Hops / point releases installed | ").append(s.hops()).append(" | ").append(s.naivePointReleases()).append(" |\n");
        md.append("| Image builds | ").append(s.imageBuilds()).append(" | ").append(s.naiveImageBuilds()).append(" |\n");
        md.append("| Official images pulled instead | ").append(s.imagePulls()).append(" | 0 |\n");
        md.append("| Image build hours | ").append(hours(s.buildTime())).append(" | ").append(hours(s.naiveBuildTime())).append(" |\n");
        EstimateRange range = plan.estimateRange();
        md.append("| Estimated hours, all steps | ").append(hours(s.estimate())).append(" (").append(hours(range.low())).append(" to ")
                .append(hours(range.high())).append(") | |\n\n");
        md.append(estimates(plan, range)).append("\n\n");
        plan.catalogChecked().ifPresent(c -> md.append("Catalog facts checked against their sources on ").append(c)
                .append(" (`arborist catalog check` compares its pins with the package index).\n\n"));
        md.append("## Timeline\n\n");
        md.append("One bar per step, a section per hop, hours from the start of the change window. Backups are tagged `active`, "
                + "image builds and pulls `done`, steps that change data `crit`; the last mark is the total.\n\n");
        md.append(PlanMermaid.render(plan)).append("\n");
        if (!plan.warnings().isEmpty()) {
            md.append("## Warnings\n\n");
            plan.warnings().forEach(w -> md.append("- ").append(Markdown.inline(w)).append("\n"));
            md.append("\n");
        }
        md.append("## Steps\n\n");
        int n = 1;
        for (UpgradeStep step : plan.steps()) {
            md.append(n++).append(". [ ] **").append(Markdown.inline(step.title())).append("** (`").append(step.kind()).append("`, ")
                    .append(title(step.release().value())).append(", about ").append(Shell.human(step.estimate())).append(", ")
                    .append(source(step, plan.estimateSource(step.id()))).append(")").append(" `").append(step.id()).append("`\n");
            if (step instanceof ManualStep m) {
                md.append("   - Manual step:\n");
                for (String item : m.instructions()) {
                    md.append("     - [ ] ").append(Markdown.inline(item)).append("\n");
                }
            }
            if (step instanceof BackupStep b) {
                md.append("   - Save: ").append(String.join(", ", b.targets().stream().map(t -> t.name().toLowerCase(Locale.ROOT)).toList()))
                        .append("; keep until the whole plan has completed.\n");
                if (!b.covers().isEmpty()) {
                    md.append("   - Covers: ").append(String.join(", ", b.covers())).append("\n");
                }
            }
            md.append("   - Why: ").append(Markdown.inline(step.rationale())).append("\n");
            if (!step.commands().isEmpty()) {
                md.append("\n   ```sh\n");
                for (List<String> argv : step.commands()) {
                    md.append("   ").append(Markdown.code(Shell.display(argv))).append("\n");
                }
                md.append("   ```\n\n");
            }
            step.coveredBy().ifPresent(c -> md.append("   - Covered by backup: `").append(c).append("`\n"));
            step.rollback().ifPresent(r -> md.append("   - Rollback: ").append(Markdown.inline(r)).append("\n"));
        }
        return md.toString();
    }

    /** @return e.g. {@code catalog} or {@code measured 4 min × 3.2 (staging `07-lilac-launch`)} */
    static String source(UpgradeStep step, EstimateSource source) {
        if (source instanceof EstimateSource.Measured m && !m.stagingStep().equals(step.id())) {
            return source.describe() + " (staging `" + m.stagingStep() + "`)";
        }
        return source.describe();
    }

    /** @return one sentence: where the estimates come from and how the range is computed */
    static String estimates(UpgradePlan plan, EstimateRange range) {
        long measured = plan.steps().stream().filter(st -> plan.estimateSource(st.id()) instanceof EstimateSource.Measured).count();
        long catalog = plan.steps().size() - measured;
        String where = measured == 0 ? "Estimates: all " + catalog + " from the catalog's table"
                : "Estimates: " + measured + " measured in a rehearsal (scaled to this installation's data where they depend on it), "
                + catalog + " from the catalog's table";
        return where + "; " + range.describe() + ". The range counts each catalog estimate from 70 % to 200 % of itself"
                + (measured == 0 ? "" : ", each measured one from 80 % to 120 %") + ".";
    }

    private static String title(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String hours(java.time.Duration d) {
        return String.format(Locale.ROOT, "%.1f h", d.toMinutes() / 60.0);
    }
}
