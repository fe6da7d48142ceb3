package io.arborist.core.plan;

import io.arborist.core.internal.Shell;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The plan as one self-contained HTML page for people who do not read Markdown: summary, timeline, steps with their
 * commands, rollback notes. Nothing is loaded from anywhere (inline CSS, the timeline drawn as inline SVG, no script; a
 * Content-Security-Policy of {@code default-src 'none'} makes the browser refuse anything else), and every text taken
 * from the plan is escaped.
 */
final class PlanHtml {
    /** Width of the timeline drawing (user units; it scales with the page). */
    static final int WIDTH = 1160;
    /** Where the bars start: the step labels are left of it. */
    static final int CHART_X = 380;
    static final int CHART_WIDTH = WIDTH - CHART_X - 20;
    static final int ROW = 18;
    static final int AXIS = 26;

    private PlanHtml() {
    }

    static String render(UpgradePlan plan) {
        String from = plan.from().release().toString();
        String to = plan.to().release().toString();
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
        h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.append("<title>Upgrade plan: ").append(esc(from)).append(" to ").append(esc(to)).append("</title>\n");
        h.append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>Upgrade plan: ").append(esc(Timeline.title(from))).append(" to ").append(esc(Timeline.title(to))).append("</h1>\n");
        header(h, plan);
        summary(h, plan);
        timeline(h, Timeline.of(plan), from, to);
        if (!plan.warnings().isEmpty()) {
            h.append("<section id=\"warnings\">\n<h2>Warnings</h2>\n<ul>\n");
            plan.warnings().forEach(w -> h.append("<li>").append(esc(w)).append("</li>\n"));
            h.append("</ul>\n</section>\n");
        }
        steps(h, plan);
        rollback(h, plan);
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, UpgradePlan plan) {
        h.append("<p class=\"facts\">Strategy <b>").append(esc(plan.strategy().word())).append("</b>");
        if (plan.strategy() == Strategy.WAYPOINTS) {
            h.append(" (less conservative than stepwise: the Django migrations of all skipped releases run at once)");
        }
        h.append(" · Deployment <code>tutor ").append(esc(plan.from().mode().word())).append("</code>");
        plan.from().aspects().ifPresent(a -> h.append(" · Aspects ").append(esc(a.version().toString())).append(" to ")
                .append(esc(plan.to().aspects().map(Object::toString).orElse("?"))));
        if (plan.from().customTheme()) {
            h.append(" · Custom theme ").append(esc(plan.from().themeName().orElse("yes"))).append(" (built into the last hop only)");
        }
        h.append("</p>\n");
    }

    private static void summary(StringBuilder h, UpgradePlan plan) {
        PlanSummary s = plan.summary();
        EstimateRange range = plan.estimateRange();
        h.append("<section id=\"summary\">\n<table class=\"summary\">\n");
        h.append("<tr><th></th><th>This plan</th><th>Naive (every point release, every image)</th></tr>\n");
        row(h, "Releases crossed", s.releasesCrossed(), s.releasesCrossed());
        row(h, "Hops / point releases installed", s.hops(), s.naivePointReleases());
        row(h, "Image builds", s.imageBuilds(), s.naiveImageBuilds());
        row(h, "Official images pulled instead", s.imagePulls(), 0);
        row(h, "Image build hours", hours(s.buildTime()), hours(s.naiveBuildTime()));
        row(h, "Estimated hours, all steps", hours(s.estimate()) + " (" + hours(range.low()) + " to " + hours(range.high()) + ")", "");
        h.append("</table>\n<p>").append(esc(PlanMarkdown.estimates(plan, range))).append("</p>\n");
        plan.catalogChecked().ifPresent(c -> h.append("<p>Catalog facts checked against their sources on ").append(esc(c.toString()))
                .append(".</p>\n"));
        h.append("</section>\n");
    }

    private static void row(StringBuilder h, String what, Object plan, Object naive) {
        h.append("<tr><th>").append(esc(what)).append("</th><td>").append(esc(String.valueOf(plan))).append("</td><td>")
                .append(esc(String.valueOf(naive))).append("</td></tr>\n");
    }

