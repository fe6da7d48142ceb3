package io.arborist.mysql;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.Credentials;
import io.arborist.core.report.Measure;
import io.arborist.core.report.Snapshot;
import io.arborist.mysql.internal.Connections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Counts what learners have in an edxapp database, for the no-data-loss report: users, active enrollments per course
 * and mode, certificates per course and status, block completions per course, persistent course grades and passes per
 * course. A table a release renamed or dropped is reported as missing, not as an error. Read-only, in one
 * consistent-snapshot transaction. Its connections never send a local file to the server ({@code LOAD DATA LOCAL
 * INFILE} is refused, whatever the data source allows), and connections from a URL use TLS when the server offers it.
 *
 * <pre>{@code
 * Snapshot before = LearnerSnapshot.of(dataSource, "edxapp").take();
 * }</pre>
 *
 * @since 0.1
 */
public final class LearnerSnapshot {
    private static final List<Query> QUERIES = List.of(
            new Query("auth_user", "users", "SELECT '*', COUNT(*) FROM %s.auth_user"),
            new Query("student_courseenrollment", "enrollments",
                    "SELECT CONCAT(course_id, '/', mode), COUNT(*) FROM %s.student_courseenrollment WHERE is_active = 1 GROUP BY course_id, mode"),
            new Query("certificates_generatedcertificate", "certificates",
                    "SELECT CONCAT(course_id, '/', status), COUNT(*) FROM %s.certificates_generatedcertificate GROUP BY course_id, status"),
            // the model field is context_key, stored in column course_key (db_column); accept either name
            new Query("completion_blockcompletion", "completions",
                    "SELECT {course_key|context_key}, COUNT(*) FROM %s.completion_blockcompletion WHERE completion > 0"
                    + " GROUP BY {course_key|context_key}"),
            new Query("grades_persistentcoursegrade", "grades",
                    "SELECT course_id, COUNT(*) FROM %s.grades_persistentcoursegrade GROUP BY course_id"),
            new Query("grades_persistentcoursegrade", "passes",
                    "SELECT course_id, COUNT(*) FROM %s.grades_persistentcoursegrade WHERE passed_timestamp IS NOT NULL GROUP BY course_id"));

    private static final Pattern CHOICE = Pattern.compile("\\{([a-z_|]+)}");

    private final DataSource dataSource;
    private final String database;
    private final String source;
    private final Clock clock;

    private LearnerSnapshot(DataSource dataSource, String database, String source, Clock clock) {
        this.dataSource = dataSource;
        this.database = database;
        this.source = source;
        this.clock = clock;
    }

    /**
     * @param dataSource connections to the server (the caller owns pooling)
     * @param database the edxapp database name
     * @return a snapshot taker
     */
    public static LearnerSnapshot of(DataSource dataSource, String database) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(database, "database");
        if (!database.matches("[A-Za-z0-9_$]+")) {
            throw new IllegalArgumentException("database name must be letters, digits, '_' or '$', got '" + database + "'");
        }
        return new LearnerSnapshot(dataSource, database, "mysql " + database, Clock.systemUTC());
    }

    /**
     * Same as {@link #of(DataSource, String)} over a Connector/J URL, as {@link MySqlBackup#using(String, Credentials)}.
     *
     * @param url a {@code jdbc:mysql:} URL such as {@code jdbc:mysql://127.0.0.1:3306}, without credentials
     * @param credentials the user and password (copied; never logged)
     * @param database the edxapp database name
     * @return a snapshot taker, described as {@code mysql <url>/<database>}
     */
    public static LearnerSnapshot of(String url, Credentials credentials, String database) {
        return of(url, credentials, database, MySqlTls.preferred());
    }

    /**
     * As {@link #of(String, Credentials, String)}, with these TLS settings.
     *
     * @param url a {@code jdbc:mysql:} URL such as {@code jdbc:mysql://127.0.0.1:3306}, without credentials
     * @param credentials the user and password (copied; never logged)
     * @param database the edxapp database name
     * @param tls how the connection uses TLS
     * @return a snapshot taker, described as {@code mysql <scheme and hosts>/<database>}
     * @throws IllegalArgumentException for a malformed URL or one that carries credentials (never echoed)
     */
    public static LearnerSnapshot of(String url, Credentials credentials, String database, MySqlTls tls) {
        Objects.requireNonNull(credentials, "credentials");
        char[] password = credentials.password();
        DataSource ds;
        try {
            ds = Connections.forReading(url, credentials.user(), password, tls);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
        return of(ds, database).describedAs("mysql " + Connections.describe(url) + "/" + database);
    }

    /**
     * @param description where the data comes from, without credentials (default: {@code mysql <database>})
     * @return a copy that records this source
     */
    public LearnerSnapshot describedAs(String description) {
        return new LearnerSnapshot(dataSource, database, Objects.requireNonNull(description, "description"), clock);
    }

    /**
     * @return the counts
     * @throws ArboristException of kind CONFIGURATION when the database cannot be read
     */
    public Snapshot take() {
        List<Measure> measures = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            Connections.forbidLocalFiles(c);
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            }
            Map<String, Set<String>> tables = tables(c);
            for (Query q : QUERIES) {
                String sql = q.table() != null && tables.containsKey(q.table()) ? resolve(q.sql(), tables.get(q.table())) : null;
                if (sql == null) {
                    // a table (or the column counted) a release renamed or dropped: reported, not an error
                    if (!missing.contains(database + "." + q.table())) {
                        missing.add(database + "." + q.table());
                    }
                    continue;
                }
                try (PreparedStatement ps = c.prepareStatement(String.format(sql, "`" + database + "`"));
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        measures.add(new Measure(q.area(), String.valueOf(rs.getString(1)), rs.getLong(2)));
                    }
                }
            }
            c.rollback();
        } catch (SQLException e) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "Cannot take a learner snapshot of database '" + database + "': "
                    + e.getMessage() + " (SQL state " + e.getSQLState() + "). Check the URL, user and privileges (SELECT on the database).", e);
        }
        return new Snapshot(clock.instant(), source, measures, missing);
    }

    /** @return the database's tables and their columns (lower case) */
    private Map<String, Set<String>> tables(Connection c) throws SQLException {
        Map<String, Set<String>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2).toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /**
     * @return the query with every {@code {a|b}} replaced by the first of those columns the table has, or null when it
     *     has none of them
     */
    static String resolve(String sql, Set<String> columns) {
        Matcher m = CHOICE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String found = null;
            for (String candidate : m.group(1).split("\\|")) {
                if (columns.contains(candidate)) {
                    found = candidate;
                    break;
                }
            }
            if (found == null) {
                return null;
            }
            m.appendReplacement(out, found);
        }
        m.appendTail(out);
        return out.toString();
    }

    private record Query(String table, String area, String sql) {
    }
}
