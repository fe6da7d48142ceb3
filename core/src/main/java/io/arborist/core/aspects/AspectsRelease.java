package io.arborist.core.aspects;

import io.arborist.core.release.ReleaseName;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One tutor-contrib-aspects release and what it brings.
 *
 * @param version the version
 * @param date release date; empty when announced but not yet tagged
 * @param clickhouse default ClickHouse image version
 * @param dbt aspects-dbt branch or tag it runs
 * @param superset Superset base version
 * @param minRelease the oldest named release it supports (for example 2.5 needs Tutor 19, so Sumac)
 * @param extraSteps release-specific steps the upgrade notes require when crossing this version
 * @since 0.1
 */
public record AspectsRelease(AspectsVersion version, Optional<LocalDate> date, String clickhouse, String dbt,
                             String superset, ReleaseName minRelease, List<ExtraStep> extraSteps) {
    /**
     * Validates and copies.
     *
     * @param version the version
     * @param date release date; empty when announced but not yet tagged
     * @param clickhouse default ClickHouse image version
     * @param dbt aspects-dbt branch or tag it runs
     * @param superset Superset base version
     * @param minRelease the oldest named release it supports (for example 2.5 needs Tutor 19, so Sumac)
     * @param extraSteps release-specific steps the upgrade notes require when crossing this version
     */
    public AspectsRelease {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(clickhouse, "clickhouse");
        Objects.requireNonNull(dbt, "dbt");
        Objects.requireNonNull(superset, "superset");
        Objects.requireNonNull(minRelease, "minRelease");
        extraSteps = List.copyOf(extraSteps);
    }

    /** @return whether the version has been tagged (announced versions are planned only on request) */
    public boolean released() {
        return date.isPresent();
    }

    /**
     * A step the upgrade notes of one Aspects version add to the generic recipe.
     *
     * @param summary what it does and why
     * @param commands the commands, with the {@code {mode}} placeholder
     */
    public record ExtraStep(String summary, List<List<String>> commands) {
        /**
         * Validates and copies.
         *
         * @param summary what it does and why
         * @param commands the commands, with the {@code {mode}} placeholder
         */
        public ExtraStep {
            Objects.requireNonNull(summary, "summary");
            commands = commands.stream().map(List::copyOf).toList();
        }
    }
}
