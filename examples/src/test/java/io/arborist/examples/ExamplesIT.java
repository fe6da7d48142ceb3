package io.arborist.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import io.arborist.mysql.DbServer;
import io.arborist.mysql.EachServer;
import io.arborist.mysql.ServerKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs each example program against the real servers and checks what it prints. */
class ExamplesIT {
    @TempDir
    Path dir;

    @BeforeEach
    void clean() throws Exception {
        Servers.dropClickHouseScratchCopies();
    }

    private static String capture(ThrowingRunnable r) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @EachServer
    void mysql_example_backs_up_and_restores_matching_every_table(ServerKind kind) throws Exception {
        DbServer server = Servers.mysql(kind);
        Servers.dropScratchCopies(server);
        String url = server.url();
        String out = capture(() -> MySqlBackupExample.main(new String[] {url, dir.resolve("b").toString()}));

        assertThat(out).contains("backed up 5 tables, 7000 rows; restored 7000 rows, all tables match: true");
    }

    @Test
    void clickhouse_example_backs_up_and_restores_matching_every_table() throws Exception {
        String url = "http://127.0.0.1:" + Servers.clickhouse().admin().url().getPort();
        String out = capture(() -> ClickHouseBackupExample.main(new String[] {url, dir.resolve("ch").toString()}));

        assertThat(out).contains("all tables match: true").contains("restored");
    }

    @Test
    void rewrite_example_moves_names_and_reports_deprecated_models() throws Exception {
        String out = capture(() -> RewriteExample.main(new String[0]));

        assertThat(out).contains("source('reporting', 'dim_most_recent_enrollment')").contains("event_sink.dim_course_names")
                .contains("'reporting.fact_navigation' in a comment stays").contains("DEPRECATED");
    }

    @EachServer
    void snapshot_example_writes_a_snapshot_then_reports_a_loss(ServerKind kind) throws Exception {
        DbServer server = Servers.mysql(kind);
        Servers.dropScratchCopies(server);
        String mysql = server.url();
        String ch = Servers.clickhouse().admin().url().toString();
        Path before = dir.resolve("before.json");
        assertThat(SnapshotCompareExample.run(new String[] {mysql, ch, dir.resolve("none.json").toString(), before.toString()})).isZero();
        assertThat(before).exists();

        server.sql("CREATE DATABASE edxapp_rehearsal", "CREATE TABLE edxapp_rehearsal.keep AS SELECT 1 AS x");
        server.sql("UPDATE edxapp.certificates_generatedcertificate SET status = 'unavailable' WHERE id = 1");
        try {
            String[] out = new String[1];
            int[] status = new int[1];
            out[0] = capture(() -> status[0] = SnapshotCompareExample.run(new String[] {mysql, ch, before.toString(), dir.resolve("after.json").toString()}));

            assertThat(status[0]).isEqualTo(1);
            assertThat(out[0]).contains("1 loss found").contains("downloadable: ");
        } finally {
            server.sql("UPDATE edxapp.certificates_generatedcertificate SET status = 'downloadable' WHERE id = 1");
        }
    }
}
