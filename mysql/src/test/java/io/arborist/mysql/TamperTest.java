package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ConflictPolicy;
import io.arborist.core.backup.Credentials;
import io.arborist.mysql.internal.Manifest;
import io.arborist.mysql.internal.ManifestIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-edited manifests, their plain checksum recomputed as anyone who edits one can: {@code verify} names each altered
 * statement, and a restore refuses the archive before anything changes on the server (another database survives, the
 * target database is never created).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TamperTest {
    private DbServer server;
    private final java.util.Set<ServerKind> prepared = new java.util.HashSet<>();

    @BeforeEach
    void data(DbServer server) throws Exception {
        this.server = server;
        if (!prepared.add(server.kind())) {
            return;
        }
        server.sql("DROP DATABASE IF EXISTS tamper_src", "CREATE DATABASE tamper_src",
                "CREATE TABLE tamper_src.t (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO tamper_src.t VALUES (1, 'one'), (2, 'two')",
                "CREATE TABLE tamper_src.log (id INT PRIMARY KEY AUTO_INCREMENT, note VARCHAR(40))",
                "CREATE VIEW tamper_src.v AS SELECT id FROM tamper_src.t",
                "CREATE TRIGGER tamper_src.t_ai AFTER INSERT ON tamper_src.t FOR EACH ROW INSERT INTO log (note) VALUES ('added')",
                "CREATE PROCEDURE tamper_src.p() BEGIN SELECT COUNT(*) FROM t; END",
                "DROP DATABASE IF EXISTS tamper_other", "CREATE DATABASE tamper_other", "CREATE TABLE tamper_other.t (id INT PRIMARY KEY)",
                "INSERT INTO tamper_other.t VALUES (42)");
    }

    private Path archive(Path tmp) throws Exception {
        Path dir = tmp.resolve("a");
        MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("tamper_src").build().backup(dir);
        Files.copy(dir.resolve(ManifestIo.MANIFEST), tmp.resolve("original.json"));
        return dir;
    }

    /** Edits the archive's original manifest and recomputes its plain checksum, as anyone can. */
    private static void forge(Path dir, UnaryOperator<Manifest> edit) throws Exception {
        Files.copy(dir.resolveSibling("original.json"), dir.resolve(ManifestIo.MANIFEST), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ManifestIo.write(dir, edit.apply(ManifestIo.read(dir)));
    }

    private static UnaryOperator<Manifest> database(String sql) {
        return m -> copy(m, m.databases().stream().map(d -> new Manifest.Database(d.name(), sql)).toList(), m.tables(), m.objects());
    }

    private static UnaryOperator<Manifest> object(String type, String sql) {
        return m -> copy(m, m.databases(), m.tables(), m.objects().stream().map(o -> !o.type().equals(type) ? o
                : new Manifest.Routine(o.type(), o.database(), o.name(), o.sqlMode(), sql.replace("$ORIGINAL", o.createSql()))).toList());
    }

    private static UnaryOperator<Manifest> table(String name, UnaryOperator<Manifest.Table> edit) {
        return m -> copy(m, m.databases(), m.tables().stream().map(t -> t.name().equals(name) ? edit.apply(t) : t).toList(), m.objects());
    }

    private static Manifest.Table ddl(Manifest.Table t, String sql) {
        return new Manifest.Table(t.database(), t.name(), t.engine(), sql, t.columns(), t.rangeColumn(), t.rows(), t.bytes(),
                t.checksum(), t.chunks());
    }

    private static Manifest copy(Manifest m, List<Manifest.Database> dbs, List<Manifest.Table> tables, List<Manifest.Routine> objects) {
        return new Manifest(m.formatVersion(), m.kind(), m.tool(), m.toolVersion(), m.created(), m.server(), m.consistency(),
                m.lockMillis(), m.rowHash(), m.warnings(), dbs, tables, objects, m.users(), m.features(), "");
    }

    /** The archive is refused by verify and by a restore, naming the problem, and the server is left as it was. */
    private void assertRefused(Path dir, String... problem) throws Exception {
        ArboristException verify = catchThrowableOfType(ArboristException.class, () -> MySqlArchive.verify(dir));
        assertThat(verify.kind()).isEqualTo(ErrorKind.VERIFICATION);
        assertThat(verify.getMessage()).contains("damaged or altered").contains(problem);
        assertThat(verify.getMessage().lines().count()).isEqualTo(2);
        server.sql("DROP DATABASE IF EXISTS tamper_dst");
        ArboristException restore = catchThrowableOfType(ArboristException.class, () -> MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).rename("tamper_src", "tamper_dst").ifExists(ConflictPolicy.DROP).build().restore(dir));
        assertThat(restore.kind()).isEqualTo(ErrorKind.VERIFICATION);
        assertThat(restore.getMessage()).contains("nothing was restored").contains(problem);
        assertThat(TrapSchema.count(server, "tamper_other.t WHERE id = 42")).isEqualTo(1);
        try (var c = server.connect()) {
            assertThat(TrapSchema.list(c, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", "tamper_dst")).isEmpty();
        }
        assertThat(dir.resolve("restore-journal.log")).doesNotExist();
    }

    @EachServer
    void anUntouchedArchiveVerifiesAndRestores(@TempDir Path tmp) throws Exception {
        Path dir = archive(tmp);
        assertThat(MySqlArchive.verify(dir).objects()).contains("VIEW tamper_src.v", "TRIGGER tamper_src.t_ai", "PROCEDURE tamper_src.p");
        server.sql("DROP DATABASE IF EXISTS tamper_ok");
        assertThat(MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).rename("tamper_src", "tamper_ok").build().restore(dir).allMatch())
                .isTrue();
        server.sql("INSERT INTO tamper_ok.t VALUES (3, 'three')");
        assertThat(TrapSchema.count(server, "tamper_ok.log")).as("the renamed trigger writes to its own database").isEqualTo(1);
        assertThat(TrapSchema.count(server, "tamper_src.log")).isZero();
        server.sql("DROP DATABASE tamper_ok");
    }

    @EachServer
    void aDatabaseStatementThatDropsAnotherDatabaseIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = archive(tmp);
        forge(dir, database("DROP DATABASE tamper_other"));
        assertRefused(dir, "database tamper_src: its statement is not what SHOW CREATE DATABASE writes ('DROP DATABASE tamper_other')");

        forge(dir, database("CREATE DATABASE `tamper_other`"));
        assertRefused(dir, "database tamper_src: its statement creates database tamper_other, not tamper_src");
    }

    @EachServer
    void aViewThatDropsOrReadsAnotherDatabaseIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = archive(tmp);
        forge(dir, object("VIEW", "DROP TABLE tamper_other.t"));
        assertRefused(dir, "view tamper_src.v: its statement is not a CREATE VIEW (starts 'DROP TABLE tamper_other')");

        forge(dir, object("VIEW", "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `tamper_src`.`v`"
                + " AS select `x`.`id` AS `id` from (`tamper_src`.`t` join `tamper_other`.`t` `x`)"));
        assertRefused(dir, "view tamper_src.v: its CREATE VIEW names database tamper_other");

        forge(dir, object("VIEW", "CREATE VIEW `tamper_src`.`v` AS select `t`.`id` AS `id` from `tamper_src`.`t`, tamper_other . t"));
        assertRefused(dir, "names database tamper_other");

        forge(dir, object("VIEW", "CREATE VIEW `tamper_src`.`v` AS select load_file('/etc/passwd') AS `id`"));
        assertRefused(dir, "view tamper_src.v: its CREATE VIEW uses LOAD_FILE");

        forge(dir, object("VIEW", "CREATE VIEW `tamper_other`.`v` AS select 1 AS `id`"));
        assertRefused(dir, "view tamper_src.v: its CREATE VIEW creates it in database tamper_other, not tamper_src");
    }

    @EachServer
    void aSecondStatementOrACommentTrickIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = archive(tmp);
        String original = ManifestIo.read(dir).tables().stream().filter(t -> t.name().equals("t")).findFirst().orElseThrow().createSql();
        forge(dir, table("t", t -> ddl(t, original + "; DROP DATABASE tamper_other")));
        assertRefused(dir, "table tamper_src.t: its CREATE TABLE holds more than one statement");

        // a server too old for the version skips the comment up to its first */, one that runs it reads a string there
        forge(dir, table("t", t -> ddl(t, original + " /*!99999 ' */; DROP DATABASE tamper_other; -- ' */")));
        assertRefused(dir, "table tamper_src.t: its CREATE TABLE cannot be read: a quoted text runs past the end of an executable comment");

        forge(dir, table("t", t -> ddl(t, original.replace("CREATE TABLE `t` (", "CREATE TABLE `t` ( /* hidden */"))));
        assertRefused(dir, "table tamper_src.t: its CREATE TABLE holds comments");

        forge(dir, table("t", t -> ddl(t, original + " SELECT * FROM `tamper_other`.`t`")));
        assertRefused(dir, "table tamper_src.t: its CREATE TABLE uses SELECT");

        forge(dir, object("PROCEDURE", "$ORIGINAL; DROP DATABASE tamper_other"));
        assertRefused(dir, "procedure tamper_src.p: its CREATE PROCEDURE");

        forge(dir, object("PROCEDURE", "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`() BEGIN SELECT 1; END; DROP DATABASE tamper_other; BEGIN END"));
        assertRefused(dir, "procedure tamper_src.p: its CREATE PROCEDURE");
    }

    @EachServer
    void triggersAndRoutinesNamingAnotherDatabaseOrChangingTheServerAreRefused(@TempDir Path tmp) throws Exception {
        Path dir = archive(tmp);
        forge(dir, object("TRIGGER", "CREATE DEFINER=`root`@`localhost` TRIGGER `t_ai` AFTER INSERT ON `t` FOR EACH ROW"
                + " DELETE FROM tamper_other.t"));
        assertRefused(dir, "trigger tamper_src.t_ai: its CREATE TRIGGER names database tamper_other");

        forge(dir, object("TRIGGER", "CREATE DEFINER=`root`@`localhost` TRIGGER `t_ai` AFTER INSERT ON `tamper_other`.`t` FOR EACH ROW"
                + " SET @x = 1"));
        assertRefused(dir, "trigger tamper_src.t_ai: its CREATE TRIGGER is on a table of database tamper_other");

        forge(dir, object("PROCEDURE", "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`() BEGIN DROP DATABASE tamper_other; END"));
        assertRefused(dir, "procedure tamper_src.p: its CREATE PROCEDURE uses DROP");

        forge(dir, object("PROCEDURE", "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`() BEGIN CALL tamper_other.q(); END"));
        assertRefused(dir, "procedure tamper_src.p: its CREATE PROCEDURE names database tamper_other");

        forge(dir, object("PROCEDURE", "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`() BEGIN SET GLOBAL local_infile = 1; END"));
        assertRefused(dir, "uses GLOBAL");

        forge(dir, object("PROCEDURE", "CREATE DEFINER=`root`@`localhost` FUNCTION `p`() RETURNS INT RETURN 1"));
        assertRefused(dir, "procedure tamper_src.p: its statement is not a CREATE PROCEDURE");
    }

    @EachServer
    void aDataFileOutsideTheArchiveOrAnEngineReachingOutIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = archive(tmp);
        Files.writeString(tmp.resolve("outside.txt"), "1\tone\n");
        forge(dir, table("t", t -> {
            List<Manifest.Chunk> chunks = new ArrayList<>();
            for (Manifest.Chunk c : t.chunks()) {
                chunks.add(new Manifest.Chunk(c.index(), "../outside.txt", c.from(), c.to(), c.rows(), c.bytes(), c.fileBytes(),
                        c.sha256(), c.checksum()));
            }
            return new Manifest.Table(t.database(), t.name(), t.engine(), t.createSql(), t.columns(), t.rangeColumn(), t.rows(),
                    t.bytes(), t.checksum(), chunks);
        }));
        assertRefused(dir, "table tamper_src.t: data file '../outside.txt' is not an archive data file name");

        forge(dir, table("t", t -> ddl(t, "CREATE TABLE `t` (`id` int NOT NULL, `v` varchar(20), PRIMARY KEY (`id`))"
                + " ENGINE=FEDERATED CONNECTION='mysql://u:p@10.0.0.1/db/t'")));
        assertRefused(dir, "table tamper_src.t: its engine FEDERATED keeps data outside the server's own files");
    }
}
