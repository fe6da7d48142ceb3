package io.arborist.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.clickhouse.ManifestObject;
import io.arborist.clickhouse.ObjectKind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The order a backup lists objects in, which is the order a restore creates them: without a server. */
class BackupOrderTest {
    private static ManifestObject object(String name, ObjectKind kind, String ddl) {
        return new ManifestObject("xapi", name, kind, kind == ObjectKind.VIEW ? "View" : "MergeTree", ddl, false,
                kind == ObjectKind.INNER_TABLE ? "mv" : "", List.of());
    }

    @Test
    void tables_come_first_then_inner_tables_views_materialized_views_and_dictionaries() {
        ManifestObject dict = object("d", ObjectKind.DICTIONARY, "CREATE DICTIONARY xapi.d (id UInt64) PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 't'))");
        ManifestObject mv = object("mv", ObjectKind.MATERIALIZED_VIEW, "CREATE MATERIALIZED VIEW xapi.mv ENGINE = MergeTree ORDER BY id AS SELECT id FROM xapi.t");
        ManifestObject inner = object(".inner.mv", ObjectKind.INNER_TABLE, "CREATE TABLE xapi.`.inner.mv` (id UInt64) ENGINE = MergeTree ORDER BY id");
        ManifestObject view = object("v", ObjectKind.VIEW, "CREATE VIEW xapi.v AS SELECT id FROM xapi.t");
        ManifestObject table = object("t", ObjectKind.TABLE, "CREATE TABLE xapi.t (id UInt64) ENGINE = MergeTree ORDER BY id");

        assertThat(Dumper.order(List.of(dict, mv, inner, view, table))).containsExactly(table, inner, view, mv, dict);
    }

    @Test
    void a_view_reading_another_view_comes_after_it_whatever_their_names() {
        ManifestObject top = object("a_top", ObjectKind.VIEW, "CREATE VIEW xapi.a_top AS SELECT id FROM xapi.z_base WHERE id > 1");
        ManifestObject middle = object("m_middle", ObjectKind.VIEW, "CREATE VIEW xapi.m_middle AS SELECT id FROM `xapi`.`z_base`");
        ManifestObject base = object("z_base", ObjectKind.VIEW, "CREATE VIEW xapi.z_base AS SELECT id FROM xapi.t");

        List<ManifestObject> ordered = Dumper.order(List.of(top, middle, base));
        assertThat(ordered.indexOf(base)).isLessThan(ordered.indexOf(top));
        assertThat(ordered.indexOf(base)).isLessThan(ordered.indexOf(middle));
        assertThat(ordered).hasSize(3);
    }

    @Test
    void what_was_read_of_a_file_is_compared_with_the_manifest_by_size_then_digest() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest("rows".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String hex = java.util.HexFormat.of().formatHex(digest);
        assertThat(ArchiveVerifier.compare("data/x/all.native.zst", 4, digest, 4, hex)).isEqualTo(Optional.empty());
        assertThat(ArchiveVerifier.compare("data/x/all.native.zst", 3, digest, 4, hex)).get().asString()
                .isEqualTo("data/x/all.native.zst has 3 bytes, the manifest says 4 (truncated or replaced)");
        assertThat(ArchiveVerifier.compare("data/x/all.native.zst", 4, new byte[32], 4, hex)).get().asString()
                .startsWith("data/x/all.native.zst has SHA-256 0000").endsWith("(corrupted)");
    }
}
