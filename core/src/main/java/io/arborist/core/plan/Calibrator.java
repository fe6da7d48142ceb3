package io.arborist.core.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;

/** Applies a {@link Calibration} to a plan: matches steps to measurements, scales, re-sums. See {@link Calibration}. */
final class Calibrator {
    /** Steps whose duration grows with the platform's (MySQL's) data. */
    static final Set<StepKind> PLATFORM_DATA = EnumSet.of(StepKind.UPGRADE, StepKind.LAUNCH, StepKind.MIGRATE, StepKind.DATASTORE);
    /** Steps whose duration grows with Aspects' (ClickHouse's) data. */
    static final Set<StepKind> ASPECTS_DATA = EnumSet.of(StepKind.ASPECTS_INIT, StepKind.ASPECTS_MIGRATE);

    private Calibrator() {
    }

    static UpgradePlan apply(UpgradePlan plan, Calibration calibration) {
        Map<String, Measurement> matched = match(plan.steps(), calibration.measurements());
        if (matched.isEmpty()) {
            return plan;
        }
        List<UpgradeStep> steps = new ArrayList<>();
        Map<String, EstimateSource.Measured> measured = new HashMap<>(plan.measuredEstimates());
        Duration total = Duration.ZERO;
        for (UpgradeStep step : plan.steps()) {
            Measurement m = matched.get(step.id());
            if (m != null) {
                long millis = scaledMillis(step, m, calibration);
                Duration estimate = Duration.ofSeconds(Math.round(millis / 1000.0));
                double factor = m.took().isZero() ? nominal(step, calibration) : (double) millis / m.took().toMillis();
                measured.put(step.id(), new EstimateSource.Measured(m.stepId(), m.took(), factor));
                step = Steps.withEstimate(step, estimate);
            }
            steps.add(step);
            total = total.plus(step.estimate());
        }
        PlanSummary s = plan.summary();
        PlanSummary summary = new PlanSummary(s.hops(), s.releasesCrossed(), s.imageBuilds(), s.imagePulls(), s.buildTime(), total,
                s.naivePointReleases(), s.naiveImageBuilds(), s.naiveBuildTime());
        return new UpgradePlan(plan.from(), plan.to(), plan.strategy(), steps, plan.warnings(), summary, plan.catalogChecked(), measured);
    }

    /** The three matching rules, in order; each measurement used once. */
    static Map<String, Measurement> match(List<UpgradeStep> steps, List<Measurement> measurements) {
        Map<String, Measurement> out = new HashMap<>();
        Set<String> used = new HashSet<>();
        List<BiPredicate<UpgradeStep, Measurement>> rules = List.of(
                (s, m) -> m.stepId().equals(s.id()) && m.kind() == s.kind(),
                (s, m) -> sameReleaseAndKind(s, m) && m.idWithoutNumber().equals(Measurement.withoutNumber(s.id())),
                Calibrator::sameReleaseAndKind);
        for (BiPredicate<UpgradeStep, Measurement> rule : rules) {
            for (UpgradeStep step : steps) {
                if (out.containsKey(step.id())) {
                    continue;
                }
                Optional<Measurement> hit = measurements.stream().filter(m -> !used.contains(m.stepId()) && rule.test(step, m)).findFirst();
                hit.ifPresent(m -> {
                    out.put(step.id(), m);
                    used.add(m.stepId());
                });
            }
        }
        return out;
    }

    private static boolean sameReleaseAndKind(UpgradeStep s, Measurement m) {
        return m.kind() == s.kind() && m.release().equals(s.release());
    }

    /** The measured duration times its scale, in milliseconds. */
    static long scaledMillis(UpgradeStep step, Measurement m, Calibration c) {
        if (!(step instanceof BackupStep backup)) {
            return Math.round(m.took().toMillis() * nominal(step, c));
        }
        double scaled = 0;
        long attributed = 0;
        Set<BackupTarget> timed = EnumSet.noneOf(BackupTarget.class);
        for (Measurement.Backup b : m.backups()) {
            if (b.took().isPresent()) {
                long t = b.took().get().toMillis();
                attributed += t;
                scaled += t * c.scale(b.target());
                timed.add(b.target());
            }
        }
        long rest = Math.max(0, m.took().toMillis() - attributed);
        double restScale = backup.targets().stream().filter(t -> !timed.contains(t)).mapToDouble(c::scale).max().orElse(1.0);
        return Math.round(scaled + rest * restScale);
    }

    /** The scale of a step that is not a backup: by the data its kind works on. */
    static double nominal(UpgradeStep step, Calibration c) {
        if (PLATFORM_DATA.contains(step.kind())) {
            return c.scale(BackupTarget.MYSQL);
        }
        if (ASPECTS_DATA.contains(step.kind())) {
            return c.scale(BackupTarget.CLICKHOUSE);
        }
        return 1.0;
    }
}
