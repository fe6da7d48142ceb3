package io.arborist.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQL text helpers, without a server: quoting that cannot be escaped from, and row hashes valid on 18.16. */
class SqlTest {
    @Test
    void names_and_literals_are_quoted_so_that_no_value_ends_the_quote() {
        assertThat(Sql.id("events")).isEqualTo("`events`");
        assertThat(Sql.id("we`ird\\")).isEqualTo("`we\\`ird\\\\`");
        assertThat(Sql.qualified("xapi", "t`x")).isEqualTo("`xapi`.`t\\`x`");
        assertThat(Sql.literal("O'Brien\\")).isEqualTo("'O\\'Brien\\\\'");
    }

    @Test
    void row_hash_makes_every_column_hashable_on_18_16() {
        String h = Sql.rowHash(List.of(new String[] {"id", "UUID"}, new String[] {"course", "Nullable(String)"},
                new String[] {"org", "LowCardinality(String)"}, new String[] {"tags", "Array(Nullable(String))"}, new String[] {"n", "UInt64"}));
        // 18.16's cityHash64 rejects UUID: hashed as text
        assertThat(h).contains("cityHash64(toString(`id`))");
        // NULL must not make the whole row's hash NULL
        assertThat(h).contains("if(isNull(`course`), toUInt64(1), cityHash64(assumeNotNull(`course`)))");
        assertThat(h).contains("cityHash64(`org`)");
        assertThat(h).contains("arrayMap(x0 -> if(isNull(x0), toUInt64(1), cityHash64(assumeNotNull(x0))), `tags`)");
        assertThat(h).startsWith("cityHash64(").endsWith("cityHash64(`n`))");
        assertThat(Sql.rowHash(List.of())).isEqualTo("toUInt64(0)");
    }

    @Test
    void engines_whose_merges_change_rows_are_recognised() {
        assertThat(Sql.mergesChangeRows("ReplacingMergeTree")).isTrue();
        assertThat(Sql.mergesChangeRows("ReplicatedAggregatingMergeTree")).isTrue();
        assertThat(Sql.mergesChangeRows("VersionedCollapsingMergeTree")).isTrue();
        assertThat(Sql.mergesChangeRows("MergeTree")).isFalse();
        assertThat(Sql.mergesChangeRows("Log")).isFalse();
    }

    @Test
    void file_names_keep_safe_characters_and_encode_the_rest() {
        assertThat(FileNames.encode("xapi_events-all")).isEqualTo("xapi_events-all");
        assertThat(FileNames.encode("../etc")).isEqualTo("%2E%2E%2Fetc");
        assertThat(FileNames.encode(".inner.mv")).isEqualTo("%2Einner%2Emv");
        assertThat(FileNames.encode("é")).isEqualTo("%C3%A9");
    }
}
