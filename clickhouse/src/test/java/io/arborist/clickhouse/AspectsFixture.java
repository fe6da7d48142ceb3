package io.arborist.clickhouse;

import java.util.Map;

/** An Aspects-like schema with data, in databases named with a prefix so tests do not collide. */
public final class AspectsFixture {
    /** The password in the dictionary's source, which ClickHouse 22.8+ shows as {@code [HIDDEN]}. */
    static final String DICTIONARY_PASSWORD = "dict-secret-9b1c";

    private AspectsFixture() {
    }

    /**
     * Creates {@code <p>xapi}, {@code <p>event_sink}, {@code <p>reporting} with: a partitioned MergeTree of xAPI
     * events (UUID, DateTime, Nullable, Array, long JSON text), a ReplacingMergeTree with unmerged duplicates, an empty
     * table, an MV with a TO target, an MV with an inner table, a view on a table and a view on a view. On a ClickHouse
     * of today ({@link TestClickHouse#modern()}) the column types are those Aspects uses on 24–25 (DateTime64(6)
     * event times, LowCardinality(String) verbs), and there are also an enrollment table (Bool, LowCardinality),
     * a table with Map and JSON columns, and a dictionary whose source holds a password (as Aspects' course
     * dictionaries do).
     *
     * @param s the server
     * @param p database name prefix, possibly empty
     * @param rows xAPI events to insert
     */
    public static void create(TestClickHouse s, String p, int rows) {
        boolean modern = s.modern();
        String time = modern ? "DateTime64(6)" : "DateTime";
        String verb = modern ? "LowCardinality(String)" : "String";
        String x = p + "xapi";
        String e = p + "event_sink";
        String r = p + "reporting";
        s.run("CREATE DATABASE " + x, "CREATE DATABASE " + e, "CREATE DATABASE " + r + (modern ? " ENGINE = Atomic COMMENT 'Aspects reporting'" : ""),
                "CREATE TABLE " + x + ".xapi_events_all (event_id UUID, emission_time " + time + ", actor_id String, verb_id " + verb + ","
                        + " course_id Nullable(String), tags Array(String), scores Array(Nullable(Float64)), event String)"
                        + " ENGINE = MergeTree PARTITION BY toYYYYMM(emission_time) ORDER BY (emission_time, actor_id)",
                "CREATE TABLE " + r + ".fact_events (emission_time " + time + ", actor_id String, verb_id " + verb + ", course_id Nullable(String))"
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
        String when = modern ? "addMicroseconds(addSeconds(toDateTime64('2024-01-01 00:00:00', 6), number * 600), number % 997)"
                : "toDateTime('2024-01-01 00:00:00') + number * 600";
        s.run("INSERT INTO " + x + ".xapi_events_all SELECT generateUUIDv4(), " + when + ","
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
        if (modern) {
            s.run("CREATE TABLE " + e + ".course_enrollment (id Int32, course_key String, created String, is_active Bool, mode LowCardinality(String),"
                            + " username String, user_id Int32, dump_id UUID, time_last_dumped String) ENGINE = MergeTree"
                            + " ORDER BY (course_key, user_id, time_last_dumped)",
                    "INSERT INTO " + e + ".course_enrollment SELECT number, concat('course-v1:Org+C', toString(number % 13)), '2024-01-01 00:00:00',"
                            + " number % 7 != 0, ['audit', 'verified', 'honor'][number % 3 + 1], concat('learner', toString(number)), number,"
                            + " generateUUIDv4(), toString(toDateTime('2024-03-01 00:00:00') + number) FROM numbers(900)",
                    "CREATE TABLE " + r + ".event_attributes (event_id UUID, emission_time DateTime64(6), attrs Map(String, String), payload JSON,"
                            + " org LowCardinality(Nullable(String))) ENGINE = MergeTree PARTITION BY toYYYYMM(emission_time) ORDER BY (emission_time, event_id)",
                    "INSERT INTO " + r + ".event_attributes SELECT generateUUIDv4(), addSeconds(toDateTime64('2024-01-01 00:00:00', 6), number * 3000),"
                            + " map('verb', toString(number % 7), 'n', toString(number)), CAST(concat('{\"id\":', toString(number), ',\"tags\":[\"a\",\"b\"],"
                            + "\"score\":', toString(number % 7), if(number % 2 = 0, ',\"extra\":{\"deep\":true}', ''), '}') AS JSON),"
                            + " if(number % 4 = 0, NULL, 'Org') FROM numbers(" + Math.max(1, rows / 5) + ")",
                    dictionary(e, DICTIONARY_PASSWORD));
        }
    }

    /**
     * @param s the server
     * @param p the prefix given to {@link #create}
     * @return the full DDL of each fixture object whose secrets the server hides, by {@code database.name} (for
     *     {@code ClickHouseRestore.Builder#ddlOverride}); empty where nothing is hidden
     */
    public static Map<String, String> secrets(TestClickHouse s, String p) {
        return s.modern() ? Map.of(p + "event_sink.course_names_dict", dictionary(p + "event_sink", DICTIONARY_PASSWORD)) : Map.of();
    }

    private static String dictionary(String e, String password) {
        return "CREATE DICTIONARY " + e + ".course_names_dict (course_key String, display_name String) PRIMARY KEY course_key"
                + " SOURCE(CLICKHOUSE(USER 'default' PASSWORD '" + password + "' DB '" + e + "' TABLE 'course_overviews'))"
                + " LAYOUT(COMPLEX_KEY_HASHED()) LIFETIME(MIN 0 MAX 0)";
    }
}
