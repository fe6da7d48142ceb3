package io.arborist.clickhouse;

import io.arborist.core.backup.Credentials;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and as whom to reach a ClickHouse server over its HTTP interface, and how to trust it.
 *
 * <pre>{@code
 * ClickHouseEndpoint.of("https://clickhouse.example:8443", Credentials.of("ch_admin", pw)).withCaCertificate(Path.of("ca.pem")).requiringTls();
 * }</pre>
 *
 * <p>The URL holds no credentials: a URL with {@code user:password@} or a query ({@code ?password=…}, {@code ?user=…},
 * any other parameter) is refused, and no message repeats it. Defaults: {@code http://} is plain HTTP;
 * {@code https://} is TLS with the server's certificate checked against the JVM's trusted CAs and its host name
 * against the URL (a self-signed or private CA needs {@link #withCaCertificate}); {@link #requiringTls()} refuses a
 * plain {@code http://} URL. {@link #toString()} never shows the password. The endpoint keeps its own copy of the
 * credentials (the HTTP interface sends them with every request): close yours once the endpoint is made.
 *
 * @param url the HTTP interface, e.g. {@code http://clickhouse:8123} or {@code https://clickhouse:8443}
 * @param credentials the user (ClickHouse's default user is {@code default}) and password, possibly empty; a copy the
 *     endpoint owns (do not close it)
 * @param caCertificate a PEM file of the CA (or the certificate) that signed the server's certificate, trusted instead
 *     of the JVM's CAs (https only)
 * @param requireTls whether a plain {@code http://} URL is refused
 * @since 0.1
 */
public record ClickHouseEndpoint(URI url, Credentials credentials, Optional<Path> caCertificate, boolean requireTls) {
    /**
     * Validates (http or https, a host, no credentials or query in the URL, TLS settings only with https) and copies the credentials.
     *
     * @param url the HTTP interface
     * @param credentials user and password (copied)
     * @param caCertificate a PEM file of the CA that signed the server's certificate (https only)
     * @param requireTls whether a plain {@code http://} URL is refused
     */
    public ClickHouseEndpoint {
        Objects.requireNonNull(url, "url");
        credentials = Objects.requireNonNull(credentials, "credentials").copy();
        Objects.requireNonNull(caCertificate, "caCertificate");
        check(url);
        boolean https = "https".equals(url.getScheme());
        if (requireTls && !https) {
            throw new IllegalArgumentException("the ClickHouse URL is plain http:// but TLS is required; use https:// (the server's HTTPS port,"
                    + " often 8443)");
        }
        if (caCertificate.isPresent() && !https) {
            throw new IllegalArgumentException("a CA certificate is given for a plain http:// ClickHouse URL; use https:// or leave out the CA file");
        }
    }

    /**
     * An endpoint with the defaults: no CA file of its own, TLS when the URL is {@code https://}.
     *
     * @param url the HTTP interface
     * @param credentials user and password (copied)
     */
    public ClickHouseEndpoint(URI url, Credentials credentials) {
        this(url, credentials, Optional.empty(), false);
    }

    /**
     * @param url the HTTP interface
     * @param credentials user and password (copied: close yours once the endpoint is made)
     * @return the endpoint
     * @throws IllegalArgumentException when the URL is malformed, not http(s), or holds credentials (never repeating it)
     */
    public static ClickHouseEndpoint of(String url, Credentials credentials) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the ClickHouse URL is not a valid URL (" + e.getReason() + " at character " + (e.getIndex() + 1)
                    + "); expected http://HOST:PORT or https://HOST:PORT");
        }
        return new ClickHouseEndpoint(uri, credentials);
    }

    /**
     * @param pem a PEM file of the CA (or the self-signed certificate) that signed the server's certificate
     * @return this endpoint trusting that CA instead of the JVM's (https only)
     */
    public ClickHouseEndpoint withCaCertificate(Path pem) {
        return new ClickHouseEndpoint(url, credentials, Optional.of(Objects.requireNonNull(pem, "pem")), requireTls);
    }

    /** @return this endpoint refusing a plain {@code http://} URL */
    public ClickHouseEndpoint requiringTls() {
        return new ClickHouseEndpoint(url, credentials, caCertificate, true);
    }

    /** @return the user name */
    public String user() {
        return credentials.user();
    }

    /** Refuses what a ClickHouse URL must not have; messages name the part, never its value. */
    private static void check(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the ClickHouse URL must start with http:// or https://");
        }
        if (url.isOpaque() || url.getRawAuthority() == null) {
            throw new IllegalArgumentException("the ClickHouse URL has no host; expected " + scheme + "://HOST:PORT");
        }
        if (url.getRawUserInfo() != null || url.getRawAuthority().contains("@")) {
            throw new IllegalArgumentException("the ClickHouse URL holds credentials (user:password@); give the user with --user and the password with"
                    + " --password-file or --password-env");
        }
        if (url.getRawQuery() != null) {
            String q = url.getRawQuery().toLowerCase(Locale.ROOT);
            if (q.matches("(?s)(.*[&;])?[^=&;]*(user|pass|pwd|secret|token|key|auth)[^=&;]*(=.*)?")) {
                throw new IllegalArgumentException("the ClickHouse URL holds credentials in its query (?user=, ?password=…); give the user with --user"
                        + " and the password with --password-file or --password-env");
            }
            throw new IllegalArgumentException("the ClickHouse URL has a query (?…); settings are not taken from the URL, leave it out");
        }
        if (url.getRawFragment() != null) {
            throw new IllegalArgumentException("the ClickHouse URL has a fragment (#…); leave it out");
        }
    }

    @Override
    public String toString() {
        return credentials.user() + "@" + url + (credentials.hasPassword() ? " (password ******)" : "") + caCertificate.map(c -> " (CA " + c + ")").orElse("")
                + (requireTls ? " (TLS required)" : "");
    }
}
