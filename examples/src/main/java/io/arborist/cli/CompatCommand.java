package io.arborist.cli;

import io.arborist.core.aspects.AspectsLine;
import io.arborist.core.aspects.AspectsRelease;
import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.aspects.CompatibilityVerdict;
import io.arborist.core.release.Release;
import io.arborist.core.release.ReleaseCatalog;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arborist compat}: the Aspects compatibility matrix. */
@Command(name = "compat", mixinStandardHelpOptions = true, description = "Show which Aspects lines run on which releases.")
final class CompatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CatalogOption catalogOption = new CatalogOption();

    @picocli.CommandLine.ParentCommand
    ArboristCli parent;

    @Override
    public Integer call() {
        ReleaseCatalog catalog = catalogOption.catalog(parent.catalogOption);
        List<Release> releases = catalog.releases().stream()
                .filter(r -> r.ordinal() >= catalog.aspectsLines().stream().map(AspectsLine::documentedFrom)
                        .map(catalog::release).mapToInt(Release::ordinal).min().orElse(0))
                .toList();
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("Aspects", "ClickHouse", "Newest"));
        releases.forEach(r -> header.add(r.displayName()));
        rows.add(header.toArray(String[]::new));
        for (AspectsLine line : catalog.aspectsLines()) {
            List<AspectsRelease> versions = catalog.aspectsReleases().stream().filter(a -> a.version().major() == line.major()).toList();
            AspectsVersion probe = versions.isEmpty() ? new AspectsVersion(line.major(), 0, 0) : versions.get(versions.size() - 1).version();
            List<String> row = new ArrayList<>(List.of(line.major() + ".x", line.clickhouse(),
                    versions.isEmpty() ? "-" : probe + (versions.get(versions.size() - 1).released() ? "" : " (announced)")));
            for (Release r : releases) {
                CompatibilityVerdict v = catalog.compatibility(new AspectsVersion(line.major(), 0, 0), r.name());
                row.add(v.supported() ? "yes" : v.runs() ? "tolerated" : "-");
            }
            rows.add(row.toArray(String[]::new));
        }
        PrintWriter out = spec.commandLine().getOut();
        Table.print(out, rows);
        out.println();
        out.println("yes = documented range; tolerated = known to run (release notes, README) but outside the documented range.");
        for (AspectsLine line : catalog.aspectsLines()) {
            out.println(line.major() + ".x: documented for " + line.documentedRange() + "; needs " + line.requirement() + ". Source: " + line.source());
        }
        out.println("Versions: " + catalog.aspectsReleases().stream().map(a -> a.version() + " (ClickHouse " + a.clickhouse()
                + ", from " + a.minRelease().displayName() + ")").collect(Collectors.joining(", ")));
        return 0;
    }
}
