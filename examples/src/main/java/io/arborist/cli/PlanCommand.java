package io.arborist.cli;

import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.plan.AspectsSetup;
import io.arborist.core.plan.Calibration;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.plan.Installation;
import io.arborist.core.plan.PlanOptions;
import io.arborist.core.plan.Strategy;
import io.arborist.core.plan.Target;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.release.Datastore;
import io.arborist.core.release.ReleaseCatalog;
import io.arborist.core.release.TutorVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arborist plan}: prints an upgrade plan. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Plan an upgrade: ordered, explained steps as Markdown (with a timeline), JSON, a shell script or an HTML page.")
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CatalogOption catalogOption = new CatalogOption();

    @Mixin
    CalibrationOptions calibrationOptions = new CalibrationOptions();

    @picocli.CommandLine.ParentCommand
    ArboristCli parent;

    @Option(names = "--from", required = true, paramLabel = "RELEASE",
            description = "Installed release: koa, koa.3, open-release/koa.3, release/teak.2, or a Tutor version such as 12.2.0.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "RELEASE", description = "Target release, same forms as --from.")
    String to;

    @Option(names = "--aspects", paramLabel = "VERSION", description = "Installed Aspects version (e.g. 1.3.2); omit if Aspects is not installed.")
    String aspects;

    @Option(names = "--aspects-to", paramLabel = "VERSION",
            description = "Target Aspects version or line (e.g. 3.0.3 or 3.x; default: newest documented for the target release).")
    String aspectsTo;

    @Option(names = "--in-context-metrics", description = "Aspects in-context (Studio) metrics are on: rebuild the mfe image with Aspects.")
    boolean inContextMetrics;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "local", description = "Tutor deployment: local, dev or k8s (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--theme", arity = "0..1", paramLabel = "NAME", fallbackValue = "",
            description = "A custom theme is baked into the openedx image (optionally its name): built in the last hop only.")
    String theme;

    @Option(names = "--custom-requirements",
            description = "The images carry customisations the official images lack (extra pip requirements, Dockerfile patches, "
                    + "own registry): build at every hop. Default: intermediate hops pull the official images, the last hop builds.")
    boolean customRequirements;

    @Option(names = "--tutor", paramLabel = "VERSION", description = "Installed Tutor version, checked against --from.")
    String tutor;

    @Option(names = "--plugin", paramLabel = "NAME", description = "Extra Tutor plugin to pin per hop (repeatable), e.g. indigo.")
    List<String> plugins = List.of();

    @Option(names = "--datastore", paramLabel = "STORE=VERSION",
            description = "A datastore version you run when it differs from the release default (repeatable), e.g. mysql=8.0.35.")
    Map<String, String> datastores = Map.of();

    @Option(names = "--strategy", paramLabel = "NAME", defaultValue = "stepwise",
            description = "stepwise (one release at a time) or waypoints (only required stops) (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "markdown", description = "markdown, json, shell or html (one self-contained page) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the plan to FILE instead of standard output.")
    Path out;

    @Override
    public Integer call() {
        ReleaseCatalog catalog = catalogOption.catalog(parent.catalogOption);
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!List.of("markdown", "md", "json", "shell", "sh", "html").contains(fmt)) {
            throw new IllegalArgumentException("unknown format '" + format + "' (expected markdown, json, shell or html)");
        }
        Installation installation = Installation.of(catalog.resolve(from)).withMode(DeploymentMode.parse(mode)).withPlugins(plugins)
                .withCustomRequirements(customRequirements);
        if (tutor != null) {
            installation = installation.withTutor(TutorVersion.parse(tutor));
        } else if (TutorVersion.looksLikeVersion(from.strip()) && Character.isDigit(from.strip().charAt(0))) {
            installation = installation.withTutor(TutorVersion.parse(from));
        }
        if (aspects != null) {
            installation = installation.withAspects(new AspectsSetup(AspectsVersion.parse(aspects), inContextMetrics));
        }
        if (theme != null) {
            installation = theme.isBlank() ? installation.withCustomTheme(true) : installation.withCustomTheme(theme);
        }
        for (Map.Entry<String, String> e : datastores.entrySet()) {
            Datastore store;
            try {
                store = Datastore.valueOf(e.getKey().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("unknown datastore '" + e.getKey() + "' in --datastore (expected mysql, mongodb, search or redis)");
            }
            installation = installation.withDatastore(store, e.getValue());
        }
        Target target = Target.of(catalog.resolve(to));
        if (aspectsTo != null) {
            target = target.withAspects(catalog.resolveAspects(aspectsTo).version());
        }
        Calibration calibration = calibrationOptions.calibration(spec.commandLine().getErr());
        UpgradePlan plan = UpgradePlanner.create(catalog).plan(installation, target,
                PlanOptions.defaults().withStrategy(Strategy.parse(strategy)).withCalibration(calibration));
        String text = switch (fmt) {
            case "json" -> plan.toJson();
            case "shell", "sh" -> plan.toShellScript();
            case "html" -> plan.toHtml();
            default -> plan.toMarkdown();
        };
        if (out == null) {
            spec.commandLine().getOut().print(text);
        } else {
            try {
                Files.writeString(out, text, StandardCharsets.UTF_8);
                if (fmt.startsWith("sh")) {
                    out.toFile().setExecutable(true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
            }
            spec.commandLine().getErr().println("arborist: wrote " + plan.steps().size() + " steps to " + out);
        }
        return 0;
    }

}
