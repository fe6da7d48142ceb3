package io.arborist.cli;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.arborist.clickhouse.ClickHouseEndpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import picocli.CommandLine.Option;

/**
 * Optional MySQL and ClickHouse connections for commands that touch both ({@code snapshot}, {@code run}): prefixed
 * options, passwords from files or environment variables only.
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

    @Option(names = "--mysql-databases", split = ",", paramLabel = "DB",
            description = "MySQL databases to back up (default: edxapp and, with Aspects, superset).")
    List<String> mysqlDatabases = new ArrayList<>();

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

    /** @return a DataSource for the MySQL server, when --mysql-url was given */
    Optional<DataSource> mysql() {
        if (mysqlUrl == null) {
            return Optional.empty();
        }
        if (!mysqlUrl.startsWith("jdbc:mysql://") && !mysqlUrl.startsWith("jdbc:mariadb://")) {
            throw new IllegalArgumentException("--mysql-url must look like jdbc:mysql://HOST:PORT, got '" + mysqlUrl.replaceAll("//[^@/]*@", "//***@") + "'");
        }
        if (mysqlUrl.contains("password=") || mysqlUrl.replaceFirst("jdbc:[a-z]+://", "").contains("@")) {
            throw new IllegalArgumentException("put the MySQL password in --mysql-password-file or an environment variable, not in --mysql-url");
        }
        MysqlDataSource ds = new MysqlDataSource();
        ds.setUrl(mysqlUrl.replace("jdbc:mariadb://", "jdbc:mysql://"));
        ds.setUser(mysqlUser);
        ds.setPassword(Passwords.read(mysqlPasswordFile, mysqlPasswordEnv, "MYSQL_PWD"));
        try {
            ds.setAllowLoadLocalInfile(true);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return Optional.of(ds);
    }

    /** @return the URL and password for the MySQL adapter's builder, when --mysql-url was given */
    char[] mysqlPassword() {
        return Passwords.read(mysqlPasswordFile, mysqlPasswordEnv, "MYSQL_PWD").toCharArray();
    }

    /** @return the ClickHouse endpoint, when --clickhouse-url was given */
    Optional<ClickHouseEndpoint> clickhouse() {
        if (clickhouseUrl == null) {
            return Optional.empty();
        }
        return Optional.of(ClickHouseEndpoint.of(clickhouseUrl, clickhouseUser,
                Passwords.read(clickhousePasswordFile, clickhousePasswordEnv, "CLICKHOUSE_PASSWORD")));
    }
}
