package io.arborist.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.clickhouse.ObjectKind;
import io.arborist.clickhouse.internal.DdlPolicy.Scope;
import io.arborist.clickhouse.internal.DdlPolicy.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DdlPolicyTest {
    /** xapi and reporting restored as xapi2 and reporting2; event_sink kept. */
    static final Scope RENAMED = new Scope(Map.of("xapi", "xapi2", "reporting", "reporting2", "event_sink", "event_sink"),
            Set.of("xapi2.events", "reporting2.fact_events", "event_sink.course_overviews"), Set.of());
    static final Scope SAME = new Scope(Map.of("xapi", "xapi", "reporting", "reporting", "event_sink", "event_sink"),
            Set.of("xapi.events", "reporting.fact_events", "event_sink.course_overviews"), Set.of());

    static Verdict table(String ddl) {
        return DdlPolicy.object(ObjectKind.TABLE, ddl, "xapi", "events", SAME);
    }

    static String refused(Verdict v) {
        assertThat(v.problem()).as("refused: %s", v).isPresent();
        return v.problem().get();
    }

    @Test
    void accepts_what_servers_show_and_rewrites_renamed_databases() {
        Verdict t = DdlPolicy.object(ObjectKind.TABLE, "CREATE TABLE xapi.events (`event_id` UUID, `emission_time` DateTime64(6), `tags` Array(String))"
                + " ENGINE = MergeTree PARTITION BY toYYYYMM(emission_time) ORDER BY (emission_time, event_id) SETTINGS index_granularity = 8192",
                "xapi", "events", RENAMED);
        assertThat(t.problem()).isEmpty();
        assertThat(t.sql()).startsWith("CREATE TABLE xapi2.events (").contains("ENGINE = MergeTree");
        Verdict mv = DdlPolicy.object(ObjectKind.MATERIALIZED_VIEW, "CREATE MATERIALIZED VIEW reporting.fact_events_mv TO reporting.fact_events"
                + " (`actor_id` String) AS SELECT e.actor_id FROM xapi.events AS e INNER JOIN event_sink.course_overviews AS c ON e.x = c.x"
                + " WHERE e.y IN (SELECT y FROM xapi.events) AND dictGet('event_sink.course_names_dict', 'n', e.k) != ''", "reporting", "fact_events_mv",
                RENAMED);
        assertThat(mv.problem()).isEmpty();
        assertThat(mv.outsideReads()).isEmpty();
        assertThat(mv.sql()).contains("TO reporting2.fact_events").contains("FROM xapi2.events AS e").contains("dictGet('event_sink.course_names_dict'");
        Verdict inner = DdlPolicy.object(ObjectKind.MATERIALIZED_VIEW, "CREATE MATERIALIZED VIEW reporting.verb_counts (`verb_id` String, `n` UInt64)"
                + " ENGINE = SummingMergeTree ORDER BY verb_id SETTINGS index_granularity = 8192 AS SELECT verb_id, count() AS n FROM xapi.events"
                + " GROUP BY verb_id", "reporting", "verb_counts", RENAMED);
        assertThat(inner.problem()).isEmpty();
        Verdict view = DdlPolicy.object(ObjectKind.VIEW, "CREATE VIEW reporting.recent (`a` String) SQL SECURITY INVOKER AS SELECT DISTINCT actor_id"
                + " FROM reporting.recent_events, xapi.events AS x, numbers(3) WHERE extract(x.t, 'a') = ''", "reporting", "recent", RENAMED);
        assertThat(view.problem()).isEmpty();
        assertThat(view.outsideReads()).isEmpty();
        assertThat(view.sql()).contains("FROM reporting2.recent_events, xapi2.events AS x");
    }

    @Test
    void rewrites_a_dictionarys_source_database_and_query_after_a_rename() {
        Scope s = new Scope(Map.of("event_sink", "es2"), Set.of("es2.course_overviews"), Set.of());
        Verdict d = DdlPolicy.object(ObjectKind.DICTIONARY, "CREATE DICTIONARY event_sink.names (`k` String, `n` String) PRIMARY KEY k"
                + " SOURCE(CLICKHOUSE(HOST 'localhost' USER 'default' PASSWORD '[HIDDEN]' DB 'event_sink' QUERY 'with x as (select k, n from event_sink.course_overviews)"
                + " select splitByString(\\'+\\', k)[-1] AS k, n from x')) LIFETIME(MIN 0 MAX 120) LAYOUT(COMPLEX_KEY_HASHED())", "event_sink", "names", s);
        assertThat(d.problem()).isEmpty();
        assertThat(d.sql()).startsWith("CREATE DICTIONARY es2.names").contains("DB 'es2'").contains("from es2.course_overviews")
                .contains("splitByString(\\'+\\', k)").doesNotContain("event_sink");
    }

    @Test
    void refuses_other_statements_and_more_than_one_statement() {
        assertThat(refused(table("DROP TABLE other.t"))).contains("is not a CREATE statement").contains("DROP TABLE other");
        assertThat(refused(table("CREATE TABLE xapi.events (x UInt8) ENGINE = Memory; DROP DATABASE other"))).contains("more than one statement");
        assertThat(table("CREATE TABLE xapi.events (x UInt8) ENGINE = Memory;").problem()).isEmpty();
        assertThat(refused(table("CREATE TABLE xapi.events (x UInt8) ENGINE = Memory /* ; DROP DATABASE other */"))).contains("comment");
        assertThat(refused(table("CREATE TABLE xapi.events (x UInt8) ENGINE = Memory -- x"))).contains("comment");
        assertThat(refused(table("CREATE TABLE xapi.events (x UInt8) ENGINE = Memory COMMENT 'x"))).contains("unterminated");
        assertThat(refused(table("CREATE TABLE xapi.events (x UInt8) ENGINE = Memory COMMENT \u2018x\u2019"))).contains("U+2018");
        assertThat(refused(table("CREATE TABLE xapi.events (x UInt8) ENGINE = Memory COMMENT $$x$$"))).contains("'$'");
        assertThat(refused(table("ALTER TABLE xapi.events DELETE WHERE 1"))).contains("not a CREATE");
        assertThat(refused(table("SYSTEM DROP DNS CACHE"))).contains("not a CREATE");
        assertThat(refused(table("CREATE OR REPLACE TABLE xapi.events (x UInt8) ENGINE = Memory"))).contains("OR REPLACE");
        assertThat(refused(table("CREATE TEMPORARY TABLE events (x UInt8) ENGINE = Memory"))).contains("temporary");
        assertThat(refused(table("CREATE TABLE xapi.events ON CLUSTER c (x UInt8) ENGINE = Memory"))).contains("ON CLUSTER");
        assertThat(refused(table(""))).contains("empty");
    }

    @Test
    void refuses_another_kind_name_or_database() {
        assertThat(refused(table("CREATE TABLE other.events (x UInt8) ENGINE = Memory"))).contains("creates other.events, not xapi.events");
        assertThat(refused(table("CREATE TABLE xapi.other (x UInt8) ENGINE = Memory"))).contains("not xapi.events");
        assertThat(refused(table("CREATE TABLE `xapi`.`events\\n` (x UInt8) ENGINE = Memory"))).contains("events\\x0a");
        assertThat(refused(table("CREATE VIEW xapi.events AS SELECT 1"))).contains("is not a CREATE TABLE");
        assertThat(refused(DdlPolicy.object(ObjectKind.VIEW, "CREATE MATERIALIZED VIEW xapi.v TO xapi.events AS SELECT 1", "xapi", "v", SAME)))
                .contains("is not a CREATE VIEW");
        assertThat(refused(DdlPolicy.object(ObjectKind.TABLE, "CREATE TABLE x.t (a UInt8) ENGINE = Memory", "x", "t", SAME)))
                .contains("which the archive does not list");
        assertThat(table("CREATE TABLE IF NOT EXISTS events (x UInt8) ENGINE = Memory").problem()).as("unqualified: the object's own database").isEmpty();
    }

    @Test
    void refuses_copies_engines_and_functions_that_reach_outside() {
        assertThat(refused(table("CREATE TABLE xapi.events AS other.t"))).contains("copies another table");
        assertThat(refused(table("CREATE TABLE xapi.events (x UInt8) ENGINE = Memory AS SELECT * FROM other.t"))).contains("copies rows");
        assertThat(refused(table("CREATE TABLE xapi.events (x String) ENGINE = URL('http://evil/', CSV)"))).contains("table engine URL");
        assertThat(refused(table("CREATE TABLE xapi.events (x String) ENGINE = Kafka SETTINGS kafka_broker_list = 'k:9092'"))).contains("Kafka");
        assertThat(refused(table("CREATE TABLE xapi.events (x String) ENGINE = File(CSV)"))).contains("File");
        assertThat(refused(table("CREATE TABLE xapi.events (x String MATERIALIZED file('/etc/passwd')) ENGINE = Memory"))).contains("calls file()");
        assertThat(refused(table("CREATE TABLE xapi.events (x String) ENGINE = MergeTree ORDER BY x SETTINGS disk = disk(type = web, endpoint = 'http://e/')")))
                .contains("calls disk()");
        String fixedPath = "CREATE TABLE xapi.events (x String) ENGINE = ReplicatedMergeTree('/clickhouse/tables/events', '{replica}') ORDER BY x";
        assertThat(table(fixedPath).problem()).as("the same database: the same replicas, as before").isEmpty();
        assertThat(refused(DdlPolicy.object(ObjectKind.TABLE, fixedPath, "xapi", "events", RENAMED))).contains("fixed ZooKeeper path");
        assertThat(table("CREATE TABLE xapi.events (x String) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')"
                + " ORDER BY x").problem()).isEmpty();
        assertThat(refused(table("CREATE TABLE xapi.events (x String) ENGINE = Buffer(other, t, 1, 10, 100, 10000, 1000000, 10000000, 100000000)")))
                .contains("into the database other");
        Verdict buffer = DdlPolicy.object(ObjectKind.TABLE, "CREATE TABLE xapi.events (x String) ENGINE = Buffer('xapi', t, 1, 10, 100, 1, 2, 3, 4)", "xapi",
                "events", RENAMED);
        assertThat(buffer.sql()).contains("Buffer('xapi2', t,");
        assertThat(refused(DdlPolicy.object(ObjectKind.VIEW, "CREATE VIEW xapi.v AS SELECT * FROM url('http://evil/x', CSV)", "xapi", "v", SAME)))
                .contains("table function url()");
        assertThat(refused(DdlPolicy.object(ObjectKind.VIEW, "CREATE VIEW xapi.v AS SELECT * FROM xapi.events WHERE x IN remote('h', system.users)", "xapi", "v",
                SAME))).contains("calls remote()");
        assertThat(refused(DdlPolicy.object(ObjectKind.DICTIONARY, "CREATE DICTIONARY xapi.d (k UInt64, v String) PRIMARY KEY k SOURCE(CLICKHOUSE(DB 'xapi'"
                + " TABLE 't')) LAYOUT(SSD_CACHE(PATH '/var/lib/clickhouse/x')) LIFETIME(0)", "xapi", "d", SAME))).contains("SSD_CACHE");
    }

    @Test
    void tells_tampering_from_objects_that_reach_outside() {
        assertThat(table("DROP TABLE other.t").outside()).isFalse();
        assertThat(table("CREATE TABLE other.events (x UInt8) ENGINE = Memory").outside()).isFalse();
        assertThat(table("CREATE TABLE xapi.events (x String) ENGINE = URL('http://evil/', CSV)").outside()).isTrue();
        assertThat(DdlPolicy.object(ObjectKind.DICTIONARY, "CREATE DICTIONARY xapi.d (k UInt64) PRIMARY KEY k SOURCE(CLICKHOUSE(DB 'xapi' QUERY"
                + " 'SELECT k FROM url(\\'http://e/\\', CSV)')) LAYOUT(HASHED()) LIFETIME(0)", "xapi", "d", SAME)).satisfies(v -> {
                    assertThat(v.problem()).get().asString().contains("SOURCE QUERY that reads through the table function url()");
                    assertThat(v.outside()).isTrue();
                });
    }

    @Test
    void materialized_views_write_only_into_tables_of_the_archive() {
        assertThat(refused(DdlPolicy.object(ObjectKind.MATERIALIZED_VIEW, "CREATE MATERIALIZED VIEW xapi.mv TO other.t AS SELECT * FROM xapi.events",
                "xapi", "mv", SAME))).contains("writes (TO) into other.t");
        assertThat(DdlPolicy.object(ObjectKind.MATERIALIZED_VIEW, "CREATE MATERIALIZED VIEW reporting.mv TO reporting.fact_events AS SELECT *"
                + " FROM xapi.events", "reporting", "mv", RENAMED).sql()).as("into the renamed copy").contains("TO reporting2.fact_events");
        assertThat(refused(DdlPolicy.object(ObjectKind.MATERIALIZED_VIEW, "CREATE MATERIALIZED VIEW reporting.mv TO event_sink.other AS SELECT *"
                + " FROM xapi.events", "reporting", "mv", RENAMED))).contains("event_sink.other, which is not a table of the archive");
        assertThat(refused(DdlPolicy.object(ObjectKind.MATERIALIZED_VIEW, "CREATE MATERIALIZED VIEW xapi.mv TO xapi.events POPULATE AS SELECT 1", "xapi",
                "mv", SAME))).contains("POPULATE");
    }

    @Test
    void reads_outside_the_archive_are_reported_apart_and_can_be_allowed() {
        Verdict v = DdlPolicy.object(ObjectKind.VIEW, "CREATE VIEW xapi.v AS SELECT name FROM system.users JOIN other.t USING (name)"
                + " WHERE dictHas('other.d', name)", "xapi", "v", SAME);
        assertThat(v.problem()).isEmpty();
        assertThat(v.outsideReads()).containsExactly("system.users", "other.t", "other.d");
        Scope allowing = new Scope(SAME.databases(), SAME.tables(), Set.of("system", "other"));
        assertThat(DdlPolicy.object(ObjectKind.VIEW, "CREATE VIEW xapi.v AS SELECT name FROM system.users", "xapi", "v", allowing).outsideReads()).isEmpty();
        assertThat(refused(DdlPolicy.object(ObjectKind.VIEW, "CREATE VIEW xapi.v AS SELECT dictGet(concat('other', '.d'), 'a', 1)", "xapi", "v", SAME)))
                .contains("not a string");
    }

    @Test
    void dictionaries_read_this_server_only() {
        String head = "CREATE DICTIONARY xapi.d (k UInt64, v String) PRIMARY KEY k SOURCE(";
        String tail = ") LAYOUT(HASHED()) LIFETIME(0)";
        assertThat(refused(DdlPolicy.object(ObjectKind.DICTIONARY, head + "CLICKHOUSE(HOST 'evil.example' DB 'xapi' TABLE 't')" + tail, "xapi", "d", SAME)))
                .contains("another server (SOURCE HOST evil.example)");
        assertThat(refused(DdlPolicy.object(ObjectKind.DICTIONARY, head + "EXECUTABLE(COMMAND 'cat /etc/passwd' FORMAT TabSeparated)" + tail, "xapi", "d",
                SAME))).contains("SOURCE of type EXECUTABLE");
        assertThat(refused(DdlPolicy.object(ObjectKind.DICTIONARY, head + "CLICKHOUSE(TABLE 't')" + tail, "xapi", "d", SAME))).contains("no DB");
        assertThat(refused(DdlPolicy.object(ObjectKind.DICTIONARY, head + "CLICKHOUSE(DB 'xapi' QUERY 'SELECT 1; DROP TABLE xapi.events')" + tail, "xapi",
                "d", SAME))).contains("SOURCE QUERY that holds more than one statement");
        Verdict other = DdlPolicy.object(ObjectKind.DICTIONARY, head + "CLICKHOUSE(DB 'other' TABLE 't')" + tail, "xapi", "d", SAME);
        assertThat(other.outsideReads()).containsExactly("other.*");
        assertThat(DdlPolicy.object(ObjectKind.DICTIONARY, head + "CLICKHOUSE(HOST 'localhost' PORT 9000 DB 'xapi' TABLE 't')" + tail, "xapi", "d", SAME)
                .problem()).isEmpty();
    }

    @Test
    void databases_are_rebuilt_from_their_engine_and_comment_only() {
        assertThat(DdlPolicy.database("CREATE DATABASE reporting\nENGINE = Atomic\nCOMMENT 'Aspects \\'reporting\\''", "reporting", "r2").sql())
                .isEqualTo("CREATE DATABASE IF NOT EXISTS `r2` ENGINE = Atomic COMMENT 'Aspects \\'reporting\\''");
        assertThat(DdlPolicy.database("CREATE DATABASE rt_xapi ENGINE = Ordinary", "rt_xapi", "rt_xapi").sql())
                .isEqualTo("CREATE DATABASE IF NOT EXISTS `rt_xapi` ENGINE = Ordinary");
        assertThat(DdlPolicy.database("CREATE DATABASE x ENGINE = Atomic; DROP DATABASE other", "x", "x").problem()).get().asString()
                .contains("more than one statement");
        assertThat(DdlPolicy.database("CREATE DATABASE x ENGINE = MySQL('evil:3306', 'db', 'u', 'p')", "x", "x").problem()).get().asString()
                .contains("database engine MySQL");
        assertThat(DdlPolicy.database("CREATE DATABASE other", "x", "x").problem()).get().asString().contains("creates the database other, not x");
        assertThat(DdlPolicy.database("DROP DATABASE other", "x", "x").problem()).get().asString().contains("not a CREATE DATABASE");
    }

    @Test
    void a_lexer_reads_strings_like_clickhouse() throws Exception {
        List<DdlLexer.Token> t = DdlLexer.tokenize("'a\\'b' 'c''d' '\\%' '\\x41\\n' `x``y` \"q\\\"r\" 1e-5 0x1E-5");
        assertThat(t).extracting(DdlLexer.Token::value).containsExactly("a'b", "c'd", "\\%", "A\n", "x`y", "q\"r", "1e-5", "0x1E", "-", "5");
    }
}
