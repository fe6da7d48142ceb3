package io.arborist.core.report;

import io.arborist.core.internal.Markdown;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The no-data-loss report: every count of two snapshots, classified. A decrease, or a key present before and gone
 * after, is a {@link Change#LOSS}; an increase is {@link Change#GROWTH} (an upgrade may cause it legitimately, e.g.
 * backfilled grades); a table missing after is {@link Change#MISSING_TABLE}, reported rather than failing.
 *
 * <pre>{@code
 * SnapshotComparison report = SnapshotComparison.compare(before, after);
 * System.out.println(report.toMarkdown());
 * if (report.hasLoss()) System.exit(1);
 * }</pre>
 *
 * @param before the earlier (or source) snapshot
 * @param after the later (or restored) snapshot
 * @param differences every compared count, losses first
 * @since 0.1
 */
public record SnapshotComparison(Snapshot before, Snapshot after, List<Difference> differences) {
    /**
     * Validates and copies.
     *
     * @param before the earlier (or source) snapshot
     * @param after the later (or restored) snapshot
     * @param differences every compared count, losses first
     */
    public SnapshotComparison {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        differences = List.copyOf(differences);
    }

    /**
     * @param before the earlier (or source) snapshot
     * @param after the later (or restored) snapshot
     * @return the classified differences
     */
    public static SnapshotComparison compare(Snapshot before, Snapshot after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Map<String, Measure> b = index(before);
        Map<String, Measure> a = index(after);
        List<Difference> out = new ArrayList<>();
        for (Map.Entry<String, Measure> e : b.entrySet()) {
            Measure was = e.getValue();
            Measure now = a.get(e.getKey());
            long after1 = now == null ? 0 : now.value();
            Change c = after1 < was.value() ? Change.LOSS : after1 > was.value() ? Change.GROWTH : Change.UNCHANGED;
            out.add(new Difference(was.area(), was.key(), was.value(), after1, c));
        }
        for (Map.Entry<String, Measure> e : a.entrySet()) {
            if (!b.containsKey(e.getKey())) {
                Measure now = e.getValue();
                out.add(new Difference(now.area(), now.key(), 0, now.value(), now.value() == 0 ? Change.UNCHANGED : Change.NEW));
            }
        }
        for (String table : after.missingTables()) {
            if (!before.missingTables().contains(table)) {
                out.add(new Difference("table", table, 0, 0, Change.MISSING_TABLE));
            }
        }
        out.sort(Comparator.comparing(Difference::change).thenComparing(Difference::area).thenComparing(Difference::key));
        return new SnapshotComparison(before, after, out);
    }

    private static Map<String, Measure> index(Snapshot s) {
        Map<String, Measure> m = new LinkedHashMap<>();
        for (Measure x : s.measures()) {
            m.merge(x.area() + "\u0000" + x.key(), x, (p, q) -> new Measure(p.area(), p.key(), p.value() + q.value()));
        }
        return m;
    }

    /** @return whether any count shrank or disappeared */
    public boolean hasLoss() {
        return differences.stream().anyMatch(d -> d.change() == Change.LOSS);
    }

    /**
     * @param change a kind of change
     * @return the differences of that kind
     */
    public List<Difference> only(Change change) {
        return differences.stream().filter(d -> d.change() == change).toList();
    }

    /** @return the report as Markdown: verdict, a summary per area, then every loss, missing table and growth */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder("# No-data-loss report\n\n");
        md.append("- Before: ").append(Markdown.inline(before.source())).append(" at ").append(before.takenAt()).append('\n');
        md.append("- After: ").append(Markdown.inline(after.source())).append(" at ").append(after.takenAt()).append('\n');
        long losses = only(Change.LOSS).size();
        md.append("- Verdict: **").append(losses == 0 ? "no loss found" : losses + " loss" + (losses == 1 ? "" : "es") + " found")
                .append("**").append(only(Change.MISSING_TABLE).isEmpty() ? "" : "; " + only(Change.MISSING_TABLE).size()
                        + " missing table(s) to check by hand").append("\n\n");
        md.append("| Area | Before | After | Losses | Growth | Unchanged |\n|---|---:|---:|---:|---:|---:|\n");
        Map<String, long[]> areas = new java.util.TreeMap<>();
        for (Difference d : differences) {
            if (d.change() == Change.MISSING_TABLE) {
                continue;
            }
            long[] t = areas.computeIfAbsent(d.area(), k -> new long[5]);
            t[0] += d.before();
            t[1] += d.after();
            t[d.change() == Change.LOSS ? 2 : d.change() == Change.UNCHANGED ? 4 : 3]++;
        }
        areas.forEach((area, t) -> md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d |%n", Markdown.inline(area), t[0], t[1], t[2], t[3], t[4])));
        section(md, "Losses", Change.LOSS);
        section(md, "Missing tables", Change.MISSING_TABLE);
        section(md, "Growth (check it is expected)", Change.GROWTH);
        section(md, "New", Change.NEW);
        return md.toString();
    }

    private void section(StringBuilder md, String title, Change change) {
        List<Difference> ds = only(change);
        if (ds.isEmpty()) {
            return;
        }
        md.append("\n## ").append(title).append("\n\n");
        for (Difference d : ds) {
            md.append("- ").append(Markdown.inline(d.area())).append(' ').append(Markdown.inline(d.key()));
            if (change != Change.MISSING_TABLE) {
                md.append(": ").append(d.before()).append(" -> ").append(d.after()).append(String.format(Locale.ROOT, " (%+d)", d.delta()));
            } else {
                md.append(": present before, missing after (renamed or dropped by the upgrade?)");
            }
            md.append('\n');
        }
    }

    /** @return the report as JSON */
    public String toJson() {
        return SnapshotJson.writeComparison(this);
    }
}
