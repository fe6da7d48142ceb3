package io.arborist.mysql.internal;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** Opens connections and turns SQL failures into messages that never contain a password. */
public final class Connections {
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password\\d?=)[^&;\\s]*");
    /** Connector/J settings the engines rely on (streaming, exact bytes, LOAD DATA LOCAL). */
    private static final String DRIVER_SETTINGS = "useServerPrepStmts=false&useCursorFetch=false&characterEncoding=UTF-8"
            + "&allowLoadLocalInfile=true&useCompression=false&cacheCallableStmts=false&zeroDateTimeBehavior=CONVERT_TO_NULL"
            + "&socketTimeout=0&connectTimeout=15000&tcpKeepAlive=true&allowPublicKeyRetrieval=true&useSSL=false";

    private Connections() {
    }

    /**
     * Checks a Connector/J URL (never echoing the password) and builds a data source over it.
     *
     * @param url a {@code jdbc:mysql:} URL without a password
     * @param user the user
     * @param password the password (copied)
     * @return the data source
     */
    public static DataSource checkedFromUrl(String url, String user, char[] password) {
        java.util.Objects.requireNonNull(url, "url");
        java.util.Objects.requireNonNull(user, "user");
        java.util.Objects.requireNonNull(password, "password");
        if (!url.startsWith("jdbc:mysql:")) {
            throw new IllegalArgumentException("url must start with jdbc:mysql:, got '" + redact(url, password) + "'");
        }
        return fromUrl(url, user, password);
    }

    /**
     * A data source over {@link DriverManager} for a JDBC URL, with the engine's driver settings appended. The password
     * is kept out of {@code toString}.
     */
    public static DataSource fromUrl(String url, String user, char[] password) {
        String full = url + (url.contains("?") ? "&" : "?") + DRIVER_SETTINGS;
        char[] secret = password.clone();
        return new UrlDataSource(full, user, secret);
    }

    /** Removes the password (and any {@code password=} URL part) from a message. */
    public static String redact(String message, char[] password) {
        if (message == null) {
            return "";
        }
        String m = URL_PASSWORD.matcher(message).replaceAll("$1****");
        if (password.length >= 1) {
            m = m.replace(new String(password), "****");
        }
        return m;
    }

    /** Opens a connection, turning failures into a CONFIGURATION/BACKUP error without secrets. */
    public static Connection open(DataSource ds, ErrorKind kind, char[] password) {
        try {
            return ds.getConnection();
        } catch (SQLException e) {
            throw failure(kind, "cannot connect to the database", e, password);
        }
    }

    /** @return an exception with the SQL failure's text, redacted, and a redacted copy of the cause */
    public static ArboristException failure(ErrorKind kind, String headline, Throwable e, char[] password) {
        String detail = redact(e.getMessage(), password);
        SQLException cause = new SQLException(detail, e instanceof SQLException s ? s.getSQLState() : null,
                e instanceof SQLException s2 ? s2.getErrorCode() : 0);
        cause.setStackTrace(e.getStackTrace());
        return new ArboristException(kind, headline + ": " + detail, cause);
    }

    /** Runs statements on a connection. */
    public static void exec(Connection c, String... sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private static final class UrlDataSource implements DataSource {
        private final String url;
        private final String user;
        private final char[] password;

        UrlDataSource(String url, String user, char[] password) {
            this.url = url;
            this.user = user;
            this.password = password;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("password", new String(password));
            return DriverManager.getConnection(url, p);
        }

        @Override
        public Connection getConnection(String u, String pw) throws SQLException {
            throw new SQLFeatureNotSupportedException("use getConnection()");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }

        @Override
        public String toString() {
            return "DataSource[" + redact(url, password) + ", user=" + user + "]";
        }
    }
}
