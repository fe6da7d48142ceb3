package io.arborist.cli;

import io.arborist.clickhouse.ClickHouseBackup;
import io.arborist.clickhouse.ClickHouseEndpoint;
import io.arborist.clickhouse.ClickHouseManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arborist backup clickhouse}: databases (default: the Aspects ones) to a directory. */
@Command(name = "clickhouse", mixinStandardHelpOptions = true, description = "Back up ClickHouse databases over HTTP (default: xapi, event_sink, reporting, openedx).")
final class ClickHouseBackupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClickHouseConnection connection = new ClickHouseConnection();

    @Option(names = "--databases", split = ",", paramLabel = "DB", description = "Databases to save (default: the Aspects databases present).")
    List<String> databases = List.of();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "New or empty directory for the backup.")
    Path out;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        ClickHouseManifest m = ClickHouseBackup.builder(connection.endpoint()).databases(databases).build().backup(out);
        o.printf("backup OK: %s (ClickHouse %s): %d objects, %,d rows, %,d bytes%n", out, m.serverVersion(), m.objects().size(), m.rows(), m.bytes());
        m.notes().forEach(n -> o.println("  note: " + n));
        return 0;
    }
}

/** Connection options for the ClickHouse commands: never a password on the command line, never printed. */
final class ClickHouseConnection {
    @Option(names = "--url", required = true, paramLabel = "URL", description = "HTTP interface, e.g. http://clickhouse:8123.")
    String url;

    @Option(names = "--user", paramLabel = "USER", description = "User (default: default).")
    String user = "default";

    @Option(names = "--password-file", paramLabel = "FILE", description = "File whose first line is the password.")
    Path passwordFile;

    @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the password"
            + " (default: CLICKHOUSE_PASSWORD when set; otherwise no password).")
    String passwordEnv;

    ClickHouseEndpoint endpoint() {
        return ClickHouseEndpoint.of(url, user, password());
    }

    String password() {
        return Passwords.read(passwordFile, passwordEnv, "CLICKHOUSE_PASSWORD");
    }
}
