package io.arborist.core.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A plan laid out in time for the Mermaid and HTML renderers: the steps one after another from the start of the window,
 * grouped into sections of consecutive steps of one release (a hop), each in one category.
 *
 * @param sections hops in order
 * @param total the sum of the estimates (where the last bar ends)
 * @param range the plan's estimate range
 */
record Timeline(List<Section> sections, Duration total, EstimateRange range) {
    /** How a bar is drawn. */
    enum Category {
        /** Backup steps. */
        BACKUP("backup", "Backups"),
        /** Image builds and pulls. */
        IMAGES("images", "Image builds and pulls"),
        /** Steps that change stored data: migrations, datastore upgrades, Aspects migrations. */
        MIGRATION("migration", "Steps that change data (migrations)"),
        /** Everything else: installs, configuration, checks, reviews. */
        OTHER("other", "Other steps");

        final String css;
        final String label;

        Category(String css, String label) {
            this.css = css;
            this.label = label;
        }

        static Category of(UpgradeStep step) {
            if (step.kind() == StepKind.BACKUP) {
                return BACKUP;
            }
            if (step.kind() == StepKind.BUILD_IMAGES || step.kind() == StepKind.PULL_IMAGES) {
                return IMAGES;
            }
            return step.migratesData() ? MIGRATION : OTHER;
        }
    }

    /**
     * @param number 1-based position in the plan
     * @param step the step
     * @param category how it is drawn
     * @param start when it starts, from the start of the window
     * @param source where its estimate comes from
     */
    record Bar(int number, UpgradeStep step, Category category, Duration start, EstimateSource source) {
        Duration length() {
            return step.estimate();
        }

        Duration end() {
            return start.plus(step.estimate());
        }
    }

    /**
     * @param release the release title, e.g. {@code Palm}
     * @param bars its steps
     */
    record Section(String release, List<Bar> bars) {
    }

    static Timeline of(UpgradePlan plan) {
        List<Section> sections = new ArrayList<>();
        List<Bar> current = new ArrayList<>();
        String release = null;
        Duration at = Duration.ZERO;
        int n = 1;
        for (UpgradeStep step : plan.steps()) {
            String r = title(step.release().value());
            if (release != null && !release.equals(r)) {
                sections.add(new Section(release, List.copyOf(current)));
                current.clear();
            }
            release = r;
            current.add(new Bar(n++, step, Category.of(step), at, plan.estimateSource(step.id())));
            at = at.plus(step.estimate());
        }
        if (release != null) {
            sections.add(new Section(release, List.copyOf(current)));
        }
        return new Timeline(List.copyOf(sections), at, plan.estimateRange());
    }

    List<Bar> bars() {
        return sections.stream().flatMap(s -> s.bars().stream()).toList();
    }

    static String title(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
