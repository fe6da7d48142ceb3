package io.arborist.mysql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.mysql.DbServer;
import io.arborist.mysql.EachServer;
import org.junit.jupiter.api.BeforeEach;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The row hashes (client-side and the server-side ones of older archives) and the direct row copy, on the real server. */
class RowHashTest {
    private static final List<Manifest.Column> COLUMNS = List.of(new Manifest.Column("a", "varchar", Sql.TEXT),
            new Manifest.Column("b", "varchar", Sql.TEXT), new Manifest.Column("n", "int", Sql.VALUE),
            new Manifest.Column("x", "blob", Sql.HEX));
    private DbServer server;

    @BeforeEach
    void on(DbServer server) {
        this.server = server;
    }

    private List<String> hashes(Connection c, String algorithm) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT CAST(" + Sql.rowHash(COLUMNS, algorithm)
                + " AS CHAR) FROM rowhash.t ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @EachServer
    void nullsMarkersAndColumnBoundariesAllHashDifferently() throws Exception {
        server.sql("DROP DATABASE IF EXISTS rowhash", "CREATE DATABASE rowhash",
                "CREATE TABLE rowhash.t (id INT PRIMARY KEY AUTO_INCREMENT, a VARCHAR(10) CHARACTER SET latin1 NULL,"
                        + " b VARCHAR(10) CHARACTER SET utf8mb4 NULL, n INT NULL, x BLOB NULL)",
                "INSERT INTO rowhash.t (a, b, n, x) VALUES (NULL, 'c', 1, NULL), ('NULL', 'c', 1, NULL), ('\\\\N', 'c', 1, NULL),"
                        + " ('', 'c', 1, NULL), ('ab', 'c', 1, NULL), ('a', 'bc', 1, NULL), ('abc', '', 1, NULL), ('abc', NULL, 1, NULL),"
                        + " ('é', 'é', 1, NULL), ('é', 'é', NULL, NULL), ('é', 'é', 0, NULL), ('é', 'é', 0, ''), ('é', 'é', 0, X'00'),"
                        + " ('é', 'é', 0, 'N'), ('a', 'b', 12, NULL), ('a', 'b', 1, '2')");
        try (Connection c = server.connect()) {
            Manifest.Table t = new Manifest.Table("rowhash", "t", "InnoDB", "", COLUMNS, "id", 0, 0, "", List.of());
            Manifest.Table u = new Manifest.Table("rowhash", "u", "InnoDB", "", COLUMNS, "id", 0, 0, "", List.of());
            for (String algorithm : List.of(Sql.HASH_CRC32, Sql.HASH_MD5)) {
                List<String> h = hashes(c, algorithm);
                Set<String> distinct = new HashSet<>(h);
                assertThat(distinct).as(algorithm).hasSize(h.size());
            }
            List<Long> client = clientHashes(c, t, " ORDER BY id");
            assertThat(new HashSet<>(client)).as(Sql.HASH_CLIENT).hasSize(client.size());
            // order-independent and counting duplicates: the checksums sum per row
            server.sql("CREATE TABLE rowhash.u LIKE rowhash.t", "INSERT INTO rowhash.u SELECT * FROM rowhash.t ORDER BY id DESC");
            assertThat(checksum(c, t)).isEqualTo(checksum(c, u));
            assertThat(clientChecksum(c, t, "")).isEqualTo(clientChecksum(c, u, " ORDER BY id DESC"));
            server.sql("INSERT INTO rowhash.u (a, b, n, x) SELECT a, b, n, x FROM rowhash.t WHERE id = 5");
            assertThat(checksum(c, u)).isNotEqualTo(checksum(c, t));
            assertThat(clientChecksum(c, u, "")).isNotEqualTo(clientChecksum(c, t, ""));
        }
    }

    private static String checksum(Connection c, Manifest.Table t) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(Sql.checksumQuery("rowhash", t, "", Sql.HASH_CRC32))) {
            rs.next();
            return rs.getLong(1) + "/" + rs.getString(2);
        }
    }

    private static List<Long> clientHashes(Connection c, Manifest.Table t, String order) throws Exception {
        List<Long> out = new ArrayList<>();
        Dumper.session(c);
        try (Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            st.setFetchSize(Integer.MIN_VALUE);
            try (ResultSet rs = st.executeQuery(Sql.selectChunk(t.database(), t, order))) {
                RowCopier copier = new RowCopier(rs, null, new boolean[t.columns().size()]);
                while (rs.next()) {
                    out.add(copier.copyRow());
                }
            }
        }
        return out;
    }

    private static String clientChecksum(Connection c, Manifest.Table t, String order) throws Exception {
        List<Long> h = clientHashes(c, t, order);
        return h.size() + "/" + h.stream().mapToLong(Long::longValue).sum();
    }

    @EachServer
    void rowsAreCopiedFromTheDriversBufferAndMatchGetBytes() throws Exception {
        server.sql("DROP DATABASE IF EXISTS rowcopy", "CREATE DATABASE rowcopy",
                "CREATE TABLE rowcopy.t (id INT PRIMARY KEY, a VARCHAR(400) NULL, b VARCHAR(10) NULL, n INT NULL, x MEDIUMBLOB NULL)",
                "INSERT INTO rowcopy.t VALUES (1, 'a\\tb', NULL, 3, X'00FF'), (2, NULL, 'c\\\\', NULL, NULL), (3, '', 'é\\n', -1, ''),"
                        // lengths that take 2 and 3 bytes to encode in the row packet
                        + " (4, REPEAT('y', 300), 'z', 4, REPEAT(X'AB', 70000))");
        Manifest.Table t = new Manifest.Table("rowcopy", "t", "InnoDB", "",
                List.of(new Manifest.Column("id", "int", Sql.VALUE), new Manifest.Column("a", "varchar", Sql.TEXT),
                        new Manifest.Column("b", "varchar", Sql.TEXT), new Manifest.Column("n", "int", Sql.VALUE),
                        new Manifest.Column("x", "blob", Sql.HEX)), "id", 0, 0, "", List.of());
        boolean[] hex = {false, false, false, false, true};
        String sql = Sql.selectChunk("rowcopy", t, " ORDER BY id");
        try (Connection c = Connections.fromUrl(server.url(), "root", new char[0]).getConnection()) {
            Dumper.session(c);
            List<String> outputs = new ArrayList<>();
            List<Long> sums = new ArrayList<>();
            for (boolean direct : List.of(true, false)) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                RowWriter w = new RowWriter(bytes);
                long sum = 0;
                try (Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                    st.setFetchSize(Integer.MIN_VALUE);
                    try (ResultSet rs = st.executeQuery(sql)) {
                        RowCopier copier = new RowCopier(rs, w, hex, direct);
                        assertThat(copier.direct()).isEqualTo(direct);
                        while (rs.next()) {
                            sum += copier.copyRow();
                        }
                        assertThat(copier.packetRows()).isEqualTo(direct ? 4 : 0);
                    }
                }
                w.flush();
                outputs.add(bytes.toString(StandardCharsets.UTF_8));
                sums.add(sum);
            }
            assertThat(outputs.get(0)).isEqualTo("1\ta\\tb\t\\N\t3\t00FF\n2\t\\N\tc\\\\\t\\N\t\\N\n3\t\té\\n\t-1\t\n"
                    + "4\t" + "y".repeat(300) + "\tz\t4\t" + "AB".repeat(70000) + "\n");
            assertThat(outputs.get(1)).isEqualTo(outputs.get(0));
            assertThat(sums.get(1)).isEqualTo(sums.get(0));
            // hashing only (as a restore's verification reads the table back) gives the same sum as dumping
            long hashOnly = 0;
            try (Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                st.setFetchSize(Integer.MIN_VALUE);
                try (ResultSet rs = st.executeQuery(sql)) {
                    RowCopier copier = new RowCopier(rs, null, hex);
                    while (rs.next()) {
                        hashOnly += copier.copyRow();
                    }
                }
            }
            assertThat(hashOnly).isEqualTo(sums.get(0));
        }
    }
}
