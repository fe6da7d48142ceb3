package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Users and grants are saved only when asked, and come back (password included) only when asked. */
class UsersTest {
    private static final String PASSWORD = "app-Pa55-w0rd";
    private DbServer server;

    @BeforeEach
    void on(DbServer server) {
        this.server = server;
    }

    private List<String> grants(String account) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = server.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GRANTS FOR " + account)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private long count(String sql) throws Exception {
        try (Connection c = server.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @EachServer
    void users_and_grants_round_trip_only_when_asked(@TempDir Path tmp) throws Exception {
        server.sql("DROP DATABASE IF EXISTS users_src", "CREATE DATABASE users_src",
                "CREATE TABLE users_src.t (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO users_src.t VALUES (1, 'x'), (2, 'y')",
                "DROP USER IF EXISTS 'appuser'@'%'", "CREATE USER 'appuser'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT SELECT, INSERT ON users_src.* TO 'appuser'@'%'");
        List<String> before = grants("'appuser'@'%'");
        MySqlArchive withUsers = MySqlBackup.using(server.url(), "root", new char[0]).databases("users_src").includeUsers(true).build()
                .backup(tmp.resolve("with"));
        MySqlArchive withoutUsers = MySqlBackup.using(server.url(), "root", new char[0]).databases("users_src").build()
                .backup(tmp.resolve("without"));

        server.sql("DROP USER 'appuser'@'%'", "DROP DATABASE users_src");
        MySqlRestore.using(server.url(), "root", new char[0]).restoreUsers(true).build().restore(withoutUsers.directory());
        assertThat(count("SELECT COUNT(*) FROM mysql.user WHERE User = 'appuser'")).as("not saved, not restored").isZero();

        server.sql("DROP DATABASE users_src");
        MySqlRestore.using(server.url(), "root", new char[0]).build().restore(withUsers.directory());
        assertThat(count("SELECT COUNT(*) FROM mysql.user WHERE User = 'appuser'")).as("saved but not asked for").isZero();

        server.sql("DROP DATABASE users_src");
        MySqlRestore.using(server.url(), "root", new char[0]).restoreUsers(true).build().restore(withUsers.directory());

        assertThat(grants("'appuser'@'%'")).isEqualTo(before);
        Properties p = new Properties();
        p.setProperty("user", "appuser");
        p.setProperty("password", PASSWORD);
        p.setProperty("useSSL", "false");
        p.setProperty("allowPublicKeyRetrieval", "true");
        try (Connection c = DriverManager.getConnection(server.url() + "/users_src", p); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the restored user logs in with its old password and reads").isEqualTo(2);
        }
        server.sql("DROP USER 'appuser'@'%'", "DROP DATABASE users_src");
    }
}
