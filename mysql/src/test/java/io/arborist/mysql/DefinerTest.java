package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.Credentials;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Objects whose definer is an account of the source server, restored where that account does not exist. */
class DefinerTest {
    private DbServer server;

    @BeforeEach
    void on(DbServer server) {
        this.server = server;
    }

    private List<String> column(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = server.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private MySqlArchive archiveOwnedByReporter(Path dir, boolean includeUsers) throws Exception {
        server.sql("DROP DATABASE IF EXISTS def_src", "CREATE DATABASE def_src",
                "CREATE TABLE def_src.t (id INT PRIMARY KEY, note VARCHAR(20) NULL)", "INSERT INTO def_src.t VALUES (1, 'one')",
                "DROP USER IF EXISTS 'reporter'@'%'", "CREATE USER 'reporter'@'%' IDENTIFIED BY 'r-secret'",
                "GRANT ALL ON def_src.* TO 'reporter'@'%'",
                "CREATE DEFINER = 'reporter'@'%' SQL SECURITY DEFINER VIEW def_src.v AS SELECT id FROM def_src.t",
                "CREATE DEFINER = 'reporter'@'%' TRIGGER def_src.t_bi BEFORE INSERT ON def_src.t FOR EACH ROW SET NEW.note = 'trigger'");
        MySqlArchive a = MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("def_src").includeUsers(includeUsers)
                .build().backup(dir);
        server.sql("DROP DATABASE def_src", "DROP USER 'reporter'@'%'");
        return a;
    }

    @EachServer
    void aMissingDefinerStopsTheRestoreBeforeAnythingChanges(@TempDir Path tmp) throws Exception {
        MySqlArchive a = archiveOwnedByReporter(tmp.resolve("a"), false);

        ArboristException e = catchThrowableOfType(ArboristException.class, () -> MySqlRestore.using(server.url(), Credentials.of("root", new char[0]))
                .build().restore(a.directory()));

        assertThat(e.kind()).isEqualTo(ErrorKind.RESTORE);
        assertThat(e.getMessage()).contains("`reporter`@`%`").contains("view def_src.v").contains("trigger def_src.t_bi")
                .contains("nothing was changed").contains("--definers current-user").doesNotContain("r-secret");
        assertThat(column("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'def_src'")).isEmpty();
    }

    @EachServer
    void currentUserOwnsTheObjectsAndTheyWork(@TempDir Path tmp) throws Exception {
        MySqlArchive a = archiveOwnedByReporter(tmp.resolve("a"), false);

        MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).definers(DefinerPolicy.CURRENT_USER).build().restore(a.directory());

        List<String> restorer = column("SELECT CURRENT_USER()");
        assertThat(restorer).singleElement().asString().startsWith("root@");
        assertThat(column("SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'def_src'")).isEqualTo(restorer);
        assertThat(column("SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA = 'def_src'")).isEqualTo(restorer);
        server.sql("INSERT INTO def_src.t (id) VALUES (2)");
        assertThat(column("SELECT note FROM def_src.t ORDER BY id")).containsExactly("one", "trigger");
        assertThat(column("SELECT COUNT(*) FROM def_src.v")).containsExactly("2");
        server.sql("DROP DATABASE def_src");
    }

    @EachServer
    void keptDefinersPassWhenTheirAccountsAreRestoredToo(@TempDir Path tmp) throws Exception {
        MySqlArchive a = archiveOwnedByReporter(tmp.resolve("a"), true);

        MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).restoreUsers(true).build().restore(a.directory());

        assertThat(column("SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'def_src'"))
                .containsExactly("reporter@%");
        server.sql("INSERT INTO def_src.t (id) VALUES (2)");
        assertThat(column("SELECT note FROM def_src.t WHERE id = 2")).containsExactly("trigger");
        server.sql("DROP DATABASE def_src", "DROP USER 'reporter'@'%'");
    }
}
