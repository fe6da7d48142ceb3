package io.arborist.mysql.internal;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.jdbc.JdbcStatement;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.mysql.MySqlTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Opens connections that a hostile server cannot turn against the client, and turns SQL failures into messages that
 * never contain a password.
 *
 * <p>URLs are checked before use: {@code jdbc:mysql://HOST[:PORT][,HOST[:PORT]...][/DATABASE][?OPTION=VALUE&...]},
 * without credentials ({@code user:password@}, {@code user=}, {@code password=}) and without the options Arborist
 * sets itself; messages show only the scheme and the hosts. Connector/J settings are passed as properties, which win
 * over the URL's.
 *
 * <p>{@code LOAD DATA LOCAL INFILE}: a server answers a query with a request for a file of the client's choosing and
 * Connector/J sends it when local infile is allowed. Connections that read (backups, snapshots) never allow it.
 * Connections that load (restores) announce it at the handshake but restrict it to an empty path while Connector/J
 * initialises the session, then feed it only from a stream this process set: an empty one, or the data file a worker
 * is loading ({@link #feed}); a file name the server asks for is never opened.
 */
public final class Connections {
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password\\d?=)[^&;\\s]*");
    private static final String SCHEME = "jdbc:mysql://";
    private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*|\\[[0-9A-Fa-f:.]+])(?::\\d{1,5})?");
    private static final Pattern OPTION = Pattern.compile("[A-Za-z][A-Za-z0-9_.]*");
    /** URL options that would override what Arborist sets for safety; refused, named in the message (never their values). */
    private static final Set<String> RESERVED = Set.of("allowloadlocalinfile", "allowloadlocalinfileinpath", "allowurlinlocalinfile",
            "allowmultiqueries", "sslmode", "usessl", "requiressl", "verifyservercertificate", "trustcertificatekeystoreurl",
            "trustcertificatekeystoretype", "fallbacktosystemtruststore", "allowpublickeyretrieval", "propertiestransform",
            "useconfigs", "socketfactory", "queryinterceptors", "connectionlifecycleinterceptors", "exceptioninterceptors",
            "autodeserialize", "sessionvariables");
    /** The stream every loading connection holds between two loads: empty, never closed. */
    private static final InputStream NOTHING = new InputStream() {
        @Override
        public int read() {
            return -1;
        }

        @Override
        public void close() {
            // stays usable: Connector/J closes what it sent
        }
    };

    /** What a connection may do with {@code LOAD DATA LOCAL INFILE}. */
    enum LocalFiles {
        /** Never: the client does not offer it. */
        NEVER,
        /** Only from streams this process sets ({@link #feed}). */
        OWN_STREAMS
    }

    private Connections() {
    }

    /**
     * Checks a Connector/J URL and builds a data source for reading (backups, snapshots) over it, with TLS when the
     * server offers it.
     *
     * @param url a {@code jdbc:mysql:} URL without credentials
     * @param user the user
     * @param password the password (copied)
     * @return the data source
     * @throws IllegalArgumentException when the URL is malformed, carries credentials or sets what Arborist sets
     */
    public static DataSource checkedFromUrl(String url, String user, char[] password) {
        return forReading(url, user, password, MySqlTls.preferred());
    }

    /** As {@link #checkedFromUrl}, with these TLS settings. */
    public static DataSource forReading(String url, String user, char[] password, MySqlTls tls) {
        return build(url, user, password, tls, LocalFiles.NEVER);
    }

    /** A data source for restores: local infile only from the restore's own streams ({@link #openForLoading}). */
    public static DataSource forLoading(String url, String user, char[] password, MySqlTls tls) {
        return build(url, user, password, tls, LocalFiles.OWN_STREAMS);
    }

    /** A data source for reading over an unchecked URL (tests): as {@link #checkedFromUrl}. */
    public static DataSource fromUrl(String url, String user, char[] password) {
        return checkedFromUrl(url, user, password);
    }

    private static DataSource build(String url, String user, char[] password, MySqlTls tls, LocalFiles files) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(tls, "tls");
        String where = describe(url);
        checkUrl(url);
        Properties p = new Properties();
        p.setProperty("useServerPrepStmts", "false");
        p.setProperty("useCursorFetch", "false");
        p.setProperty("characterEncoding", "UTF-8");
        p.setProperty("useCompression", "false");
        p.setProperty("cacheCallableStmts", "false");
        p.setProperty("zeroDateTimeBehavior", "CONVERT_TO_NULL");
        p.setProperty("socketTimeout", "0");
        p.setProperty("connectTimeout", "15000");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("allowMultiQueries", "false");
        p.setProperty("allowUrlInLocalInfile", "false");
        p.setProperty("autoDeserialize", "false");
        p.setProperty("allowLoadLocalInfile", "false");
        if (files == LocalFiles.OWN_STREAMS) {
            // announces LOAD DATA LOCAL at the handshake; while the session initialises, any file the server asks for is
            // refused (an empty path holds no file); openForLoading then feeds it from the restore's streams only
            p.setProperty("allowLoadLocalInfileInPath", "");
        }
        tls(p, tls);
        return new UrlDataSource(url, where, user, password.clone(), p);
    }

    private static void tls(Properties p, MySqlTls tls) {
        p.setProperty("sslMode", tls.mode().name());
        // without TLS, caching_sha2_password sends the password encrypted with a key the server hands out unchecked:
        // needed when the server offers no TLS (PREFERRED), never when TLS is required
        p.setProperty("allowPublicKeyRetrieval", Boolean.toString(tls.mode() == MySqlTls.Mode.PREFERRED));
        if (tls.ca().isPresent()) {
            TrustStore store = TrustStore.of(tls.ca().get());
            p.setProperty("trustCertificateKeyStoreUrl", store.file().toUri().toString());
            p.setProperty("trustCertificateKeyStoreType", "PKCS12");
            p.setProperty("trustCertificateKeyStorePassword", store.password());
            p.setProperty("fallbackToSystemTrustStore", "false");
        } else {
            p.setProperty("fallbackToSystemTrustStore", "true");
        }
    }

    /**
     * Checks a URL without echoing it.
     *
     * @throws IllegalArgumentException when it is malformed, carries credentials, or sets an option Arborist sets
     */
    public static void checkUrl(String url) {
        String where = describe(url);
        String rest = url.substring(SCHEME.length());
        int end = indexOfAny(rest, "/?");
        String authority = end < 0 ? rest : rest.substring(0, end);
        if (authority.contains("@")) {
            throw new IllegalArgumentException("the MySQL URL " + where + " carries credentials (user@ or user:password@);"
                    + " give the user and the password separately, never in the URL");
        }
        int q = rest.indexOf('?');
        if (q < 0) {
            return;
        }
        for (String option : rest.substring(q + 1).split("&", -1)) {
            if (option.isEmpty()) {
                continue;
            }
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq);
            if (!OPTION.matcher(key).matches()) {
                throw new IllegalArgumentException("the MySQL URL " + where + " has a malformed option; write options as"
                        + " ?NAME=VALUE&NAME=VALUE");
            }
            String k = key.toLowerCase(Locale.ROOT);
            if (k.equals("user") || k.contains("password")) {
                throw new IllegalArgumentException("the MySQL URL " + where + " carries credentials (option " + key
                        + "); give the user and the password separately, never in the URL");
            }
            if (RESERVED.contains(k)) {
                throw new IllegalArgumentException("the MySQL URL " + where + " sets " + key + ", which Arborist sets itself"
                        + " (TLS: use the tls settings; local files: never from the URL); remove it");
            }
        }
    }

    /**
     * @param url a URL as given
     * @return {@code jdbc:mysql://HOST:PORT} (the hosts only: no database, options or credentials)
     * @throws IllegalArgumentException for a URL that is not of that form, without echoing it
     */
    public static String describe(String url) {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith(SCHEME)) {
            throw new IllegalArgumentException("the MySQL URL must start with " + SCHEME + " (as in jdbc:mysql://127.0.0.1:3306);"
                    + " the URL given is not shown, in case it holds a password");
        }
        String rest = url.substring(SCHEME.length());
        int end = indexOfAny(rest, "/?");
        String authority = end < 0 ? rest : rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        String hosts = at < 0 ? authority : authority.substring(at + 1);
        List<String> out = new ArrayList<>();
        for (String h : hosts.split(",", -1)) {
            if (!HOST.matcher(h).matches()) {
                throw new IllegalArgumentException("the MySQL URL is malformed: expected " + SCHEME
                        + "HOST[:PORT][/DATABASE][?OPTION=VALUE&...]; the URL given is not shown, in case it holds a password");
            }
            out.add(h);
        }
        return SCHEME + String.join(",", out);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
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

    /**
     * Opens a connection for reading: whatever the data source allows, a Connector/J connection then refuses every
     * local file the server asks for.
     */
    public static Connection open(DataSource ds, ErrorKind kind, char[] password) {
        Connection c = connect(ds, kind, password);
        try {
            forbidLocalFiles(c);
        } catch (SQLException | RuntimeException e) {
            close(c);
            throw failure(kind, "cannot prepare the connection", e, password);
        }
        return c;
    }

    /** As {@link #open}, for a connection a caller obtained itself. */
    public static void forbidLocalFiles(Connection c) throws SQLException {
        if (c.isWrapperFor(JdbcConnection.class)) {
            JdbcConnection j = c.unwrap(JdbcConnection.class);
            j.getPropertySet().getBooleanProperty(PropertyKey.allowLoadLocalInfile).setValue(false);
            j.getPropertySet().getStringProperty(PropertyKey.allowLoadLocalInfileInPath).setValue("");
        }
    }

    /**
     * Opens a connection for a restore: {@code LOAD DATA LOCAL INFILE} reads only what {@link #feed} hands it, empty
     * otherwise. Needs Connector/J, and a data source that does not allow several statements per query.
     */
    public static Connection openForLoading(DataSource ds, ErrorKind kind, char[] password) {
        Connection c = connect(ds, kind, password);
        try {
            if (!c.isWrapperFor(JdbcConnection.class)) {
                throw new ArboristException(ErrorKind.CONFIGURATION, "a restore needs MySQL Connector/J connections (it streams"
                        + " LOAD DATA LOCAL INFILE from the archive); the data source gave " + c.getClass().getName());
            }
            JdbcConnection j = c.unwrap(JdbcConnection.class);
            if (j.getPropertySet().getBooleanProperty(PropertyKey.allowMultiQueries).getValue()) {
                throw new ArboristException(ErrorKind.CONFIGURATION, "the data source allows several statements per query"
                        + " (allowMultiQueries=true); a restore refuses it: an archive's statement must never run as two");
            }
            try (Statement st = c.createStatement()) {
                st.unwrap(JdbcStatement.class).setLocalInfileInputStream(NOTHING);
            }
            // from now on every file request is answered from the stream set above, never from a file name
            j.getPropertySet().getBooleanProperty(PropertyKey.allowLoadLocalInfile).setValue(true);
        } catch (SQLException e) {
            close(c);
            throw failure(kind, "cannot prepare the connection", e, password);
        } catch (RuntimeException e) {
            close(c);
            throw e;
        }
        return c;
    }

    /**
     * Runs a {@code LOAD DATA LOCAL INFILE} statement fed from a stream (whatever file name the server then asks for),
     * and leaves the connection feeding nothing again.
     *
     * @return the rows loaded
     */
    public static long feed(Statement st, InputStream in, String sql) throws SQLException {
        JdbcStatement js = st.unwrap(JdbcStatement.class);
        js.setLocalInfileInputStream(in);
        try {
            st.execute(sql);
            return st.getUpdateCount();
        } finally {
            js.setLocalInfileInputStream(NOTHING);
        }
    }

    private static Connection connect(DataSource ds, ErrorKind kind, char[] password) {
        try {
            return ds.getConnection();
        } catch (SQLException e) {
            throw failure(kind, "cannot connect to the database", e, password);
        }
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // failing anyway
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

    /** A PKCS12 trust store made from a PEM file of certificate authorities, in an owner-only directory. */
    private record TrustStore(Path file, String password) {
        static TrustStore of(Path pem) {
            Collection<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(pem)) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            } catch (IOException | GeneralSecurityException e) {
                throw new ArboristException(ErrorKind.CONFIGURATION, "TLS certificate authority file " + pem
                        + " cannot be read as PEM certificates (" + e.getClass().getSimpleName() + "); give the CA's .pem file", e);
            }
            if (certs.isEmpty()) {
                throw new ArboristException(ErrorKind.CONFIGURATION, "TLS certificate authority file " + pem
                        + " holds no certificate; give the CA's .pem file");
            }
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                int i = 0;
                for (Certificate c : certs) {
                    ks.setCertificateEntry("ca" + i++, c);
                }
                Path dir = OwnerOnly.createTempDirectory("arborist-tls-");
                Path file = dir.resolve("ca.p12");
                try (OutputStream out = OwnerOnly.newOutputStream(file)) {
                    ks.store(out, password.toCharArray());
                }
                file.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                return new TrustStore(file, password);
            } catch (IOException | GeneralSecurityException e) {
                throw new ArboristException(ErrorKind.CONFIGURATION, "cannot prepare the TLS trust store from " + pem + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private static final class UrlDataSource implements DataSource {
        private final String url;
        private final String where;
        private final String user;
        private final char[] password;
        private final Properties settings;

        UrlDataSource(String url, String where, String user, char[] password, Properties settings) {
            this.url = url;
            this.where = where;
            this.user = user;
            this.password = password;
            this.settings = settings;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Properties p = new Properties();
            p.putAll(settings);
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
            return "DataSource[" + where + ", user=" + user + "]";
        }
    }
}
