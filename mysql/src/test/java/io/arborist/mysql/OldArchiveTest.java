package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.RestoreReport;
import io.arborist.mysql.internal.Manifest;
import io.arborist.mysql.internal.ManifestIo;
import io.arborist.mysql.internal.Sql;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Archives of formats 1 and 2 (server-side row hashes) still restore and verify with the algorithm they record. */
class OldArchiveTest {
    private static final BigInteger MOD = BigInteger.ONE.shiftLeft(64);
    private DbServer server;

    @BeforeEach
    void on(DbServer server) {
        this.server = server;
    }

    /** Rewrites a fresh archive as an older format would have written it, with checksums computed by the server. */
    private static void downgrade(Connection c, Path dir, int version, String algorithm, boolean damage) throws Exception {
        Manifest m = ManifestIo.read(dir);
        assertThat(m.formatVersion()).isEqualTo(Manifest.FORMAT_VERSION);
        assertThat(m.rowHash()).isEqualTo(Sql.HASH_CLIENT);
        List<Manifest.Table> tables = new ArrayList<>();
        for (Manifest.Table t : m.tables()) {
            List<Manifest.Chunk> chunks = new ArrayList<>();
            long total = 0;
            for (Manifest.Chunk ch : t.chunks()) {
                long sum;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(Sql.checksumQuery(t.database(), t,
                        Sql.rangeWhere(t.rangeColumn(), ch.from(), ch.to()), algorithm))) {
                    rs.next();
                    sum = new BigInteger(rs.getString(2)).mod(MOD).longValue();
                }
                if (t.rangeColumn().isEmpty() && ch.index() > 0) {
                    sum = 0; // older formats wrote one file per such table: the first carries the whole table's checksum
                }
                if (damage && t.name().equals("chunked") && ch.index() == 1) {
                    sum++;
                }
                total += sum;
                chunks.add(new Manifest.Chunk(ch.index(), ch.file(), ch.from(), ch.to(), ch.rows(), ch.bytes(), ch.fileBytes(),
                        ch.sha256(), hex(sum)));
            }
            tables.add(new Manifest.Table(t.database(), t.name(), t.engine(), t.createSql(), t.columns(), t.rangeColumn(),
                    t.rows(), t.bytes(), hex(total), chunks));
        }
        ManifestIo.write(dir, new Manifest(version, m.kind(), m.tool(), m.toolVersion(), m.created(), m.server(),
                m.consistency(), m.lockMillis(), version == 1 ? null : algorithm, m.warnings(), m.databases(), tables,
                m.objects(), m.users(), null, ""));
    }

    private static String hex(long v) {
        return String.format(Locale.ROOT, "%016x", v);
    }

    @EachServer
    void formatOneAndTwoArchivesRestoreAndVerifyWithTheirRecordedHash(@TempDir Path tmp) throws Exception {
        TrapSchema.create(server, "old_src");
        int n = 0;
        for (String algorithm : List.of(Sql.HASH_CRC32, Sql.HASH_MD5)) {
            int version = algorithm.equals(Sql.HASH_MD5) ? 1 : 2;
            for (boolean damage : List.of(false, true)) {
                Path dir = tmp.resolve("archive" + n);
                MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("old_src").parallelism(2).chunkRows(4_000).build()
                        .backup(dir);
                try (Connection c = server.connect()) {
                    downgrade(c, dir, version, algorithm, damage);
                }
                assertThat(Files.readString(dir.resolve(ManifestIo.MANIFEST))).contains("\"formatVersion\":" + version);
                assertThat(MySqlArchive.verify(dir).rows()).isPositive();
                String target = "old_dst" + n++;
                MySqlRestore restore = MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).rename("old_src", target).parallelism(2).build();
                if (damage) {
                    assertThatThrownBy(() -> restore.restore(dir)).hasMessageContaining("verification failed")
                            .hasMessageContaining("chunked");
                    continue;
                }
                RestoreReport report = restore.restore(dir);
                assertThat(report.allMatch()).as(algorithm).isTrue();
                try (Connection c = server.connect()) {
                    assertThat(TrapSchema.tableChecksums(c, target)).isEqualTo(TrapSchema.tableChecksums(c, "old_src"));
                    assertThat(TrapSchema.structure(c, target)).containsExactlyElementsOf(TrapSchema.structure(c, "old_src"));
                }
            }
        }
    }
}
