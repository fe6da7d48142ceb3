package io.arborist.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.clickhouse.internal.Http;
import io.arborist.clickhouse.internal.Partitions;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.RestoreReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;

/** Per-partition export filters: exact on every key shape, and pruning the other partitions on 18.16 as on today's servers. */
class PartitionFilterIT {
    private static final Pattern ROWS_READ = Pattern.compile("\"rows_read\":\\s*\"?(\\d+)");
    /** Table name, partition key, columns, rows (from numbers(1200)). */
    private static final List<String[]> TABLES = List.of(
            new String[] {"by_month", "toYYYYMM(d)", "d DateTime, v String", "toDateTime('2024-01-01 00:00:00') + number * 26000, toString(number)"},
            new String[] {"by_tuple", "(s, n % 3)", "d Date, s String, n UInt32", "toDate('2024-01-01'), toString(number % 2), number"},
            new String[] {"by_text", "s", "d Date, s String", "toDate('2024-01-01'), concat('it''s a\\\\b,(c)', toString(number % 4))"},
            new String[] {"by_day", "d", "d Date, s String", "toDate('2024-01-01') + number % 5, 'x'"},
            new String[] {"unpartitioned", "tuple()", "d Date, s String", "toDate('2024-01-01'), toString(number)"});

    private static void fixture(TestClickHouse server) {
        server.once("PartitionFilterIT", () -> {
            server.run("CREATE DATABASE pf");
            for (String[] t : TABLES) {
                server.run("CREATE TABLE pf." + t[0] + " (" + t[2] + ") ENGINE = MergeTree PARTITION BY " + t[1] + " ORDER BY d",
                        "INSERT INTO pf." + t[0] + " SELECT " + t[3] + " FROM numbers(1200)");
            }
            return server;
        });
    }

    @EachEngine
    void each_filter_selects_exactly_its_partition_and_prunes_the_others(TestClickHouse server) throws IOException {
        fixture(server);
        try (Http http = new Http(server.admin(), Duration.ofMinutes(1), ErrorKind.BACKUP)) {
            for (String[] t : TABLES) {
                String table = "pf." + t[0];
                String key = server.value("SELECT partition_key FROM system.tables WHERE database = 'pf' AND name = '" + t[0] + "'");
                Map<String, String> filters = Partitions.filters(http, "pf", t[0], key);
                List<String> ids = List.of(server.value("SELECT arrayStringConcat(groupArray(p), ',') FROM (SELECT DISTINCT partition_id AS p FROM"
                        + " system.parts WHERE active AND database = 'pf' AND table = '" + t[0] + "' ORDER BY p)").split(","));
                assertThat(filters.keySet()).as(table).containsExactlyElementsOf(ids);
                long total = 0;
                for (Map.Entry<String, String> f : filters.entrySet()) {
                    long exact = Long.parseLong(server.value("SELECT count() FROM " + table + " WHERE _partition_id = '" + f.getKey() + "'"));
                    // force_index_by_date fails the query unless the partition key's min-max index (or pruner) is used.
                    String json = server.query("SELECT countIf(NOT ignore(*)) AS c FROM " + table + " WHERE " + f.getValue()
                            + (t[0].equals("unpartitioned") ? "" : " SETTINGS force_index_by_date = 1") + " FORMAT JSON");
                    assertThat(json).as(table + " " + f.getValue()).containsPattern("\"c\": \"?" + exact + "\"?\\s");
                    total += exact;
                    if (t[0].equals("by_tuple")) {
                        assertThat(f.getValue()).contains("(s) = '" + server.value("SELECT any(s) FROM " + table + " WHERE _partition_id = '"
                                + f.getKey() + "'") + "'");
                    }
                    // 18.16 counts the rows it read in the JSON statistics (chdb reports 0 there): exactly the partition's.
                    if (!server.modern() && !t[0].equals("unpartitioned")) {
                        long read = rowsRead(json);
                        assertThat(read).as(table + " " + f.getValue() + " reads its partition only").isLessThan(1200);
                        if (!t[0].equals("by_tuple")) {
                            assertThat(read).as(table + " " + f.getValue() + " reads its partition only").isEqualTo(exact);
                        }
                    }
                }
                if (!server.modern() && !t[0].equals("unpartitioned")) {
                    String first = filters.keySet().iterator().next();
                    assertThatThrownBy(() -> server.query("SELECT count() FROM " + table + " WHERE _partition_id = '" + first
                            + "' SETTINGS force_index_by_date = 1")).as("18.16 does not prune on _partition_id alone").hasMessageContaining("not used");
                }
                assertThat(total).as(table).isEqualTo(1200);
                if (t[0].equals("unpartitioned")) {
                    assertThat(filters).containsExactly(Map.entry("all", "_partition_id = 'all'"));
                } else {
                    assertThat(filters.size()).as(table).isGreaterThan(1);
                }
            }
        }
    }

    @EachEngine
    void a_backup_split_by_partition_restores_every_row_of_every_key_shape(TestClickHouse server, @TempDir Path tmp) {
        fixture(server);
        ClickHouseManifest m = ClickHouseBackup.using(server.admin()).databases(List.of("pf")).splitPartitionsAbove(0).build().backup(tmp.resolve("b"));
        assertThat(ClickHouseRoundTripIT.find(m, "pf.by_tuple").chunks()).hasSize(6);
        assertThat(ClickHouseRoundTripIT.find(m, "pf.by_text").chunks()).hasSize(4);
        assertThat(ClickHouseRoundTripIT.find(m, "pf.unpartitioned").chunks()).hasSize(1);
        RestoreReport r = ClickHouseRestore.using(server.admin()).rename("pf", "pf_copy").build().restore(tmp.resolve("b"));
        assertThat(r.allMatch()).isTrue();
        for (String[] t : TABLES) {
            String hash = "SELECT count(), sum(cityHash64(*)) FROM ";
            assertThat(server.value(hash + "pf_copy." + t[0])).as(t[0]).isEqualTo(server.value(hash + "pf." + t[0]));
        }
    }

    private static long rowsRead(String json) {
        Matcher m = ROWS_READ.matcher(json);
        assertThat(m.find()).as("statistics in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }
}
