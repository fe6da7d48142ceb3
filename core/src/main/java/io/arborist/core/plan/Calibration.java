package io.arborist.core.plan;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.report.Measure;
import io.arborist.core.report.Snapshot;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Durations measured in a rehearsal, and how much more data the real installation has: applied to a plan
 * ({@link UpgradePlan#calibrated(Calibration)}, or {@link PlanOptions#withCalibration(Calibration)} when planning),
 * they replace the catalog's estimates step by step.
 *
 * <pre>{@code
 * Calibration staging = UpgradeJournal.file(Path.of("staging.journal")).calibration()
 *         .withScale(BackupTarget.MYSQL, 3.2).withScale(BackupTarget.CLICKHOUSE, 5);
 * UpgradePlan production = planner.plan(from, to).calibrated(staging);
 * }</pre>
 *
 * <p><b>Matching.</b> A step of the plan takes the measurement of the rehearsal step with the same id and kind; failing
 * that, of a step with the same release, kind and id without its number ({@code palm-launch}: a plan whose earlier
 * steps differ numbers the same step differently); failing that, of the first rehearsal step of the same release and
 * kind not matched yet (a plan of another path: another strategy or starting point). Each measurement is used at most
 * once. Steps that match nothing keep their estimate (the catalog's).
 *
 * <p><b>Scaling.</b> Steps whose duration grows with the data are multiplied by a scale (default 1): backups (each
 * backup by the scale of its target; time not attributed to a timed backup, such as a backup taken by hand, by the
 * largest scale of the step's other targets), {@code UPGRADE}, {@code LAUNCH}, {@code MIGRATE} and {@code DATASTORE}
 * steps by the MySQL scale, {@code ASPECTS_INIT} and {@code ASPECTS_MIGRATE} steps by the ClickHouse scale. Image
 * builds and pulls, installs, configuration, checks and manual reviews are not scaled. Scales apply to measured
 * durations only: the catalog's estimates describe no particular data. Estimates are rounded to the second.
 *
 * @param measurements completed steps of the rehearsal, at most one per step id
 * @param scales data-size ratio (real installation over rehearsal) per target; a target without one has scale 1
 * @since 0.2
 */
public record Calibration(List<Measurement> measurements, Map<BackupTarget, Double> scales) {
    /** No measurements, no scales: calibrating with it changes nothing. */
    public static final Calibration NONE = new Calibration(List.of(), Map.of());

    /**
     * Validates and copies.
     *
     * @param measurements completed steps of the rehearsal, at most one per step id
     * @param scales data-size ratio (real installation over rehearsal) per target; a target without one has scale 1
     */
    public Calibration {
        measurements = List.copyOf(measurements);
        scales = Map.copyOf(scales);
        Set<String> ids = new HashSet<>();
        for (Measurement m : measurements) {
            if (!ids.add(m.stepId())) {
                throw new IllegalArgumentException("two measurements for step " + m.stepId());
            }
        }
        scales.forEach(Calibration::checkScale);
    }

    /**
     * @param measurements completed steps of a rehearsal
     * @return a calibration without scales
     */
    public static Calibration of(List<Measurement> measurements) {
        return new Calibration(measurements, Map.of());
    }

    /**
     * @param target the data the scale applies to ({@link BackupTarget#MYSQL} for platform steps,
     *     {@link BackupTarget#CLICKHOUSE} for Aspects steps, any target for its backups)
     * @param factor how many times more data the real installation has (0.5 for half as much)
     * @return a copy with that scale
     */
    public Calibration withScale(BackupTarget target, double factor) {
        return withScales(Map.of(Objects.requireNonNull(target, "target"), factor));
    }

    /**
     * @param factors scales per target; they replace this calibration's scales for the same targets
     * @return a copy with the scales
     */
    public Calibration withScales(Map<BackupTarget, Double> factors) {
        Map<BackupTarget, Double> merged = new EnumMap<>(BackupTarget.class);
        merged.putAll(scales);
        merged.putAll(factors);
        return new Calibration(measurements, merged);
    }

    /**
     * @param target a target
     * @return its scale, 1 when none was given
     */
    public double scale(BackupTarget target) {
        return scales.getOrDefault(Objects.requireNonNull(target, "target"), 1.0);
    }

    /**
     * Reads scales as the command line takes them.
     *
     * @param text e.g. {@code mysql=3.2,clickhouse=5}: target names ({@code mysql}, {@code clickhouse}, {@code mongodb},
     *     {@code search-index}, {@code tutor-root}) with positive factors, comma-separated
     * @return the scales
     * @throws ArboristException of kind CONFIGURATION naming the entry when one is malformed
     */
    public static Map<BackupTarget, Double> parseScales(String text) {
        Objects.requireNonNull(text, "text");
        Map<BackupTarget, Double> out = new EnumMap<>(BackupTarget.class);
        for (String entry : text.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw badScale(e, "write TARGET=FACTOR, e.g. mysql=3.2");
            }
            String name = e.substring(0, eq).strip().toUpperCase(Locale.ROOT).replace('-', '_');
            BackupTarget target;
            try {
                target = BackupTarget.valueOf(name);
            } catch (IllegalArgumentException ex) {
                throw badScale(e, "the target must be one of mysql, clickhouse, mongodb, search-index, tutor-root");
            }
            double factor;
            try {
                factor = Double.parseDouble(e.substring(eq + 1).strip());
            } catch (NumberFormatException ex) {
                throw badScale(e, "the factor must be a positive number, e.g. mysql=3.2");
            }
            if (!(factor > 0) || Double.isInfinite(factor)) {
                throw badScale(e, "the factor must be a positive number, e.g. mysql=3.2");
            }
            out.put(target, factor);
        }
        return out;
    }

    /**
     * Data-size ratios from two snapshots ({@link Snapshot}, as {@code arborist snapshot} writes them) of the rehearsal
     * installation and the real one. MySQL: the sum of the counts of users, enrollments, certificates, completions and
     * grades (the learner tables that make most of edxapp's size; passes are not added, being a subset of grades),
     * production's over the rehearsal's. ClickHouse: the sum of the {@code clickhouse.rows} counts (the rows of every
     * Aspects table; the per-day {@code xapi.events} counts are the same events again), production's over the
     * rehearsal's. A datastore is left out unless both snapshots count rows of it.
     *
     * @param staging a snapshot of the rehearsal's data
     * @param production a snapshot of the real installation's data
     * @return the ratios that both snapshots allow, by target
     */
    public static Map<BackupTarget, Double> scalesBetween(Snapshot staging, Snapshot production) {
        Objects.requireNonNull(staging, "staging");
        Objects.requireNonNull(production, "production");
        Map<BackupTarget, Double> out = new EnumMap<>(BackupTarget.class);
        for (BackupTarget target : List.of(BackupTarget.MYSQL, BackupTarget.CLICKHOUSE)) {
            long before = rows(staging, target);
            long after = rows(production, target);
            if (before > 0 && after > 0) {
                out.put(target, (double) after / before);
            }
        }
        return out;
    }

    /**
     * @param snapshot a snapshot
     * @param target {@link BackupTarget#MYSQL} or {@link BackupTarget#CLICKHOUSE}
     * @return the rows the snapshot counts for that datastore, as {@link #scalesBetween} adds them
     */
    public static long rows(Snapshot snapshot, BackupTarget target) {
        Set<String> areas = switch (Objects.requireNonNull(target, "target")) {
            case MYSQL -> Set.of("users", "enrollments", "certificates", "completions", "grades");
            case CLICKHOUSE -> Set.of("clickhouse.rows");
            default -> Set.of();
        };
        return snapshot.measures().stream().filter(m -> areas.contains(m.area())).mapToLong(Measure::value).sum();
    }

    /** @return e.g. {@code 3.2}, {@code 5}, {@code 2.87}: at most two decimals, no trailing zeros */
    static String format(double factor) {
        return BigDecimal.valueOf(factor).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static void checkScale(BackupTarget target, Double factor) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(factor, "factor");
        if (!(factor > 0) || factor.isInfinite()) {
            throw new IllegalArgumentException("the scale of " + target + " must be a positive number, got " + factor);
        }
    }

    private static ArboristException badScale(String entry, String what) {
        return new ArboristException(ErrorKind.CONFIGURATION, "Scale '" + entry + "' is not valid: " + what + ".");
    }
}
