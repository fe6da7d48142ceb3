package io.arborist.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code arborist backup}: a group; the datastore is the subcommand ({@code backup mysql}). */
@Command(name = "backup", mixinStandardHelpOptions = true, description = "Back up a datastore.",
        subcommands = {MySqlBackupCommand.class, ClickHouseBackupCommand.class})
final class BackupCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a datastore, e.g. 'backup mysql' (see --help)");
    }
}
