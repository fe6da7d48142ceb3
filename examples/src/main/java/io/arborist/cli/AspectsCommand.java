package io.arborist.cli;

import io.arborist.clickhouse.AspectsSchemaTool;
import io.arborist.clickhouse.RemovalPlan;
import io.arborist.clickhouse.RenamePlan;
import io.arborist.clickhouse.RenameStatus;
import io.arborist.core.aspects.DeprecatedModels;
import io.arborist.core.aspects.RewriteResult;
import io.arborist.core.aspects.SchemaRenameMap;
import io.arborist.core.aspects.SqlReferenceRewriter;
import io.arborist.core.aspects.TableRename;
import io.arborist.core.release.ReleaseCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arborist aspects}: the Aspects schema-rename tools. */
@Command(name = "aspects", mixinStandardHelpOptions = true, description = "Aspects schema renames: map, SQL rewrite, server inspection and apply.",
        subcommands = {AspectsCommand.Renames.class, AspectsCommand.Rewrite.class, AspectsCommand.Inspect.class, AspectsCommand.ApplyRenames.class,
            AspectsCommand.RemoveDeprecated.class})
final class AspectsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose: renames, rewrite, inspect, apply-renames or remove-deprecated (see --help)");
    }

    static final class Versions {
        @Option(names = "--from", paramLabel = "MAJOR", description = "Old Aspects major (default: 1).")
        int from = 1;

        @Option(names = "--to", paramLabel = "MAJOR", description = "New Aspects major (default: 2).")
        int to = 2;

        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Mixin
        CatalogOption catalogOption = new CatalogOption();

        ReleaseCatalog catalog() {
            return catalogOption.catalog(mixee);
        }

        SchemaRenameMap map() {
            SchemaRenameMap m = SchemaRenameMap.from(catalog(), from, to);
            if (m.entries().isEmpty()) {
                throw new IllegalArgumentException("the catalog has no rename map from Aspects " + from + " to " + to);
            }
            return m;
        }
    }

    /** {@code aspects renames}. */
    @Command(name = "renames", mixinStandardHelpOptions = true, description = "Print the rename map.")
    static final class Renames implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Versions versions = new Versions();

        @Override
        public Integer call() {
            PrintWriter o = spec.commandLine().getOut();
            for (TableRename r : versions.map().entries()) {
                o.printf("%-45s -> %s%s%n", r.oldTable(), r.newTable().orElse("DEPRECATED"), r.note().isEmpty() ? "" : "  (" + r.note() + ")");
            }
            return 0;
        }
    }

    /** {@code aspects rewrite FILES}. */
    @Command(name = "rewrite", mixinStandardHelpOptions = true, description = "Rewrite table references in dbt models / SQL files; report deprecated ones.")
    static final class Rewrite implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Versions versions = new Versions();

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "SQL files.")
        List<Path> files;

        @Option(names = "--in-place", description = "Write the rewritten files back (default: print them).")
        boolean inPlace;

        @Override
        public Integer call() {
            SqlReferenceRewriter rw = SqlReferenceRewriter.builder().renames(versions.map()).alsoDeprecated(DeprecatedModels.latest(versions.catalog())).build();
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter e = spec.commandLine().getErr();
            int deprecated = 0;
            for (Path f : files) {
                try {
                    RewriteResult r = rw.rewrite(Files.readString(f, StandardCharsets.UTF_8));
                    r.replacements().forEach(x -> e.println(f + ":" + x));
                    r.deprecated().forEach(x -> e.println(f + ":" + x));
                    deprecated += r.deprecated().size();
                    if (inPlace) {
                        if (r.changed()) {
                            Files.writeString(f, r.sql(), StandardCharsets.UTF_8);
                        }
                    } else {
                        o.print(r.sql());
                    }
                } catch (IOException ex) {
                    throw new UncheckedIOException("cannot rewrite " + f + ": " + ex.getMessage(), ex);
                }
            }
            e.flush();
            return deprecated == 0 ? 0 : 3;
        }
    }

    /** {@code aspects inspect}. */
    @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Compare a live server with the rename map.")
    static final class Inspect implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClickHouseConnection connection = new ClickHouseConnection();

        @Mixin
        Versions versions = new Versions();

        @Override
        public Integer call() {
            PrintWriter o = spec.commandLine().getOut();
            for (RenameStatus s : AspectsSchemaTool.builder(connection.endpoint()).renames(versions.map()).build().inspect()) {
                o.printf("%-10s %-45s old=%s new=%s%s%n", s.state(), s.entry(), s.oldPresent() ? "yes" : "no", s.newPresent() ? "yes" : "no",
                        s.dependents().isEmpty() ? "" : " used by " + s.dependents());
            }
            return 0;
        }
    }

    /** {@code aspects apply-renames}. */
    @Command(name = "apply-renames", mixinStandardHelpOptions = true, description = "RENAME TABLE old to new (dry run unless --apply).")
    static final class ApplyRenames implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClickHouseConnection connection = new ClickHouseConnection();

        @Mixin
        Versions versions = new Versions();

        @Option(names = "--apply", description = "Run the statements (default: dry run).")
        boolean apply;

        @Override
        public Integer call() {
            RenamePlan p = AspectsSchemaTool.builder(connection.endpoint()).renames(versions.map()).build().applyRenames(apply);
            PrintWriter o = spec.commandLine().getOut();
            o.println(p.noOp() ? "-- nothing to rename" : p.applied() ? "-- applied:" : "-- dry run; would run (add --apply):");
            p.statements().forEach(s -> o.println(s + ";"));
            if (!p.inverse().isEmpty()) {
                o.println("-- rollback:");
                p.inverse().forEach(s -> o.println(s + ";"));
            }
            p.notes().forEach(n -> o.println("-- note: " + n));
            return 0;
        }
    }

    /** {@code aspects remove-deprecated}. */
    @Command(name = "remove-deprecated", mixinStandardHelpOptions = true, description = "Drop deprecated models (dry run unless --apply).")
    static final class RemoveDeprecated implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClickHouseConnection connection = new ClickHouseConnection();

        @Option(names = "--apply", description = "Run the drops (default: dry run).")
        boolean apply;

        @Option(names = "--force", description = "Drop even objects that views still use.")
        boolean force;

        @Mixin
        CatalogOption catalogOption = new CatalogOption();

        @Override
        public Integer call() {
            RemovalPlan p = AspectsSchemaTool.builder(connection.endpoint()).deprecatedModels(DeprecatedModels.latest(catalogOption.catalog(spec)))
                    .build().removeDeprecated(apply, force);
            PrintWriter o = spec.commandLine().getOut();
            o.println(p.applied() ? "-- applied:" : "-- dry run; would run (add --apply):");
            p.statements().forEach(s -> o.println(s + ";"));
            p.blockers().forEach((k, v) -> o.println("-- blocked: " + k + " is used by " + v + (force ? " (forced)" : "")));
            return 0;
        }
    }
}
