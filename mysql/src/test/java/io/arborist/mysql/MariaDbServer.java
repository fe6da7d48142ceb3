package io.arborist.mysql;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway MariaDB server: {@code mariadb-install-db} into a temporary directory, then {@code mariadbd} on a free
 * loopback port. Fails loudly (with the server's error log) when it cannot start; never skips.
 */
public final class MariaDbServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    private MariaDbServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts a server in a new temporary directory. */
    public static MariaDbServer start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("arborist-mariadb-");
        Path data = dir.resolve("data");
        Path log = dir.resolve("install.log");
        Process install = new ProcessBuilder(List.of(find("mariadb-install-db"), "--no-defaults", "--datadir=" + data,
                "--auth-root-authentication-method=normal", "--skip-test-db", "--user=root"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!install.waitFor(120, TimeUnit.SECONDS) || install.exitValue() != 0) {
            install.destroyForcibly();
            throw new IllegalStateException("mariadb-install-db failed (apt-get install mariadb-server):\n" + Files.readString(log));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path err = dir.resolve("error.log");
        List<String> argv = new ArrayList<>(List.of(find("mariadbd"), "--no-defaults", "--datadir=" + data,
                "--socket=" + dir.resolve("sock"), "--port=" + port, "--bind-address=127.0.0.1", "--skip-networking=0",
                "--user=root", "--pid-file=" + dir.resolve("pid"), "--log-error=" + err, "--skip-log-bin",
                "--innodb-buffer-pool-size=256M", "--innodb-log-file-size=256M", "--innodb-flush-log-at-trx-commit=2",
                "--max-allowed-packet=64M", "--local-infile=1", "--skip-name-resolve", "--max-connections=200",
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci"));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        MariaDbServer server = new MariaDbServer(dir, port, p);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("mariadbd exited with " + p.exitValue() + ":\n" + read(err) + read(dir.resolve("stdout.log")));
            }
            try (Connection c = server.connect()) {
                return server;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        server.close();
        throw new IllegalStateException("mariadbd did not accept connections within 60 s (" + last + "):\n" + read(err));
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String find(String name) {
        for (String d : List.of("/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin")) {
            if (Files.isExecutable(Path.of(d, name))) {
                return d + "/" + name;
            }
        }
        throw new IllegalStateException(name + " not found: apt-get install mariadb-server mariadb-client");
    }

    /** @return the JDBC URL (no database) */
    public String url() {
        return "jdbc:mysql://127.0.0.1:" + port;
    }

    /** @return the port */
    public int port() {
        return port;
    }

    /** @return a root connection */
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("password", "");
        p.setProperty("useSSL", "false");
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("allowMultiQueries", "true");
        p.setProperty("characterEncoding", "UTF-8");
        p.setProperty("connectTimeout", "2000");
        return DriverManager.getConnection(url() + "/", p);
    }

    /** Runs SQL as root. */
    public void sql(String... statements) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
