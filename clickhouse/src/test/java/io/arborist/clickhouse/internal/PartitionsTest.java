package io.arborist.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionsTest {
    @Test
    void a_partition_key_splits_into_its_tuple_elements() {
        assertThat(Partitions.elements("toYYYYMM(emission_time)")).containsExactly("toYYYYMM(emission_time)");
        assertThat(Partitions.elements("(s, n % 3)")).containsExactly("s", "n % 3");
        assertThat(Partitions.elements("tuple(a, toDate(b))")).containsExactly("a", "toDate(b)");
        assertThat(Partitions.elements("(toMonday(d))")).containsExactly("toMonday(d)");
        assertThat(Partitions.elements("(a) + (b)")).containsExactly("(a) + (b)");
        assertThat(Partitions.elements("(concat(s, ',)'), `we,ird`)")).containsExactly("concat(s, ',)')", "`we,ird`");
        assertThat(Partitions.elements("tuple()")).isEmpty();
        assertThat(Partitions.elements("")).isEmpty();
    }

    @Test
    void a_values_row_splits_at_top_level_commas_only() {
        assertThat(Partitions.split("'a\\'b,c',202401,('x',1),[1,2],NULL")).containsExactly("'a\\'b,c'", "202401", "('x',1)", "[1,2]", "NULL");
        assertThat(Partitions.split("('1',2),('3',4)")).containsExactly("('1',2)", "('3',4)");
        assertThat(Partitions.rows("('1',('a)',2)),('3',4)\n('5',6)")).containsExactly("'1',('a)',2)", "'3',4", "'5',6");
        assertThat(Partitions.split("")).isEmpty();
    }

    @Test
    void each_partition_filter_compares_every_key_element_with_its_value_except_null_and_nan() {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("202401-x", "_partition_id = '202401-x'");
        filters.put("it's", "_partition_id = 'it\\'s'");
        filters.put("merged", "_partition_id = 'merged'");
        Partitions.refine(filters, List.of("toYYYYMM(d)", "s", "f"),
                "('202401-x',202401,'x',nan),('it\\'s',NULL,'a,b',-nan),('unknown',1,'u',1),('merged',1)");
        assertThat(filters).containsExactly(
                Map.entry("202401-x", "_partition_id = '202401-x' AND (toYYYYMM(d)) = 202401 AND (s) = 'x'"),
                Map.entry("it's", "_partition_id = 'it\\'s' AND (s) = 'a,b'"),
                Map.entry("merged", "_partition_id = 'merged'"));
    }
}
