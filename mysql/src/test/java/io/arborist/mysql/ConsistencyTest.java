package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.backup.Credentials;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** How the backup's workers agree on one snapshot while the server stays busy. */
class ConsistencyTest {
    private DbServer server;

    @BeforeEach
    void on(DbServer server) {
        this.server = server;
    }

    @EachServer
    void aLongRunningQueryDoesNotHoldTheBackupBack(@TempDir Path tmp) throws Exception {
        server.sql("DROP DATABASE IF EXISTS slow_src", "CREATE DATABASE slow_src",
                "CREATE TABLE slow_src.t (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO slow_src.t VALUES (1, 'a'), (2, 'b')");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection slow = server.connect()) {
            long id = connectionId(slow);
            // a report that keeps the table open for a minute: a table flush (FLUSH TABLES WITH READ LOCK) would wait for it
            Future<?> report = pool.submit(() -> {
                try (Statement st = slow.createStatement(); ResultSet rs = st.executeQuery("SELECT SLEEP(60) FROM slow_src.t LIMIT 1")) {
                    rs.next();
                } catch (SQLException e) {
                    return e.getMessage(); // killed below
                }
                return "finished";
            });
            awaitRunning(id, server.isMySql() ? 2 : 0);

            MySqlArchive a = MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("slow_src").parallelism(2)
                    .lockWait(java.time.Duration.ofSeconds(1)).build().backup(tmp.resolve("x"));

            assertThat(report.isDone()).as("the backup finished while the report was still running").isFalse();
            if (server.isMySql()) {
                // MySQL has no BACKUP STAGE: a table flush would wait for the report and hold every new query back, so
                // the backup does not flush while a query has run for a while and reads in one transaction, DDL locked out
                assertThat(a.consistency()).isEqualTo("single-transaction");
                assertThat(a.warnings()).anySatisfy(w -> assertThat(w).contains("FLUSH TABLES WITH READ LOCK not tried: query " + id)
                        .doesNotContain("SLEEP"));
                assertThat(a.features()).contains("lock:LOCK INSTANCE FOR BACKUP");
            } else {
                assertThat(a.consistency()).isEqualTo("backup-stage");
            }
            assertThat(a.rows()).isEqualTo(2);
            server.sql("KILL QUERY " + id);
            // MySQL's SLEEP returns 1 when its query is killed; MariaDB's query fails
            assertThat(report.get(30, TimeUnit.SECONDS)).isEqualTo(server.isMySql() ? "finished" : "Query execution was interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    @EachServer
    void workersSeeTheSameCommitsWhileTransfersRun(@TempDir Path tmp) throws Exception {
        server.sql("DROP DATABASE IF EXISTS bank", "CREATE DATABASE bank",
                "CREATE TABLE bank.debit (id INT PRIMARY KEY AUTO_INCREMENT, amount INT NOT NULL)",
                "CREATE TABLE bank.credit (id INT PRIMARY KEY AUTO_INCREMENT, amount INT NOT NULL)",
                "INSERT INTO bank.debit (amount) SELECT 1 FROM " + DbServer.seq(20000), "INSERT INTO bank.credit (amount) SELECT 1 FROM " + DbServer.seq(20000));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong transfers = new AtomicLong();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> writer = pool.submit(() -> {
            try (Connection c = server.connect(); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                while (!stop.get()) {
                    // every transaction adds one row to each table: any consistent view has equal counts
                    st.execute("INSERT INTO bank.debit (amount) VALUES (1)");
                    st.execute("INSERT INTO bank.credit (amount) VALUES (1)");
                    c.commit();
                    transfers.incrementAndGet();
                }
            }
            return null;
        });
        try {
            while (transfers.get() < 50) {
                Thread.sleep(5);
            }
            for (int round = 0; round < 3; round++) {
                long before = transfers.get();
                // one table per worker; each worker opens its own snapshot
                MySqlArchive a = MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("bank").parallelism(2).build()
                        .backup(tmp.resolve("x" + round));
                assertThat(a.consistency()).isEqualTo(server.consistency());
                long debit = a.tables().stream().filter(t -> t.table().equals("debit")).findFirst().orElseThrow().rows();
                long credit = a.tables().stream().filter(t -> t.table().equals("credit")).findFirst().orElseThrow().rows();
                assertThat(debit).isEqualTo(credit).isGreaterThanOrEqualTo(20_000 + before);
            }
            assertThat(writer.isDone()).as("the writer kept running").isFalse();
        } finally {
            stop.set(true);
            writer.get(30, TimeUnit.SECONDS);
            pool.shutdownNow();
        }
    }

    private static long connectionId(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Waits until the query of connection {@code id} has run for {@code seconds}. */
    private void awaitRunning(long id, int seconds) throws Exception {
        for (int i = 0; i < 1000; i++) {
            try (Connection c = server.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT INFO, TIME FROM information_schema.PROCESSLIST WHERE ID = " + id)) {
                if (rs.next() && rs.getString(1) != null && rs.getString(1).contains("SLEEP(60)") && rs.getInt(2) >= seconds) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the long query never started");
    }
}
