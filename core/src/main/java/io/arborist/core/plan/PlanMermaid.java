package io.arborist.core.plan;

import java.time.Duration;
import java.util.Locale;

/**
 * The plan's timeline as a Mermaid {@code gantt} block (GitHub, GitLab and many ticket systems render it): one task per
 * step, a section per hop, backups tagged {@code active}, image builds and pulls {@code done}, steps that change data
 * {@code crit}, and a milestone with the total at the end.
 *
 * <p>Text from the plan is reduced to letters, digits, spaces and {@code . , ' ( ) / + _ -}: a colon ends a task's
 * title, {@code #} and {@code %%} start comments, {@code ;} ends a statement, and keywords such as {@code click} or
 * {@code section} at the start of a line change its meaning (every task title starts with its step number).
 */
final class PlanMermaid {
    private PlanMermaid() {
    }

    static String render(UpgradePlan plan) {
        Timeline t = Timeline.of(plan);
        StringBuilder m = new StringBuilder("```mermaid\ngantt\n");
        m.append("    title ").append(text(plan.from().release() + " to " + plan.to().release() + ", " + t.range().describe())).append('\n');
        m.append("    dateFormat HH:mm\n");
        m.append("    axisFormat %H:%M\n");
        String previous = null;
        for (Timeline.Section s : t.sections()) {
            m.append("    section ").append(text(s.release())).append('\n');
            for (Timeline.Bar b : s.bars()) {
                String id = id(b.number());
                m.append("    ").append(String.format(Locale.ROOT, "%02d ", b.number())).append(text(b.step().title())).append(" :");
                String tag = tag(b.category());
                if (!tag.isEmpty()) {
                    m.append(tag).append(", ");
                }
                m.append(id).append(", ").append(previous == null ? "00:00" : "after " + previous).append(", ")
                        .append(duration(b.length())).append('\n');
                previous = id;
            }
        }
        m.append("    section Total\n");
        m.append("    ").append(text("All steps " + t.range().describe())).append(" :milestone, total, ")
                .append(previous == null ? "00:00" : "after " + previous).append(", 0m\n");
        m.append("```\n");
        return m.toString();
    }

    static String tag(Timeline.Category c) {
        return switch (c) {
            case BACKUP -> "active";
            case IMAGES -> "done";
            case MIGRATION -> "crit";
            case OTHER -> "";
        };
    }

    static String id(int number) {
        return String.format(Locale.ROOT, "s%02d", number);
    }

    /** @return whole hours, minutes or seconds, as Mermaid reads them ({@code 2h}, {@code 15m}, {@code 450s}) */
    static String duration(Duration d) {
        long s = d.getSeconds();
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** @return the text with only characters that cannot change the meaning of a gantt line */
    static String text(String raw) {
        StringBuilder b = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            b.append(Character.isLetterOrDigit(c) || " .,'()/+_-".indexOf(c) >= 0 ? c : ' ');
        }
        String s = b.toString().replaceAll("\\s+", " ").strip();
        return s.isEmpty() ? "step" : s;
    }
}
