package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.arborist.core.backup.Credentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server (or anyone on the path of a connection without TLS) answers a query with a request for a local file: a
 * backup, a snapshot and a restore never send one, and a restore sends nothing but its own data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileServerTest {
    private static final BiPredicate<String, Integer> FIRST_QUERY = (sql, n) -> n == 0;
    private DbServer server;
    private final java.util.Set<ServerKind> prepared = new java.util.HashSet<>();
    private Path secret;
    private String secretText;

    @BeforeEach
    void data(DbServer server, @TempDir Path tmp) throws Exception {
        this.server = server;
        secretText = "arborist-secret-" + UUID.randomUUID();
        secret = Files.writeString(tmp.resolve("secret.txt"), secretText + "\n");
        if (!prepared.add(server.kind())) {
            return;
        }
        server.sql("DROP DATABASE IF EXISTS rogue_src", "CREATE DATABASE rogue_src",
                "CREATE TABLE rogue_src.t (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO rogue_src.t VALUES (1, 'one'), (2, 'two')",
                "DROP DATABASE IF EXISTS rogue_edx", "CREATE DATABASE rogue_edx",
                "CREATE TABLE rogue_edx.auth_user (id INT PRIMARY KEY)", "INSERT INTO rogue_edx.auth_user VALUES (1), (2)");
    }

    private RogueProxy proxy(BiPredicate<String, Integer> hijack) throws Exception {
        return RogueProxy.start(server.port(), secret, true, hijack);
    }

    private void assertNothingLeaked(RogueProxy rogue) {
        assertThat(rogue.hijacks()).as("the rogue server asked for the file").isPositive();
        assertThat(new String(rogue.received(), StandardCharsets.UTF_8)).doesNotContain(secretText);
    }

    @EachServer
    void aBackupNeverSendsALocalFile(@TempDir Path tmp) throws Exception {
        for (BiPredicate<String, Integer> when : java.util.List.<BiPredicate<String, Integer>>of(FIRST_QUERY,
                (sql, n) -> sql.contains("information_schema.SCHEMATA"), (sql, n) -> sql.startsWith("SELECT"))) {
            try (RogueProxy rogue = proxy(when)) {
                Throwable failure = catchThrowable(() -> MySqlBackup.using(rogue.url(), Credentials.of("root", new char[0])).databases("rogue_src")
                        .parallelism(1).build().backup(tmp.resolve(UUID.randomUUID().toString())));
                assertThat(failure).as("the hijacked query failed the backup").isNotNull();
                assertNothingLeaked(rogue);
            }
        }
    }

    @EachServer
    void aSnapshotNeverSendsALocalFile() throws Exception {
        for (BiPredicate<String, Integer> when : java.util.List.<BiPredicate<String, Integer>>of(FIRST_QUERY,
                (sql, n) -> sql.contains("information_schema.COLUMNS"))) {
            try (RogueProxy rogue = proxy(when)) {
                Throwable failure = catchThrowable(() -> LearnerSnapshot.of(rogue.url(), Credentials.of("root", new char[0]), "rogue_edx").take());
                assertThat(failure).isNotNull();
                assertNothingLeaked(rogue);
            }
        }
    }

    @EachServer
    void aRestoreSendsOnlyItsOwnDataWhateverFileTheServerNames(@TempDir Path tmp) throws Exception {
        Path archive = tmp.resolve("a");
        MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("rogue_src").build().backup(archive);
        int n = 0;
        for (BiPredicate<String, Integer> when : java.util.List.<BiPredicate<String, Integer>>of(FIRST_QUERY,
                (sql, q) -> sql.contains("local_infile"), workerSession(),
                (sql, q) -> sql.startsWith("LOAD DATA LOCAL INFILE"))) {
            String target = "rogue_dst" + n++;
            server.sql("DROP DATABASE IF EXISTS " + target);
            try (RogueProxy rogue = proxy(when)) {
                Throwable failure = catchThrowable(() -> MySqlRestore.using(rogue.url(), Credentials.of("root", new char[0])).rename("rogue_src", target)
                        .parallelism(1).build().restore(archive));
                assertThat(failure).isNotNull();
                assertNothingLeaked(rogue);
                if (n == 4) {
                    // asked for another file during its LOAD DATA, the restore sent the data file it was loading
                    assertThat(new String(rogue.received(), StandardCharsets.UTF_8)).contains("one").contains("two");
                }
            }
            Files.deleteIfExists(archive.resolve("restore-journal.log"));
        }
    }

    /** @return hijacks the session set-up of the first worker (the restore's second connection to set one up) */
    private static BiPredicate<String, Integer> workerSession() {
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        return (sql, q) -> sql.contains("net_write_timeout") && seen.incrementAndGet() == 2;
    }

    @EachServer
    void withTlsRequiredAStrippedOfferIsRefused(@TempDir Path tmp) throws Exception {
        try (RogueProxy rogue = RogueProxy.start(server.port(), secret, true, (sql, n) -> false)) {
            Throwable failure = catchThrowable(() -> MySqlBackup.using(rogue.url(), Credentials.of("root", new char[0])).databases("rogue_src")
                    .tls(MySqlTls.of(MySqlTls.Mode.REQUIRED)).build().backup(tmp.resolve("x")));
            assertThat(failure).hasMessageContaining("cannot connect").hasMessageContaining("SSL");
            assertThat(rogue.tlsRequested()).isFalse();
        }
    }
}
