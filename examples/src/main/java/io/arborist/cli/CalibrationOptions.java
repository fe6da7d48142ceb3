package io.arborist.cli;

import io.arborist.core.execute.UpgradeJournal;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.Calibration;
import io.arborist.core.plan.Measurement;
import io.arborist.core.report.Snapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * {@code --calibrate JOURNAL}, {@code --scale TARGET=FACTOR,...}, {@code --scale-from}/{@code --scale-to SNAPSHOT}: the
 * durations of a rehearsal's journal, scaled to the real installation's data, replace the catalog's estimates.
 */
final class CalibrationOptions {
    @Option(names = "--calibrate", paramLabel = "JOURNAL",
            description = "Journal of a rehearsal run (arborist run --journal): its measured durations replace the catalog's estimates.")
    Path journal;

    @Option(names = "--scale", paramLabel = "TARGET=FACTOR[,...]",
            description = "How many times more data this installation has than the rehearsal's, e.g. mysql=3.2,clickhouse=5 "
                    + "(with --calibrate). Backups and migrations scale; image builds and pulls do not.")
    List<String> scales = List.of();

    @Option(names = "--scale-from", paramLabel = "SNAPSHOT",
            description = "Snapshot of the rehearsal's data (arborist snapshot); with --scale-to, the scales are the ratios of their counts.")
    Path scaleFrom;

    @Option(names = "--scale-to", paramLabel = "SNAPSHOT", description = "Snapshot of this installation's data (see --scale-from).")
    Path scaleTo;

    /**
     * @param err where to say what was measured and scaled
     * @return the calibration the options ask for; {@link Calibration#NONE} without {@code --calibrate}
     */
    Calibration calibration(PrintWriter err) {
        if (journal == null) {
            if (!scales.isEmpty() || scaleFrom != null || scaleTo != null) {
                throw new IllegalArgumentException("--scale, --scale-from and --scale-to need --calibrate JOURNAL: scales apply to the "
                        + "durations measured in a rehearsal");
            }
            return Calibration.NONE;
        }
        if (!Files.isRegularFile(journal)) {
            throw new IllegalArgumentException("--calibrate: journal " + journal + " does not exist; give the journal of the rehearsal run "
                    + "(arborist run --journal FILE)");
        }
        if ((scaleFrom == null) != (scaleTo == null)) {
            throw new IllegalArgumentException("--scale-from and --scale-to go together: a snapshot of the rehearsal's data and one of "
                    + "this installation's");
        }
        Calibration c = UpgradeJournal.file(journal).calibration();
        Map<BackupTarget, String> why = new EnumMap<>(BackupTarget.class);
        if (scaleFrom != null) {
            Snapshot staging = snapshot(scaleFrom, "--scale-from");
            Snapshot production = snapshot(scaleTo, "--scale-to");
            Map<BackupTarget, Double> derived = Calibration.scalesBetween(staging, production);
            derived.forEach((t, f) -> why.put(t, String.format(Locale.ROOT, "%,d / %,d rows counted", Calibration.rows(production, t),
                    Calibration.rows(staging, t))));
            c = c.withScales(derived);
        }
        Map<BackupTarget, Double> explicit = new EnumMap<>(BackupTarget.class);
        scales.forEach(s -> explicit.putAll(Calibration.parseScales(s)));
        explicit.keySet().forEach(t -> why.put(t, "--scale"));
        c = c.withScales(explicit);
        List<String> unscaled = new ArrayList<>();
        if (scaleFrom != null) {
            for (BackupTarget t : List.of(BackupTarget.MYSQL, BackupTarget.CLICKHOUSE)) {
                if (!c.scales().containsKey(t)) {
                    unscaled.add(name(t) + " is not scaled: the two snapshots do not both count its rows (give --scale " + name(t) + "=FACTOR)");
                }
            }
        }
        err.println("arborist: estimates measured in " + journal + " (" + c.measurements().size() + " completed steps); scales: "
                + scales(c, why));
        unscaled.forEach(u -> err.println("arborist: " + u));
        String volumes = volumes(c.measurements());
        if (!volumes.isEmpty()) {
            err.println("arborist: the rehearsal's last backups: " + volumes);
        }
        return c;
    }

    private static String scales(Calibration c, Map<BackupTarget, String> why) {
        if (c.scales().isEmpty()) {
            return "none (every measured duration is used as it is)";
        }
        return c.scales().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> name(e.getKey()) + " x" + String.format(Locale.ROOT, "%.2f", e.getValue()) + " (" + why.get(e.getKey()) + ")")
                .collect(Collectors.joining(", "));
    }

    /** @return what the rehearsal's last backup of each target held, which the scales multiply */
    private static String volumes(List<Measurement> measurements) {
        Map<BackupTarget, Measurement.Backup> last = new EnumMap<>(BackupTarget.class);
        measurements.forEach(m -> m.backups().forEach(b -> last.put(b.target(), b)));
        List<String> out = new ArrayList<>();
        last.forEach((t, b) -> out.add(name(t) + " " + (b.rows().isPresent() ? String.format(Locale.ROOT, "%,d rows, ", b.rows().getAsLong()) : "")
                + (b.bytes() >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", b.bytes() / 1073741824.0)
                        : String.format(Locale.ROOT, "%.1f MiB", b.bytes() / 1048576.0))
                + b.took().map(d -> " in " + RunOptions.human(d)).orElse("")));
        return String.join("; ", out);
    }

    private static Snapshot snapshot(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + ": snapshot " + file + " does not exist; write one with arborist snapshot --out FILE");
        }
        try {
            return Snapshot.fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String name(BackupTarget t) {
        return t.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
