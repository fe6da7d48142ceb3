package io.arborist.clickhouse;

import java.net.URI;
import java.util.Objects;

/**
 * Where and as whom to reach a ClickHouse server over its HTTP interface. {@link #toString()} never shows the
 * password.
 *
 * @param url the HTTP interface, e.g. {@code http://clickhouse:8123}
 * @param user user name (default user: {@code default})
 * @param password password, possibly empty
 * @since 0.1
 */
public record ClickHouseEndpoint(URI url, String user, String password) {
    /** Validates. */
    public ClickHouseEndpoint {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("ClickHouse URL must start with http:// or https://, got '" + url + "'");
        }
        if (url.getUserInfo() != null) {
            throw new IllegalArgumentException("put the user and password in their own settings, not in the URL");
        }
    }

    /**
     * @param url the HTTP interface
     * @param user user name
     * @param password password, possibly empty
     * @return the endpoint
     */
    public static ClickHouseEndpoint of(String url, String user, String password) {
        return new ClickHouseEndpoint(URI.create(Objects.requireNonNull(url, "url").strip()), user, password);
    }

    @Override
    public String toString() {
        return user + "@" + url + (password.isEmpty() ? "" : " (password ******)");
    }
}
