package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.arborist.core.ArboristException;
import io.arborist.core.backup.Credentials;
import io.arborist.mysql.internal.Manifest;
import io.arborist.mysql.internal.ManifestIo;
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

    /**
     * A user with a password, a direct grant and a default role that grants its reads; on MariaDB also a grant to the
     * built-in PUBLIC role (whose SHOW CREATE USER fails), on MySQL the caching_sha2_password plugin.
     */
    @EachServer
    void users_roles_and_grants_round_trip_only_when_asked(@TempDir Path tmp) throws Exception {
        String setDefault = server.isMySql() ? "SET DEFAULT ROLE app_reader TO 'appuser'@'%'" : "SET DEFAULT ROLE app_reader FOR 'appuser'@'%'";
        server.sql("DROP DATABASE IF EXISTS users_src", "CREATE DATABASE users_src",
                "CREATE TABLE users_src.t (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO users_src.t VALUES (1, 'x'), (2, 'y')",
                "DROP USER IF EXISTS 'appuser'@'%'", "DROP ROLE IF EXISTS app_reader", "CREATE ROLE app_reader",
                "GRANT SELECT ON users_src.* TO app_reader",
                "CREATE USER 'appuser'@'%' IDENTIFIED BY '" + PASSWORD + "'", "GRANT INSERT ON users_src.* TO 'appuser'@'%'",
                "GRANT app_reader TO 'appuser'@'%'", setDefault);
        if (!server.isMySql()) {
            server.sql("GRANT SHOW VIEW ON users_src.* TO PUBLIC");
        }
        List<String> before = grants("'appuser'@'%'");
        List<String> role = grants("app_reader");
        List<String> pub = server.isMySql() ? List.of() : grants("PUBLIC");
        MySqlArchive withUsers = MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("users_src").includeUsers(true).build()
                .backup(tmp.resolve("with"));
        MySqlArchive withoutUsers = MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("users_src").build()
                .backup(tmp.resolve("without"));
        assertThat(withUsers.features()).contains("roles", server.isMySql() ? "auth-plugin:caching_sha2_password"
                : "auth-plugin:mysql_native_password");
        assertThat(withoutUsers.features()).noneMatch(f -> f.startsWith("auth-plugin:"));

        dropAll();
        MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).restoreUsers(true).build().restore(withoutUsers.directory());
        assertThat(count("SELECT COUNT(*) FROM mysql.user WHERE User IN ('appuser', 'app_reader')")).as("not saved, not restored").isZero();

        server.sql("DROP DATABASE users_src");
        MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).build().restore(withUsers.directory());
        assertThat(count("SELECT COUNT(*) FROM mysql.user WHERE User IN ('appuser', 'app_reader')")).as("saved but not asked for").isZero();

        server.sql("DROP DATABASE users_src");
        MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).restoreUsers(true).build().restore(withUsers.directory());

        assertThat(grants("'appuser'@'%'")).isEqualTo(before);
        assertThat(grants("app_reader")).isEqualTo(role);
        if (server.isMySql()) {
            assertThat(count("SELECT COUNT(*) FROM mysql.user WHERE User = 'appuser' AND plugin = 'caching_sha2_password'")).isOne();
        } else {
            assertThat(grants("PUBLIC")).isEqualTo(pub).anySatisfy(g -> assertThat(g).contains("SHOW VIEW"));
        }
        Properties p = new Properties();
        p.setProperty("user", "appuser");
        p.setProperty("password", PASSWORD);
        p.setProperty("useSSL", "false");
        p.setProperty("allowPublicKeyRetrieval", "true");
        try (Connection c = DriverManager.getConnection(server.url() + "/users_src", p); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the restored user logs in with its old password and reads through its default role")
                    .isEqualTo(2);
        }
        dropAll();
    }

    /** A user whose authentication plugin the target lacks (as MySQL 8.4 lacks mysql_native_password) stops the restore. */
    @EachServer
    void aUserWithAPluginTheTargetLacksIsRefusedBeforeAnythingChanges(@TempDir Path tmp) throws Exception {
        server.sql("DROP DATABASE IF EXISTS plug_src", "CREATE DATABASE plug_src", "CREATE TABLE plug_src.t (id INT PRIMARY KEY)",
                "DROP USER IF EXISTS 'plug_user'@'%'", "CREATE USER 'plug_user'@'%' IDENTIFIED BY 'plug-Pa55'");
        Path dir = tmp.resolve("a");
        MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("plug_src").includeUsers(true).build().backup(dir);
        server.sql("DROP USER 'plug_user'@'%'", "DROP DATABASE plug_src");
        Manifest m = ManifestIo.read(dir);
        List<String> users = m.users().stream().map(u -> !u.startsWith("CREATE USER `plug_user`") ? u
                : u.replaceFirst("IDENTIFIED (WITH '[a-z_0-9]+'|BY PASSWORD)", server.isMySql() ? "IDENTIFIED WITH 'no_such_auth'"
                : "IDENTIFIED VIA no_such_auth USING")).toList();
        assertThat(users).anySatisfy(u -> assertThat(u).contains("no_such_auth"));
        ManifestIo.write(dir, new Manifest(m.formatVersion(), m.kind(), m.tool(), m.toolVersion(), m.created(), m.server(),
                m.consistency(), m.lockMillis(), m.rowHash(), m.warnings(), m.databases(), m.tables(), m.objects(), users,
                m.features(), ""));

        ArboristException e = catchThrowableOfType(ArboristException.class,
                () -> MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).restoreUsers(true).build().restore(dir));

        assertThat(e.getMessage()).contains("user `plug_user`@`%` authenticates with no_such_auth, which is not active on the target")
                .contains("nothing was changed").doesNotContain("plug-Pa55");
        assertThat(count("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'plug_src'")).isZero();
        assertThat(MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).build().restore(dir).allMatch()).as("without users").isTrue();
        server.sql("DROP DATABASE plug_src");
    }

    private void dropAll() throws Exception {
        server.sql("DROP USER 'appuser'@'%'", "DROP ROLE app_reader", "DROP DATABASE users_src");
        if (!server.isMySql()) {
            server.sql("REVOKE SHOW VIEW ON users_src.* FROM PUBLIC");
        }
    }
}