    /** The timeline: one row per step under a row per hop, bars placed by start and length, hour ticks, the total. */
    private static void timeline(StringBuilder h, Timeline t, String from, String to) {
        List<Timeline.Bar> bars = t.bars();
        int rows = bars.size() + t.sections().size();
        int height = AXIS + rows * ROW + 34;
        double total = Math.max(1, t.total().getSeconds());
        h.append("<section id=\"timeline\">\n<h2>Timeline</h2>\n<p class=\"legend\">");
        for (Timeline.Category c : Timeline.Category.values()) {
            h.append("<span class=\"key ").append(c.css).append("\"></span>").append(esc(c.label)).append(" ");
        }
        h.append("</p>\n");
        h.append("<svg id=\"timeline-chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" width=\"100%\" role=\"img\" ")
                .append("aria-label=\"").append(esc("Timeline of the upgrade from " + from + " to " + to + ", " + t.range().describe()))
                .append("\">\n");
        long tick = tick(t.total().getSeconds());
        for (long at = 0; at <= t.total().getSeconds(); at += tick) {
            double x = CHART_X + at / total * CHART_WIDTH;
            h.append(String.format(Locale.ROOT, "<line class=\"tick\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x, AXIS - 6, x,
                    AXIS + rows * ROW));
            h.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%.1f\" y=\"%d\">%s</text>\n", x, AXIS - 10, clock(at)));
        }
        int y = AXIS;
        for (Timeline.Section s : t.sections()) {
            h.append("<text class=\"hop\" x=\"4\" y=\"").append(y + 13).append("\">").append(esc(s.release())).append("</text>\n");
            y += ROW;
            for (Timeline.Bar b : s.bars()) {
                double x = CHART_X + b.start().getSeconds() / total * CHART_WIDTH;
                double w = Math.max(1.5, b.length().getSeconds() / total * CHART_WIDTH);
                String label = String.format(Locale.ROOT, "%02d %s", b.number(), b.step().title());
                h.append("<text class=\"label\" x=\"16\" y=\"").append(y + 13).append("\">").append(esc(shorten(label, 56))).append("</text>");
                h.append(String.format(Locale.ROOT, "<rect class=\"bar %s\" data-step=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"13\" shape-rendering=\"crispEdges\">",
                        b.category().css, esc(b.step().id()), x, y + 2, w));
                h.append("<title>").append(esc(label + ": about " + Shell.human(b.length()) + ", " + b.source().describe()))
                        .append("</title></rect>\n");
                y += ROW;
            }
        }
        double end = CHART_X + CHART_WIDTH;
        h.append(String.format(Locale.ROOT, "<line class=\"end\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", end, AXIS - 6, end, y + 4));
        h.append("<text class=\"total\" x=\"").append(WIDTH - 20).append("\" y=\"").append(y + 22).append("\">")
                .append(esc("Total " + t.range().describe())).append("</text>\n");
        h.append("</svg>\n</section>\n");
    }

    private static void steps(StringBuilder h, UpgradePlan plan) {
        h.append("<section id=\"steps\">\n<h2>Steps</h2>\n<ol class=\"steps\">\n");
        for (UpgradeStep step : plan.steps()) {
            Timeline.Category c = Timeline.Category.of(step);
            h.append("<li class=\"step ").append(c.css).append("\" id=\"step-").append(esc(step.id())).append("\">\n");
            h.append("<h3><span class=\"check\">☐</span> ").append(esc(step.title())).append("</h3>\n");
            h.append("<p class=\"meta\"><code>").append(esc(step.kind().name())).append("</code> · ")
                    .append(esc(Timeline.title(step.release().value()))).append(" · about ").append(esc(Shell.human(step.estimate())))
                    .append(" (").append(esc(PlanMarkdown.source(step, plan.estimateSource(step.id())).replace("`", ""))).append(") · <code>")
                    .append(esc(step.id())).append("</code></p>\n");
            if (step instanceof ManualStep m) {
                h.append("<p>Manual step:</p>\n<ul class=\"todo\">\n");
                m.instructions().forEach(i -> h.append("<li>☐ ").append(esc(i)).append("</li>\n"));
                h.append("</ul>\n");
            }
            if (step instanceof BackupStep b) {
                h.append("<p>Save: ").append(esc(String.join(", ", b.targets().stream().map(x -> x.name().toLowerCase(Locale.ROOT)).toList())))
                        .append("; keep until the whole plan has completed.</p>\n");
                if (!b.covers().isEmpty()) {
                    h.append("<p>Covers: ").append(esc(String.join(", ", b.covers()))).append("</p>\n");
                }
            }
            h.append("<p class=\"why\">Why: ").append(esc(step.rationale())).append("</p>\n");
            if (!step.commands().isEmpty()) {
                h.append("<pre><code>");
                for (List<String> argv : step.commands()) {
                    h.append(esc(Shell.display(argv))).append('\n');
                }
                h.append("</code></pre>\n");
            }
            step.coveredBy().ifPresent(b -> h.append("<p>Covered by backup <code>").append(esc(b)).append("</code></p>\n"));
            step.rollback().ifPresent(r -> h.append("<p class=\"rollback\">Rollback: ").append(esc(r)).append("</p>\n"));
            h.append("</li>\n");
        }
        h.append("</ol>\n</section>\n");
    }

    private static void rollback(StringBuilder h, UpgradePlan plan) {
        h.append("<section id=\"rollback\">\n<h2>Rollback notes</h2>\n");
        h.append("<p>Every backup is kept until the whole plan has completed: an intermediate hop can turn out wrong only hops later.</p>\n");
        h.append("<table class=\"rollback\">\n<tr><th>Step</th><th>Covered by</th><th>How to undo it</th></tr>\n");
        for (UpgradeStep step : plan.steps()) {
            if (step.rollback().isPresent() || step.coveredBy().isPresent()) {
                h.append("<tr><td><code>").append(esc(step.id())).append("</code> ").append(esc(step.title())).append("</td><td>")
                        .append(step.coveredBy().map(b -> "<code>" + esc(b) + "</code>").orElse("")).append("</td><td>")
                        .append(esc(step.rollback().orElse("restore the backup that covers it"))).append("</td></tr>\n");
            }
        }
        h.append("</table>\n</section>\n");
    }

    /** @return a tick interval giving at most about 12 ticks */
    static long tick(long totalSeconds) {
        for (long t : new long[] {900, 1800, 3600, 7200, 14400, 28800, 43200}) {
            if (totalSeconds / t <= 12) {
                return t;
            }
        }
        return 86400;
    }

    private static String clock(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d", seconds / 3600, seconds % 3600 / 60);
    }

    private static String hours(Duration d) {
        return String.format(Locale.ROOT, "%.1f h", d.toMinutes() / 60.0);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** @return the text safe in HTML text and in double- or single-quoted attribute values */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(Character.isISOControl(c) && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return b.toString();
    }

    /** Bar colours: the browser test looks for them in the screenshot. */
    static final String BACKUP_COLOUR = "#2563eb";
    static final String IMAGES_COLOUR = "#9333ea";
    static final String MIGRATION_COLOUR = "#dc2626";
    static final String OTHER_COLOUR = "#16a34a";
    static final String TIMELINE_BACKGROUND = "#eef2f7";

    private static final String CSS = """
            body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1e293b; background: #ffffff; }
            main { max-width: 1200px; margin: 0 auto; padding: 12px 24px 48px; }
            h1 { font-size: 24px; margin: 8px 0; }
            h2 { font-size: 18px; margin: 20px 0 8px; }
            h3 { font-size: 15px; margin: 0 0 4px; }
            code, pre { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
            pre { background: #f8fafc; border: 1px solid #e2e8f0; padding: 8px; overflow-x: auto; white-space: pre-wrap; }
            table { border-collapse: collapse; margin: 8px 0; }
            th, td { border: 1px solid #cbd5e1; padding: 3px 8px; text-align: left; vertical-align: top; }
            .facts, .meta { color: #475569; }
            #timeline { background: %s; border-radius: 6px; padding: 8px 12px; }
            #timeline h2 { margin-top: 4px; }
            .legend .key { display: inline-block; width: 14px; height: 14px; margin: 0 4px -2px 10px; border-radius: 2px; }
            .key.backup, .bar.backup { background: %s; fill: %s; }
            .key.images, .bar.images { background: %s; fill: %s; }
            .key.migration, .bar.migration { background: %s; fill: %s; }
            .key.other, .bar.other { background: %s; fill: %s; }
            svg text { font: 11px system-ui, sans-serif; fill: #1e293b; }
            svg text.hop { font-weight: bold; font-size: 12px; }
            svg text.axis { text-anchor: middle; fill: #475569; }
            svg text.total { text-anchor: end; font-weight: bold; }
            svg line.tick { stroke: #cbd5e1; stroke-width: 1; }
            svg line.end { stroke: #0f172a; stroke-width: 2; }
            ol.steps { padding-left: 28px; }
            li.step { margin: 10px 0 14px; padding-left: 8px; border-left: 4px solid #cbd5e1; }
            li.step.backup { border-left-color: %s; }
            li.step.images { border-left-color: %s; }
            li.step.migration { border-left-color: %s; }
            li.step.other { border-left-color: %s; }
            ul.todo { list-style: none; padding-left: 12px; }
            .rollback { color: #7c2d12; }
            """.formatted(TIMELINE_BACKGROUND, BACKUP_COLOUR, BACKUP_COLOUR, IMAGES_COLOUR, IMAGES_COLOUR, MIGRATION_COLOUR, MIGRATION_COLOUR,
            OTHER_COLOUR, OTHER_COLOUR, BACKUP_COLOUR, IMAGES_COLOUR, MIGRATION_COLOUR, OTHER_COLOUR);
}
