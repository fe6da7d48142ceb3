package io.arborist.cli;

import io.arborist.core.release.CatalogCheck;
import io.arborist.core.release.ReleaseCatalog;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arborist catalog check}: compares the catalog's pins with a package index. */
@Command(name = "catalog", mixinStandardHelpOptions = true, description = "Check the release catalog against its sources.",
        subcommands = {CatalogCommand.Check.class})
final class CatalogCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose: check (see --help)");
    }

    /** {@code catalog check}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Compare the catalog's Tutor and Aspects pins with a Python package index (JSON API); exit 1 when it has newer releases.")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CatalogOption catalogOption = new CatalogOption();

        @Option(names = "--index-url", paramLabel = "URL", defaultValue = CatalogCheck.PYPI,
                description = "JSON API root of the package index (default: ${DEFAULT-VALUE}).")
        String indexUrl;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "20", description = "Per request (default: ${DEFAULT-VALUE}).")
        int timeout;

        @Override
        public Integer call() {
            ReleaseCatalog catalog = catalogOption.catalog(spec);
            URI index;
            try {
                index = URI.create(indexUrl.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid --index-url: not a URL");
            }
            if (timeout <= 0 || timeout > 600) {
                throw new IllegalArgumentException("invalid --timeout " + timeout + ": give 1 to 600 seconds");
            }
            CatalogCheck.Report report = CatalogCheck.builder().index(index).timeout(Duration.ofSeconds(timeout)).build().check(catalog);
            spec.commandLine().getOut().print(report.toText());
            return report.current() ? 0 : 1;
        }
    }
}
