package io.arborist.clickhouse;

import io.arborist.clickhouse.internal.Http;
import io.arborist.core.backup.Credentials;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A ClickHouse the integration tests talk to over its HTTP interface: Debian's 18.16 server ({@link ClickHouseServer})
 * or the 26.7 engine behind the test harness ({@link ChdbServer}). Public in the test jar so that end-to-end tests of
 * other modules can use it. Users: {@code default} without a password, {@code arborist} with {@link #PASSWORD}.
 */
public abstract class TestClickHouse {
    static final String PASSWORD = "s3cret-pw-7f3a";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Object> fixtures = new ConcurrentHashMap<>();
    private volatile String version;

    /** @return the HTTP interface, {@code http://127.0.0.1:PORT} */
    public abstract String url();

    /** @return what this is, for test names and messages */
    public abstract String label();

    /** @return {@code version()} */
    public String version() {
        String v = version;
        if (v == null) {
            v = value("SELECT version()");
            version = v;
        }
        return v;
    }

    /**
     * @param major minimum major
     * @param minor minimum minor
     * @return whether {@link #version()} is at least major.minor
     */
    public boolean atLeast(int major, int minor) {
        return Http.atLeast(version(), major, minor);
    }

    /** @return whether this is a ClickHouse of today (22.8+: Atomic databases, DDL dictionaries, BACKUP, DateTime64, JSON) */
    public boolean modern() {
        return atLeast(22, 8);
    }

    /** @return the endpoint of the password-less admin user */
    public ClickHouseEndpoint admin() {
        return ClickHouseEndpoint.of(url(), Credentials.of("default", new char[0]));
    }

    ClickHouseEndpoint secured() {
        return ClickHouseEndpoint.of(url(), Credentials.of("arborist", PASSWORD.toCharArray()));
    }

    /**
     * @param name a backup name
     * @return a {@code File} destination this server allows for server-side backups
     */
    abstract BackupDestination backupFile(String name);

    /**
     * @param name a backup name
     * @return a {@code Disk} destination this server allows for server-side backups
     */
    abstract BackupDestination backupDisk(String name);

    /**
     * Runs a set-up once per server (for example a fixture several tests share) and remembers its result.
     *
     * @param key what the set-up is (unique per test class)
     * @param setUp the set-up
     * @param <T> its result
     * @return the result of the first call with this key
     */
    @SuppressWarnings("unchecked")
    public <T> T once(String key, Supplier<T> setUp) {
        return (T) fixtures.computeIfAbsent(key, k -> setUp.get());
    }

    /** Runs SQL as the default user; returns the TabSeparated answer; throws on a server error. */
    String query(String sql) throws IOException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/")).timeout(Duration.ofMinutes(2))
                    .POST(HttpRequest.BodyPublishers.ofString(sql)).build();
            HttpResponse<String> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // A kept-alive connection the server closed (18.16 keeps idle connections 3 s) fails before the request
                // is read: send it once more on a new connection.
                if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                    throw e;
                }
                r = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException(label() + " answered " + r.statusCode() + " for " + sql + ": " + r.body());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** @param statements SQL statements to run in order, failing on the first error */
    public void run(String... statements) {
        for (String s : statements) {
            try {
                query(s);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** @param sql a query returning one value @return the value as text */
    public String value(String sql) {
        try {
            return query(sql).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes a server's temporary directory (best effort). */
    static void delete(java.nio.file.Path dir) {
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: what remains is left to the system
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return label();
    }
}
