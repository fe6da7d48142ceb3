package io.arborist.core.plan;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An ordered, explained upgrade plan: immutable, serialisable, and the input of the executor. Render it as JSON
 * ({@link #toJson()}, read back with {@link #fromJson(String)}), as a Markdown to-do list for a change ticket
 * ({@link #toMarkdown()}, with a Mermaid timeline), as one self-contained HTML page ({@link #toHtml()}) or as a POSIX
 * shell script that previews the commands ({@link #toShellScript()}).
 *
 * <p>JSON contract (format 2): a top-level object with {@code from} and {@code to} (release codenames),
 * {@code installation}, {@code target}, {@code strategy}, {@code summary}, {@code warnings} and {@code steps}.
 * Every step has {@code id}, {@code kind} (a {@link StepKind} name), {@code release}, {@code title},
 * {@code commands} (a list of argv lists, possibly empty), a non-empty {@code rationale}, {@code estimate}
 * (ISO-8601), {@code migratesData}, and where they apply {@code rollback}, {@code coveredBy}; backup steps add
 * {@code targets} and {@code covers}; manual steps add {@code manual: true} and {@code instructions}; steps whose
 * estimate was measured in a rehearsal add {@code measured} ({@code stagingStep}, {@code took}, {@code scale}). The
 * summary adds {@code estimateLow} and {@code estimateHigh}, the ends of {@link #estimateRange()}.
 *
 * @param from the installation the plan starts from
 * @param to the resolved target (the Aspects version filled in when Aspects is installed)
 * @param strategy how it climbs
 * @param steps the steps in order
 * @param warnings facts the operator must know that no step covers
 * @param summary figures, including the naive path's cost
 * @param catalogChecked the day the catalog's facts were last checked against their sources, when known
 * @param measuredEstimates the steps whose estimate was measured in a rehearsal ({@link #calibrated(Calibration)}), by
 *     step id; the other steps' estimates are the catalog's
 * @since 0.1
 */
public record UpgradePlan(Installation from, Target to, Strategy strategy, List<UpgradeStep> steps, List<String> warnings,
                          PlanSummary summary, Optional<LocalDate> catalogChecked,
                          Map<String, EstimateSource.Measured> measuredEstimates) {
    /**
     * Validates and copies.
     *
     * @param from the installation the plan starts from
     * @param to the resolved target (the Aspects version filled in when Aspects is installed)
     * @param strategy how it climbs
     * @param steps the steps in order
     * @param warnings facts the operator must know that no step covers
     * @param summary figures, including the naive path's cost
     * @param catalogChecked the day the catalog's facts were last checked against their sources, when known
     * @param measuredEstimates the steps whose estimate was measured in a rehearsal ({@link #calibrated(Calibration)}), by
     *     step id; the other steps' estimates are the catalog's
     */
    public UpgradePlan {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(strategy, "strategy");
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(catalogChecked, "catalogChecked");
        Set<String> ids = steps.stream().map(UpgradeStep::id).collect(Collectors.toSet());
        if (ids.size() != steps.size()) {
            throw new IllegalArgumentException("step ids must be unique");
        }
        measuredEstimates = Map.copyOf(measuredEstimates);
        for (String id : measuredEstimates.keySet()) {
            if (!ids.contains(id)) {
                throw new IllegalArgumentException("measured estimate for step " + id + ", which the plan does not have");
            }
        }
    }

    /**
     * A plan whose estimates are all the catalog's.
     *
     * @param from the installation the plan starts from
     * @param to the resolved target
     * @param strategy how it climbs
     * @param steps the steps in order
     * @param warnings facts the operator must know that no step covers
     * @param summary figures
     * @param catalogChecked the day the catalog's facts were last checked, when known
     */
    public UpgradePlan(Installation from, Target to, Strategy strategy, List<UpgradeStep> steps, List<String> warnings,
                       PlanSummary summary, Optional<LocalDate> catalogChecked) {
        this(from, to, strategy, steps, warnings, summary, catalogChecked, Map.of());
    }

    /**
     * The same plan with the estimates measured in a rehearsal, scaled to this installation's data: see
     * {@link Calibration} for how steps are matched and which ones scale. The summary's estimate is re-summed; image
     * build figures stay the catalog's, to compare with the naive path on equal terms.
     *
     * @param calibration measurements and scales
     * @return the calibrated plan (this plan when no step matches a measurement)
     */
    public UpgradePlan calibrated(Calibration calibration) {
        return Calibrator.apply(this, Objects.requireNonNull(calibration, "calibration"));
    }

    /**
     * @param stepId a step id
     * @return where the step's estimate comes from: {@link EstimateSource#CATALOG} unless it was measured
     */
    public EstimateSource estimateSource(String stepId) {
        Objects.requireNonNull(stepId, "stepId");
        EstimateSource.Measured m = measuredEstimates.get(stepId);
        return m != null ? m : EstimateSource.CATALOG;
    }

    /**
     * @return the sum of the estimates with its range: each catalog estimate counts from 70 % to 200 % of itself,
     *     each measured one from 80 % to 120 %
     */
    public EstimateRange estimateRange() {
        EstimateRange sum = EstimateRange.ZERO;
        for (UpgradeStep s : steps) {
            sum = sum.plus(EstimateRange.of(s.estimate(), estimateSource(s.id())));
        }
        return sum;
    }

    /**
     * @param id a step id
     * @return the step, if the plan has it
     */
    public Optional<UpgradeStep> step(String id) {
        Objects.requireNonNull(id, "id");
        return steps.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** @return the backup steps, in order */
    public List<BackupStep> backups() {
        return steps.stream().filter(s -> s instanceof BackupStep).map(s -> (BackupStep) s).toList();
    }

    /** @return the plan as stable, indented JSON (format 2; format 1 plans are still read) */
    public String toJson() {
        return PlanJson.write(this);
    }

    /**
     * Reads a plan written by {@link #toJson()}.
     *
     * @param json plan JSON
     * @return the plan, equal to the one written
     * @throws io.arborist.core.ArboristException of kind CONFIGURATION naming the field when the JSON is not a plan
     */
    public static UpgradePlan fromJson(String json) {
        return PlanJson.read(Objects.requireNonNull(json, "json"));
    }

    /**
     * @return a numbered Markdown to-do list with checkboxes, estimates and their sources, rationale and rollback notes,
     *     after a Mermaid {@code gantt} timeline of the steps grouped by hop
     */
    public String toMarkdown() {
        return PlanMarkdown.render(this);
    }

    /**
     * @return one self-contained HTML page (inline CSS, the timeline drawn as inline SVG, nothing loaded from anywhere)
     *     with the summary, the timeline, every step with its commands, and the rollback notes; all plan text is escaped
     */
    public String toHtml() {
        return PlanHtml.render(this);
    }

    /**
     * @return a POSIX shell script of the plan's commands. It only prints them unless run with
     *     {@code ARBORIST_EXECUTE=1}; configuration values are looked up at run time, never written into it.
     */
    public String toShellScript() {
        return PlanShell.render(this);
    }

    @Override
    public String toString() {
        return "UpgradePlan[" + from.release() + " -> " + to.release() + ", " + strategy.word() + ", " + steps.size() + " steps]";
    }
}
