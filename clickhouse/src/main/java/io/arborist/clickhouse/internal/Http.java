package io.arborist.clickhouse.internal;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arborist.clickhouse.ClickHouseEndpoint;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that talks to ClickHouse: clickhouse-java client-v2 over HTTP. The output format is always written in
 * the SQL text ({@code FORMAT …}) because 18.16 ignores the client's format parameter; no server setting is sent, so
 * old servers do not reject the requests. Error messages never contain the password. Thread-safe: concurrent calls
 * use separate pooled connections.
 */
public final class Http implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Http.class);
    private static final int TLS_PROBE_MILLIS = 10_000;

    private final Client client;
    private final URI url;
    private final String user;
    private final String password;
    private final Duration timeout;
    private final ErrorKind kind;

    /**
     * @param endpoint the server, its credentials and how to trust it ({@code https://}: the JVM's CAs, or the endpoint's
     *     CA file; the host name is checked)
     * @param timeout longest time a single statement (including a whole table export) may take
     * @param kind error kind for failures (BACKUP or RESTORE)
     * @throws ArboristException of kind CONFIGURATION when the CA file cannot be read
     */
    public Http(ClickHouseEndpoint endpoint, Duration timeout, ErrorKind kind) {
        this.url = endpoint.url();
        this.user = endpoint.user();
        char[] pw = endpoint.credentials().password();
        this.password = new String(pw); // the HTTP client takes a String
        java.util.Arrays.fill(pw, '\0');
        this.timeout = timeout;
        this.kind = kind;
        Client.Builder b = new Client.Builder()
                .addEndpoint(url.toString())
                .setUsername(user)
                .setPassword(password)
                .compressServerResponse(false)
                .compressClientRequest(false)
                .useHttpCompression(false)
                .setConnectTimeout(10, ChronoUnit.SECONDS)
                .setSocketTimeout(timeout.toMillis())
                .setClientNetworkBufferSize(1 << 20);
        endpoint.caCertificate().ifPresent(ca -> {
            if (!Files.isRegularFile(ca) || !Files.isReadable(ca)) {
                throw new ArboristException(ErrorKind.CONFIGURATION, "cannot read the CA certificate file " + ca
                        + "; give a PEM file of the CA that signed the ClickHouse server's certificate");
            }
            b.setRootCertificate(ca.toAbsolutePath().toString());
        });
        if ("https".equals(url.getScheme())) {
            probeTls();
        }
        try {
            this.client = b.build();
        } catch (RuntimeException e) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "cannot set up the connection to ClickHouse at " + url + ": "
                    + redact(String.valueOf(rootOf(e).getMessage())) + endpoint.caCertificate().map(ca -> " (is " + ca + " a PEM certificate?)").orElse(""),
                    null);
        }
    }

    /**
     * Fails fast when an https URL's port does not answer a TLS handshake (a plain HTTP port may wait for a request line
     * for as long as the statement timeout, hours). Only a timeout is reported here; any other failure (refused, an
     * untrusted certificate) is left to the first request, which reports it in full.
     */
    private void probeTls() {
        String host = url.getHost() != null ? url.getHost() : url.getRawAuthority().replaceFirst(":[0-9]*$", "");
        int port = url.getPort() > 0 ? url.getPort() : 443;
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(host, port), TLS_PROBE_MILLIS);
            raw.setSoTimeout(TLS_PROBE_MILLIS);
            try (SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(raw, host, port, false)) {
                tls.startHandshake();
            }
        } catch (SocketTimeoutException e) {
            throw new ArboristException(kind, "the TLS connection to ClickHouse at " + url + " failed (no TLS handshake within "
                    + TLS_PROBE_MILLIS / 1000 + " s); check that the URL's port speaks HTTPS (a plain HTTP port does not)", null);
        } catch (SSLException e) {
            if (String.valueOf(e.getMessage()).contains("plaintext") || String.valueOf(e.getMessage()).contains("Unsupported or unrecognized SSL message")) {
                // The port answered the handshake in plain text (an HTTP error page). A client whose hello bytes hold no line
                // break would instead wait for a request line until the server's receive timeout: refuse now either way.
                throw new ArboristException(kind, "the TLS connection to ClickHouse at " + url + " failed (the port answered in plain text);"
                        + " check that the URL's port speaks HTTPS (a plain HTTP port does not)", null);
            }
            LOG.debug("TLS probe of {}: {}", url, e.toString());
        } catch (IOException e) {
            LOG.debug("TLS probe of {}: {}", url, e.toString());
        }
    }

    private static Throwable rootOf(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** Created on first use, so that {@link #warmUp()} can build it on another thread while the client starts. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** Loads and initialises the JSON parser (a few hundred milliseconds of class loading on a cold JVM). */
    public static void warmUp() {
        try {
            Json.MAPPER.readTree("{\"warm\":1}");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @return the error kind of this connection's failures */
    public ErrorKind kind() {
        return kind;
    }

    /**
     * Runs a statement that returns no rows.
     *
     * @param sql statement
     * @param database default database for unqualified names
     */
    public void execute(String sql, Optional<String> database) {
        LOG.debug("execute: {}", sql);
        QuerySettings s = new QuerySettings();
        database.ifPresent(s::setDatabase);
        try (QueryResponse r = await(client.query(sql, s), sql)) {
            r.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw failure(sql, e);
        } catch (Exception e) {
            throw rethrow(sql, e);
        }
    }

    /**
     * Runs a query and returns its rows (for small metadata results only).
     *
     * @param sql a SELECT without FORMAT
     * @return the rows as JSON objects (JSONEachRow)
     */
    public List<JsonNode> rows(String sql) {
        String full = sql + " FORMAT JSONEachRow";
        LOG.debug("query: {}", full);
        List<JsonNode> out = new ArrayList<>();
        try (QueryResponse r = await(client.query(full), sql);
             BufferedReader in = new BufferedReader(new InputStreamReader(r.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(Json.MAPPER.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw failure(sql, e);
        } catch (Exception e) {
            throw rethrow(sql, e);
        }
    }

    /**
     * @param sql a SELECT of one value without FORMAT
     * @return the first column of the first row, as text
     */
    public String value(String sql) {
        List<JsonNode> rows = rows(sql);
        if (rows.isEmpty()) {
            throw new ArboristException(kind, "ClickHouse returned no row for: " + sql);
        }
        return rows.get(0).elements().next().asText();
    }

    /**
     * Streams a query's raw answer into a stream without buffering it.
     *
     * @param sql a SELECT with its FORMAT clause
     * @param out where the bytes go
     * @return bytes copied
     */
    public long export(String sql, OutputStream out) {
        LOG.debug("export: {}", sql);
        try (QueryResponse r = await(client.query(sql), sql); InputStream in = r.getInputStream()) {
            byte[] buf = new byte[1 << 17];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw failure(sql, e);
        } catch (Exception e) {
            throw rethrow(sql, e);
        }
    }

    /**
     * Streams Native data into a table ({@code INSERT INTO table FORMAT Native}).
     *
     * @param table quoted, qualified table name
     * @param data the Native bytes; read to the end
     * @param settings server settings for this INSERT (only those the server knows: check the version first)
     */
    public void insertNative(String table, InputStream data, java.util.Map<String, String> settings) {
        String what = "INSERT INTO " + table + " FORMAT Native";
        LOG.debug("{}", what);
        InsertSettings is = new InsertSettings().setInputStreamCopyBufferSize(1 << 20);
        settings.forEach(is::serverSetting);
        try (InsertResponse r = await(client.insert(table, data, ClickHouseFormat.Native, is), what)) {
            LOG.debug("inserted into {}", table);
        } catch (Exception e) {
            throw rethrow(what, e);
        }
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> f, String sql) throws Exception {
        try {
            return f.get(timeout.toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new ArboristException(ErrorKind.INTERRUPTED, "interrupted while running: " + shorten(sql), e);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new ArboristException(ErrorKind.TIMEOUT, "ClickHouse statement ran past " + timeout + ": " + shorten(sql), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private RuntimeException rethrow(String sql, Exception e) {
        if (e instanceof ArboristException ae) {
            return ae;
        }
        return failure(sql, e);
    }

    /** Maps a failure to a message that says what to do and never contains the password. */
    ArboristException failure(String sql, Throwable e) {
        String detail = redact(String.valueOf(e.getMessage()));
        Throwable root = rootOf(e);
        Throwable tls = e;
        while (tls != null && !(tls instanceof SSLException) && tls.getCause() != tls) {
            tls = tls.getCause();
        }
        if (tls instanceof SSLException) {
            return new ArboristException(kind, "the TLS connection to ClickHouse at " + url + " failed (" + redact(String.valueOf(root.getMessage()))
                    .lines().findFirst().orElse("") + "); check that the URL's port speaks " + ("https".equals(url.getScheme()) ? "HTTPS" : "HTTP")
                    + ", that the server's certificate is signed by a CA the client trusts (--ca-file) and names the URL's host", null);
        }
        if (root instanceof ConnectException || detail.contains("Connection refused") || root instanceof java.net.UnknownHostException
                || (root instanceof java.net.SocketTimeoutException && detail.contains("connect"))) {
            return new ArboristException(kind, "cannot reach ClickHouse at " + url + " (" + redact(String.valueOf(root.getMessage()))
                    + "); check --url, that the server runs and that its HTTP port is open", null);
        }
        if (detail.contains("401") || detail.contains("Code: 193") || detail.contains("Code: 516") || detail.contains("Authentication failed")
                || detail.contains("Wrong password")) {
            return new ArboristException(kind, "ClickHouse at " + url + " rejected user '" + user
                    + "' (wrong user name or password); check the password file or environment variable", null);
        }
        if (e instanceof ServerException se) {
            return new ArboristException(kind, "ClickHouse error " + se.getCode() + " running: " + shorten(sql) + "\n" + detail, null);
        }
        return new ArboristException(kind, "ClickHouse request failed: " + shorten(sql) + "\n" + detail, null);
    }

    private String redact(String s) {
        return password.isEmpty() ? s : s.replace(password, "******");
    }

    /**
     * @param version a {@code version()} answer such as {@code 18.16.1} or {@code 24.8.4.13}
     * @param major minimum major
     * @param minor minimum minor within that major
     * @return whether the version is at least major.minor
     */
    public static boolean atLeast(String version, int major, int minor) {
        String[] p = version.split("\\.");
        try {
            int ma = Integer.parseInt(p[0]);
            int mi = p.length > 1 ? Integer.parseInt(p[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String shorten(String sql) {
        String one = sql.replaceAll("\\s+", " ").strip();
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }

    @Override
    public void close() {
        client.close();
    }
}
