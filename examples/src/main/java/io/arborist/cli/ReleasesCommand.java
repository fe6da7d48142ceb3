package io.arborist.cli;

import io.arborist.core.release.PointRelease;
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

/** {@code arborist releases}: the catalog as a table. */
@Command(name = "releases", mixinStandardHelpOptions = true, description = "Show the release catalog as a table.")
final class ReleasesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CatalogOption catalogOption = new CatalogOption();

    @picocli.CommandLine.ParentCommand
    ArboristCli parent;

    @Override
    public Integer call() {
        ReleaseCatalog catalog = catalogOption.catalog(parent.catalogOption);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Release", "#", "Released", "Points (Tutor-shipped*)", "Tutor", "Python", "Django", "MySQL", "MongoDB", "Search", "Redis"});
        for (Release r : catalog.releases()) {
            rows.add(new String[] {r.displayName(), String.valueOf(r.ordinal()), r.released().map(Object::toString).orElse("planned"),
                    r.points().stream().map(p -> p.name() + (p.shippedByTutor() ? "*" : "")).collect(Collectors.joining(" ")),
                    r.tutor().pin().toString(), r.python(), r.django().orElse("?"), r.datastores().mysql(), r.datastores().mongodb(),
                    r.datastores().search().toString(), r.datastores().redis().orElse("-")});
        }
        Table.print(spec.commandLine().getOut(), rows);
        PrintWriter out = spec.commandLine().getOut();
        out.println();
        out.println("Tags: " + catalog.releases().stream().map(r -> r.tag(lastPoint(r))).collect(Collectors.joining(", ")));
        out.println("Catalog: " + catalog.source());
        return 0;
    }

    private static PointRelease lastPoint(Release r) {
        return r.newestPoint();
    }
}
