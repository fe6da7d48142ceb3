package io.arborist.clickhouse;

/** An Aspects-like schema with data, in databases named with a prefix so tests do not collide. */
public final class AspectsFixture {
    private AspectsFixture() {
    }

    /**
     * Creates {@code <p>xapi}, {@code <p>event_sink}, {@code <p>reporting} with: a partitioned MergeTree of xAPI
     * events (UUID, DateTime, Nullable, Array, long JSON), a ReplacingMergeTree with unmerged duplicates, an empty table,
     * an MV with a TO target, an MV with an inner table, a view on a table and a view on a view.
     *
     * @param s the server
     * @param p database name prefix, possibly empty
     * @param rows xAPI events to insert
     */
    public static void create(ClickHouseServer s, String p, int rows) {
        String x = p + "xapi";
        String e = p + "event_sink";
        String r = p + "reporting";
        s.run("CREATE DATABASE " + x, "CREATE DATABASE " + e, "CREATE DATABASE " + r,
                "CREATE TABLE " + x + ".xapi_events_all (event_id UUID, emission_time DateTime, actor_id String, verb_id String,"
                        + " course_id Nullable(String), tags Array(String), scores Array(Nullable(Float64)), event String)"
                        + " ENGINE = MergeTree PARTITION BY toYYYYMM(emission_time) ORDER BY (emission_time, actor_id)",
                "CREATE TABLE " + r + ".fact_events (emission_time DateTime, actor_id String, verb_id String, course_id Nullable(String))"
                        + " ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(emission_time) ORDER BY (actor_id, emission_time)",
                "CREATE MATERIALIZED VIEW " + r + ".fact_events_mv TO " + r + ".fact_events AS SELECT emission_time, actor_id, verb_id, course_id FROM "
                        + x + ".xapi_events_all",
                "CREATE MATERIALIZED VIEW " + r + ".verb_counts ENGINE = SummingMergeTree ORDER BY verb_id AS SELECT verb_id, count() AS n FROM "
                        + x + ".xapi_events_all GROUP BY verb_id",
                "CREATE VIEW " + r + ".recent_events AS SELECT actor_id, verb_id FROM " + x + ".xapi_events_all WHERE emission_time > toDateTime('2024-02-01 00:00:00')",
                "CREATE VIEW " + r + ".recent_actors AS SELECT DISTINCT actor_id FROM " + r + ".recent_events",
                "CREATE TABLE " + e + ".course_overviews (org String, course_key String, display_name String, dump_id UUID, time_last_dumped DateTime)"
                        + " ENGINE = ReplacingMergeTree(time_last_dumped) PARTITION BY toYYYYMM(time_last_dumped) ORDER BY (org, course_key)",
                "SYSTEM STOP MERGES " + e + ".course_overviews",
                "CREATE TABLE " + e + ".empty_sink (id UInt64, payload String) ENGINE = MergeTree ORDER BY id",
                "CREATE TABLE " + e + ".user_profile (id UInt64, name Nullable(String)) ENGINE = MergeTree ORDER BY id");
        s.run("INSERT INTO " + x + ".xapi_events_all SELECT generateUUIDv4(), toDateTime('2024-01-01 00:00:00') + number * 600,"
                + " concat('actor-', toString(number % 997)), concat('http://adlnet.gov/expapi/verbs/', toString(number % 7)),"
                + " if(number % 5 = 0, NULL, concat('course-v1:Org+C', toString(number % 13))), arrayMap(i -> concat('t', toString(i)), range(number % 4)),"
                + " arrayMap(i -> if(i % 2 = 0, NULL, i * 1.5), range(number % 3)),"
                + " concat('{\"id\":', toString(number), ',\"text\":\"', arrayStringConcat(arrayMap(i -> 'lorem ipsum \\\\u00e9', range(number % 50 + 1))), '\"}')"
                + " FROM numbers(" + rows + ")");
        for (int round = 0; round < 3; round++) {
            s.run("INSERT INTO " + e + ".course_overviews SELECT 'Org', concat('course-', toString(number)), concat('Course ', toString(number), ' v" + round
                    + "'), generateUUIDv4(), toDateTime('2024-03-01 00:00:00') + number * 3600 * 24 * 20 FROM numbers(40)");
        }
        s.run("INSERT INTO " + e + ".user_profile SELECT number, if(number % 3 = 0, NULL, concat('user ', toString(number))) FROM numbers(500)");
    }
}
