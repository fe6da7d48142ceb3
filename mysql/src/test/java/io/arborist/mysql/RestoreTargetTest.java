package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ConflictPolicy;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.PartialRestore;
import io.arborist.mysql.internal.Manifest;
import io.arborist.mysql.internal.ManifestIo;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a restore may write, what a failed one leaves, and what journals and archives look like on disk: a database
 * holding other tables is refused, a system database too; a partial target is named and can be resumed or cleaned up;
 * refused and unreachable restores leave no journal; archives and journals are owner-only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreTargetTest {
    private static final Set<PosixFilePermission> FILE = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> DIRECTORY = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE);
    private DbServer server;
    private final java.util.Set<ServerKind> prepared = new java.util.HashSet<>();

    @BeforeEach
    void data(DbServer server) throws Exception {
        this.server = server;
        if (!prepared.add(server.kind())) {
            return;
        }
        server.sql("DROP DATABASE IF EXISTS target_src", "CREATE DATABASE target_src",
                "CREATE TABLE target_src.a (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO target_src.a VALUES (1, 'one'), (2, 'two')",
                "CREATE TABLE target_src.b (id INT PRIMARY KEY)", "INSERT INTO target_src.b VALUES (1), (2), (3)",
                "CREATE VIEW target_src.v AS SELECT id FROM target_src.a");
    }

    private MySqlRestore.Builder restore(String target) {
        return MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).rename("target_src", target).parallelism(1);
    }

    private Path archive(Path tmp) {
        Path dir = tmp.resolve("a");
        MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("target_src").parallelism(1).build().backup(dir);
        return dir;
    }

    private boolean databaseExists(String name) throws Exception {
        try (var c = server.connect()) {
            return !TrapSchema.list(c, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", name).isEmpty();
        }
    }

    @EachServer
    void aDatabaseWithOtherTablesIsRefusedUnlessAppendingAndLeavesNoJournal(@TempDir Path tmp) throws Exception {
        Path dir = archive(tmp);
        server.sql("DROP DATABASE IF EXISTS target_busy", "CREATE DATABASE target_busy", "CREATE TABLE target_busy.mine (id INT)",
                "INSERT INTO target_busy.mine VALUES (7)");
        for (ConflictPolicy policy : List.of(ConflictPolicy.FAIL, ConflictPolicy.DROP)) {
            ArboristException e = catchThrowableOfType(ArboristException.class, () -> restore("target_busy").ifExists(policy).build()
                    .restore(dir));
            assertThat(e.kind()).isEqualTo(ErrorKind.RESTORE);
            assertThat(e.getMessage()).contains("target_busy.mine").contains("the archive does not have").contains("nothing was changed");
        }
        assertThat(TrapSchema.count(server, "target_busy.mine")).isEqualTo(1);
        assertThat(TrapSchema.list(server, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'target_busy'"))
                .containsExactly("mine");
        assertThat(dir.resolve("restore-journal.log")).as("a refused restore leaves no journal").doesNotExist();

        assertThat(restore("target_busy").ifExists(ConflictPolicy.APPEND).build().restore(dir).allMatch()).isTrue();
        assertThat(TrapSchema.count(server, "target_busy.mine")).isEqualTo(1);
        assertThat(TrapSchema.count(server, "target_busy.b")).isEqualTo(3);
        server.sql("DROP DATABASE target_busy");

        ArboristException system = catchThrowableOfType(ArboristException.class, () -> restore("mysql").build().restore(dir));
        assertThat(system.kind()).isEqualTo(ErrorKind.CONFIGURATION);
        assertThat(system.getMessage()).contains("system database mysql");
    }

    @EachServer
    void anUnreachableTargetLeavesNoJournalThatBlocksTheNextRestore(@TempDir Path tmp) throws Exception {
        Path dir = archive(tmp);
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ArboristException e = catchThrowableOfType(ArboristException.class, () -> MySqlRestore.using("jdbc:mysql://127.0.0.1:" + closed, Credentials.of("root", new char[0])).rename("target_src", "target_elsewhere").build().restore(dir));
        assertThat(e.getMessage()).contains("cannot connect");
        assertThat(dir.resolve("restore-journal.log")).doesNotExist();
        server.sql("DROP DATABASE IF EXISTS target_next");
        assertThat(restore("target_next").build().restore(dir).allMatch()).isTrue();
        assertThat(restore("target_next2").build().restore(dir).allMatch()).as("a finished restore blocks nothing either").isTrue();
        server.sql("DROP DATABASE target_next", "DROP DATABASE target_next2");
    }

    @EachServer
    void aFailedRestoreIsNamedPartialAndCleanedUp(@TempDir Path tmp) throws Exception {
        Path dir = archive(tmp);
        byte[] original = Files.readAllBytes(dir.resolve(ManifestIo.MANIFEST));
        // a data file that holds fewer rows than its manifest says: the restore stops after creating the schema
        Manifest m = ManifestIo.read(dir);
        List<Manifest.Table> tables = m.tables().stream().map(t -> !t.name().equals("b") ? t : new Manifest.Table(t.database(), t.name(),
                t.engine(), t.createSql(), t.columns(), t.rangeColumn(), t.rows() + 1, t.bytes(), t.checksum(), t.chunks().stream()
                .map(c -> new Manifest.Chunk(c.index(), c.file(), c.from(), c.to(), c.rows() + 1, c.bytes(), c.fileBytes(), c.sha256(),
                        c.checksum())).toList())).toList();
        ManifestIo.write(dir, new Manifest(m.formatVersion(), m.kind(), m.tool(), m.toolVersion(), m.created(), m.server(),
                m.consistency(), m.lockMillis(), m.rowHash(), m.warnings(), m.databases(), tables, m.objects(), m.users(), m.features(), ""));
        server.sql("DROP DATABASE IF EXISTS target_partial", "DROP DATABASE IF EXISTS target_other");

        ArboristException failed = catchThrowableOfType(ArboristException.class, () -> restore("target_partial").build().restore(dir));
        assertThat(failed.getMessage()).contains("target_partial.b").contains("the manifest says 4");
        assertThat(databaseExists("target_partial")).isTrue();
        PartialRestore partial = MySqlRestore.unfinished(dir).orElseThrow();
        assertThat(partial.target()).isEqualTo(server.url() + " as root");
        assertThat(partial.databases()).containsExactly("target_partial");
        assertThat(partial.files()).isEqualTo(2);
        assertThat(partial.describe()).startsWith("partial restore into " + server.url() + " as root (target_partial)");
        assertThat(Files.getPosixFilePermissions(dir.resolve("restore-journal.log"))).isEqualTo(FILE);

        ArboristException elsewhere = catchThrowableOfType(ArboristException.class, () -> restore("target_other").build().restore(dir));
        assertThat(elsewhere.kind()).isEqualTo(ErrorKind.JOURNAL);
        assertThat(elsewhere.getMessage()).contains("left its target partial").contains("--cleanup");
        assertThat(databaseExists("target_other")).isFalse();

        server.sql("CREATE TABLE target_partial.kept_by_someone (id INT)");
        List<String> cleaned = restore("target_partial").build().cleanup(dir).lines();
        assertThat(cleaned).contains("dropped table target_partial.a", "dropped table target_partial.b",
                "kept database target_partial: it holds objects this restore did not create");
        assertThat(TrapSchema.list(server, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'target_partial'"))
                .containsExactly("kept_by_someone");
        assertThat(MySqlRestore.unfinished(dir)).isEmpty();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).anySatisfy(n -> assertThat(n).matches("restore-journal\\.\\d+\\.cleaned"));
        }
        server.sql("DROP DATABASE target_partial");

        // into a database it creates itself, it fails again: the cleanup then drops that database too
        assertThat(catchThrowableOfType(ArboristException.class, () -> restore("target_partial").build().restore(dir))).isNotNull();
        List<String> all = restore("target_partial").build().cleanup(dir).lines();
        assertThat(all).contains("dropped database target_partial");
        assertThat(databaseExists("target_partial")).isFalse();
        Files.write(dir.resolve(ManifestIo.MANIFEST), original);
        assertThat(restore("target_other").build().restore(dir).allMatch()).isTrue();
        server.sql("DROP DATABASE target_other");
    }

    @EachServer
    void archivesAndJournalsAreOwnerOnly(@TempDir Path tmp) throws Exception {
        Path dir = archive(tmp);
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(DIRECTORY);
        assertThat(Files.getPosixFilePermissions(dir.resolve("data"))).isEqualTo(DIRECTORY);
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(f -> assertThat(perms(f)).as(f.toString()).isEqualTo(FILE));
        }
        Path tar = tmp.resolve("a.tar");
        MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("target_src").build().backup(tar);
        assertThat(Files.getPosixFilePermissions(tar)).isEqualTo(FILE);

        Files.createDirectory(tmp.resolve("open"), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("target_src").build().backup(tmp.resolve("open"));
        assertThat(Files.getPosixFilePermissions(tmp.resolve("open"))).as("an empty directory given is closed").isEqualTo(DIRECTORY);

        server.sql("DROP DATABASE IF EXISTS target_perm");
        restore("target_perm").build().restore(tar);
        try (Stream<Path> s = Files.list(tmp)) {
            Path done = s.filter(p -> p.getFileName().toString().startsWith("a.tar.restore-journal.")).findFirst().orElseThrow();
            assertThat(Files.getPosixFilePermissions(done)).isEqualTo(FILE);
        }
        server.sql("DROP DATABASE target_perm");
    }

    private static Set<PosixFilePermission> perms(Path f) {
        try {
            return Files.getPosixFilePermissions(f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
