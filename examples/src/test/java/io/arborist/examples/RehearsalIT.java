package io.arborist.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.clickhouse.ClickHouseServer;
import io.arborist.core.backup.Credentials;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.report.Change;
import io.arborist.core.report.Difference;
import io.arborist.mysql.DbServer;
import io.arborist.mysql.EachServer;
import io.arborist.mysql.ServerKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end rehearsal on real throwaway servers (MariaDB 10.11, then MySQL 8.0, and ClickHouse 18.16 started by the tests): plan,
 * dry-run execution with real backups, restore into scratch databases, no-data-loss report; and the same rehearsal
 * catching certificates deleted from the restored copy.
 */
class RehearsalIT {
    private DbServer mysql;
    private ClickHouseServer clickhouse;

    @BeforeEach
    void servers(ServerKind kind) throws Exception {
        mysql = Servers.mysql(kind);
        clickhouse = Servers.clickhouse();
        Servers.dropScratchCopies(mysql);
    }

    @EachServer
    void rehearsal_backs_up_restores_and_finds_no_loss(@TempDir Path work) {
        Rehearsal.Outcome o = Rehearsal.rehearse(mysql.url(), Credentials.of("root", new char[0]), clickhouse.admin(), work, () -> { });

        assertThat(o.run().completed()).isTrue();
        assertThat(o.run().backups()).extracting(b -> b.target()).containsExactly(BackupTarget.MYSQL, BackupTarget.CLICKHOUSE);
        assertThat(o.commands()).contains("tutor local upgrade --from=olive").contains("tutor local launch -I");
        assertThat(o.report().hasLoss()).as(o.report().toMarkdown()).isFalse();
        assertThat(o.report().only(Change.UNCHANGED)).extracting(Difference::area)
                .contains("users", "enrollments", "certificates", "completions", "grades", "passes", "clickhouse.rows", "xapi.events");
        assertThat(o.report().differences()).filteredOn(d -> d.key().equals("xapi.xapi_events_all")).singleElement()
                .satisfies(d -> assertThat(d.after()).isEqualTo(Servers.XAPI_EVENTS));
        assertThat(o.report().toMarkdown()).contains("Verdict: **no loss found**");
    }

    private void sql(String statement) {
        try {
            mysql.sql(statement);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @EachServer
    void rehearsal_catches_certificates_missing_from_the_restored_copy(@TempDir Path work) {
        Rehearsal.Outcome o = Rehearsal.rehearse(mysql.url(), Credentials.of("root", new char[0]), clickhouse.admin(), work, () -> {
            sql("DELETE FROM edxapp_rehearsal.certificates_generatedcertificate WHERE id IN (10, 11, 12)");
        });

        assertThat(o.report().hasLoss()).isTrue();
        List<Difference> losses = o.report().only(Change.LOSS);
        assertThat(losses).allSatisfy(d -> assertThat(d.area()).isEqualTo("certificates"));
        assertThat(losses.stream().mapToLong(d -> -d.delta()).sum()).isEqualTo(3);
        assertThat(o.report().toMarkdown()).contains("3 losses found");
    }
}
