package io.arborist.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code arborist restore}: a group; the datastore is the subcommand ({@code restore mysql}). */
@Command(name = "restore", mixinStandardHelpOptions = true, description = "Restore a datastore from an archive.",
        subcommands = {MySqlRestoreCommand.class, ClickHouseRestoreCommand.class, MongoDbRestoreCommand.class,
                TutorRootRestoreCommand.class})
final class RestoreCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a datastore, e.g. 'restore mysql' (see --help)");
    }
}
