package io.arborist.cli;

import io.arborist.core.release.ReleaseCatalog;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The shared {@code --catalog} option: overlay files merged into the bundled catalog, in order. */
final class CatalogOption {
    @Option(names = "--catalog", paramLabel = "FILE",
            description = "Catalog overlay (JSON) that adds releases or corrects facts; repeatable, applied in order.")
    List<Path> overlays = List.of();

    /**
     * @param spec the running command
     * @return the bundled catalog with the overlays given before the subcommand, then this command's, merged in
     */
    ReleaseCatalog catalog(picocli.CommandLine.Model.CommandSpec spec) {
        return catalog(((ArboristCli) spec.root().userObject()).catalogOption);
    }

    /**
     * @param global the options given before the subcommand ({@code arborist --catalog F plan ...})
     * @return the bundled catalog with the global overlays, then this command's, merged in
     */
    ReleaseCatalog catalog(CatalogOption global) {
        ReleaseCatalog c = ReleaseCatalog.bundled();
        for (Path p : global.overlays) {
            c = c.overlay(p);
        }
        for (Path p : overlays) {
            c = c.overlay(p);
        }
        return c;
    }
}
