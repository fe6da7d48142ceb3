package io.arborist.cli;

import io.arborist.clickhouse.ClickHouseEndpoint;
import io.arborist.core.backup.Credentials;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Optional MySQL and ClickHouse connections for commands that touch both ({@code snapshot}, {@code run}): prefixed
 * options, passwords from files or environment variables only. Only options every such command uses belong here; what
 * one command alone uses (the MySQL databases {@code run} backs up) is declared by that command, so each {@code --help}
 * lists only what it uses.
 */
final class DataStoreOptions {
    @Option(names = "--mysql-url", paramLabel = "JDBC_URL", description = "MySQL server, e.g. jdbc:mysql://127.0.0.1:3306")
    String mysqlUrl;

    @Option(names = "--mysql-user", paramLabel = "USER", defaultValue = "root", description = "MySQL user (default: ${DEFAULT-VALUE}).")
    String mysqlUser;

    @Option(names = "--mysql-password-file", paramLabel = "FILE", description = "File whose first line is the MySQL password.")
    Path mysqlPasswordFile;

    @Option(names = "--mysql-password-env", paramLabel = "VAR", description = "Variable holding the MySQL password (default: MYSQL_PWD when set).")
    String mysqlPasswordEnv;

    @Option(names = "--clickhouse-url", paramLabel = "URL", description = "ClickHouse HTTP interface, e.g. http://127.0.0.1:8123")
    String clickhouseUrl;

    @Option(names = "--clickhouse-user", paramLabel = "USER", defaultValue = "default", description = "ClickHouse user (default: ${DEFAULT-VALUE}).")
    String clickhouseUser;

    @Option(names = "--clickhouse-password-file", paramLabel = "FILE", description = "File whose first line is the ClickHouse password.")
    Path clickhousePasswordFile;

    @Option(names = "--clickhouse-password-env", paramLabel = "VAR",
            description = "Variable holding the ClickHouse password (default: CLICKHOUSE_PASSWORD when set).")
    String clickhousePasswordEnv;

    @Option(names = "--clickhouse-databases", split = ",", paramLabel = "DB",
            description = "ClickHouse databases (default: the Aspects ones: xapi, event_sink, reporting, openedx).")
    List<String> clickhouseDatabases = new ArrayList<>();

    /**
     * @return the MySQL URL, when --mysql-url was given, refused when it carries a password
     */
    Optional<String> mysqlUrl() {
        if (mysqlUrl != null && (mysqlUrl.contains("password=") || mysqlUrl.replaceFirst("jdbc:[a-z]+://", "").contains("@"))) {
            throw new IllegalArgumentException("put the MySQL password in --mysql-password-file or an environment variable, not in --mysql-url");
        }
        return Optional.ofNullable(mysqlUrl);
    }

    /** @return the MySQL password, from --mysql-password-file, --mysql-password-env or MYSQL_PWD */
    char[] mysqlPassword() {
        return Passwords.read(mysqlPasswordFile, mysqlPasswordEnv, "MYSQL_PWD").toCharArray();
    }

    /** @return the ClickHouse endpoint, when --clickhouse-url was given */
    Optional<ClickHouseEndpoint> clickhouse() {
        if (clickhouseUrl == null) {
            return Optional.empty();
        }
        try (Credentials credentials = Passwords.credentials(clickhouseUser,
                Passwords.read(clickhousePasswordFile, clickhousePasswordEnv, "CLICKHOUSE_PASSWORD").toCharArray())) {
            return Optional.of(ClickHouseEndpoint.of(clickhouseUrl, credentials));
        }
    }
}
