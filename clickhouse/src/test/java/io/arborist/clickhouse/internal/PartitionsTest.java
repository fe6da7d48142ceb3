package io.arborist.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
}
