package io.arborist.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import io.arborist.clickhouse.internal.Http;
import io.arborist.clickhouse.internal.Sql;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.report.Measure;
import io.arborist.core.report.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Counts what the Aspects databases of a ClickHouse server hold, for the no-data-loss report
 * ({@link io.arborist.core.report.SnapshotComparison}):
 *
 * <ul>
 *   <li>area {@code clickhouse.rows}, key {@code database.table}: {@code count()} of every table (not views,
 *       materialized views or dictionaries) of the chosen databases; for engines whose merges change rows
 *       (Replacing, Collapsing, Summing, Aggregating… MergeTree) {@code count() … FINAL}, the rows after
 *       deduplication, which background merges do not change (a plain count drops whenever the server merges parts,
 *       which would show as loss). The inner table of a materialized view is keyed {@code database..inner.<view>} on
 *       every server version (Atomic databases name it {@code .inner_id.<uuid>}, which differs between a source and
 *       its restored copy);</li>
 *   <li>area {@code xapi.events}, key the day ({@code 2024-01-31}, UTC) of {@code emission_time}: events of the
 *       events table (default {@code xapi.xapi_events_all}), when it exists.</li>
 * </ul>
 *
 * <p>A database or events table that does not exist is listed in {@link Snapshot#missingTables()} (a whole missing
 * database as {@code database.*}), never an error. Tables of engines that keep no rows of their own on this server
 * ({@code Distributed}, {@code Merge}, {@code Buffer}, {@code Kafka}, {@code Null}, {@code MySQL}, {@code URL}, …)
 * are not counted: reading a {@code Kafka} table would consume its messages and the others would count another
 * table's rows again. Read-only; counts are per table, not one consistent snapshot (pause ingestion for exact
 * comparisons).
 *
 * <pre>{@code
 * Snapshot before = AspectsSnapshot.of(ClickHouseEndpoint.of("http://clickhouse:8123", credentials)).take();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class AspectsSnapshot {
    /** The Aspects databases counted by default. */
    public static final List<String> DEFAULT_DATABASES = List.of("xapi", "event_sink", "reporting");
    /** Area of the per-table row counts. */
    public static final String ROWS = "clickhouse.rows";
    /** Area of the per-day xAPI event counts. */
    public static final String EVENTS = "xapi.events";
    private static final Set<String> LOCAL_DATA = Set.of("Log", "TinyLog", "StripeLog", "Memory");

    private final ClickHouseEndpoint endpoint;
    private final List<String> databases;
    private final String eventsDatabase;
    private final String eventsTable;
    private final String source;
    private final Duration timeout;
    private final Clock clock;

    private AspectsSnapshot(ClickHouseEndpoint endpoint, List<String> databases, String eventsDatabase, String eventsTable, String source,
            Duration timeout, Clock clock) {
        this.endpoint = endpoint;
        this.databases = List.copyOf(databases);
        this.eventsDatabase = eventsDatabase;
        this.eventsTable = eventsTable;
        this.source = source;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * @param endpoint the server
     * @return a snapshot taker for {@link #DEFAULT_DATABASES} and {@code xapi.xapi_events_all}, described as
     *     {@code clickhouse <url>}
     */
    public static AspectsSnapshot of(ClickHouseEndpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        return new AspectsSnapshot(endpoint, DEFAULT_DATABASES, "xapi", "xapi_events_all", "clickhouse " + endpoint.url(), Duration.ofHours(1),
                Clock.systemUTC());
    }

    /**
     * @param names the databases whose tables are counted (not empty)
     * @return a copy that counts these
     */
    public AspectsSnapshot databases(List<String> names) {
        Objects.requireNonNull(names, "names");
        names.forEach(n -> Objects.requireNonNull(n, "database name"));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name at least one database");
        }
        return new AspectsSnapshot(endpoint, List.copyOf(new LinkedHashSet<>(names)), eventsDatabase, eventsTable, source, timeout, clock);
    }

    /**
     * @param database database of the xAPI events table
     * @param table the table, with an {@code emission_time} column
     * @return a copy that counts events per day in this table
     */
    public AspectsSnapshot eventsTable(String database, String table) {
        return new AspectsSnapshot(endpoint, databases, Objects.requireNonNull(database, "database"), Objects.requireNonNull(table, "table"),
                source, timeout, clock);
    }

    /**
     * @param description where the data comes from, without credentials (default: {@code clickhouse <url>})
     * @return a copy that records this source
     */
    public AspectsSnapshot describedAs(String description) {
        return new AspectsSnapshot(endpoint, databases, eventsDatabase, eventsTable, Objects.requireNonNull(description, "description"), timeout,
                clock);
    }

    /**
     * @param timeout longest time one count may take (default: 1 h)
     * @return a copy with this timeout
     */
    public AspectsSnapshot timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return new AspectsSnapshot(endpoint, databases, eventsDatabase, eventsTable, source, timeout, clock);
    }

    /**
     * @return the counts
     * @throws ArboristException of kind CONFIGURATION when the server cannot be reached or read
     */
    public Snapshot take() {
        List<Measure> measures = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (Http http = new Http(endpoint, timeout, ErrorKind.CONFIGURATION)) {
            Set<String> present = new LinkedHashSet<>();
            http.rows("SELECT name FROM system.databases").forEach(r -> present.add(r.path("name").asText()));
            for (String db : databases) {
                if (!present.contains(db)) {
                    missing.add(db + ".*");
                    continue;
                }
                List<JsonNode> tables = http.rows("SELECT name, engine FROM system.tables WHERE database = " + Sql.literal(db) + " ORDER BY name");
                Map<String, String> byUuid = new HashMap<>();
                if (tables.stream().anyMatch(t -> t.path("name").asText().startsWith(".inner_id."))) {
                    // system.tables.uuid exists only where .inner_id. names do (20.x+ Atomic databases).
                    http.rows("SELECT name, toString(uuid) AS uuid FROM system.tables WHERE database = " + Sql.literal(db))
                            .forEach(t -> byUuid.put(t.path("uuid").asText(), t.path("name").asText()));
                }
                for (JsonNode t : tables) {
                    String name = t.path("name").asText();
                    String engine = t.path("engine").asText();
                    if (!engine.contains("MergeTree") && !LOCAL_DATA.contains(engine)) {
                        continue;
                    }
                    String final_ = Sql.mergesChangeRows(engine) ? " FINAL" : "";
                    long rows = Long.parseLong(http.value("SELECT count() FROM " + Sql.qualified(db, name) + final_));
                    measures.add(new Measure(ROWS, db + "." + key(name, byUuid), rows));
                }
            }
            if (!present.contains(eventsDatabase) || http.rows("SELECT name FROM system.tables WHERE database = " + Sql.literal(eventsDatabase)
                    + " AND name = " + Sql.literal(eventsTable)).isEmpty()) {
                String events = eventsDatabase + "." + eventsTable;
                if (!missing.contains(eventsDatabase + ".*")) {
                    missing.add(events);
                }
            } else {
                for (JsonNode r : http.rows("SELECT toString(toDate(toTimeZone(emission_time, 'UTC'))) AS d, count() AS c FROM "
                        + Sql.qualified(eventsDatabase, eventsTable) + " GROUP BY d ORDER BY d")) {
                    measures.add(new Measure(EVENTS, r.path("d").asText(), r.path("c").asLong()));
                }
            }
        }
        return new Snapshot(clock.instant(), source, measures, missing);
    }

    /** {@code .inner_id.<uuid>} (Atomic databases) becomes {@code .inner.<view>}, the name 18.16 and Ordinary databases use. */
    private static String key(String name, Map<String, String> byUuid) {
        if (name.startsWith(".inner_id.")) {
            String view = byUuid.get(name.substring(".inner_id.".length()));
            if (view != null) {
                return ".inner." + view;
            }
        }
        return name;
    }

    @Override
    public String toString() {
        return "AspectsSnapshot[" + endpoint + ", databases=" + databases + ", events=" + eventsDatabase + "." + eventsTable + "]";
    }
}
