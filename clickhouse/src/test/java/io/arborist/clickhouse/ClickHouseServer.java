package io.arborist.clickhouse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;

/**
 * A throwaway clickhouse-server (Debian's 18.16) for tests: its own config, data directory and free loopback ports,
 * started once per JVM and stopped at exit. Fails loudly, with the server's log, when it cannot start. Public in the
 * test jar so that end-to-end tests of other modules can use it.
 */
public final class ClickHouseServer extends TestClickHouse {
    private static ClickHouseServer shared;

    final Path dir;
    final int httpPort;
    final Process process;

    private ClickHouseServer(Path dir, int httpPort, Process process) {
        this.dir = dir;
        this.httpPort = httpPort;
        this.process = process;
    }

    /** @return the server shared by this JVM, started on first use */
    public static synchronized ClickHouseServer shared() {
        if (shared == null) {
            shared = start();
            ClickHouseServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
        }
        return shared;
    }

    static ClickHouseServer start() {
        try {
            Path bin = List.of(Path.of("/usr/sbin/clickhouse-server"), Path.of("/usr/bin/clickhouse-server")).stream().filter(Files::isExecutable)
                    .findFirst().orElseThrow(() -> new IllegalStateException("clickhouse-server is not installed: apt-get install clickhouse-server"));
            Path dir = Files.createTempDirectory("arborist-ch-");
            for (String d : List.of("data", "tmp", "user_files", "format_schemas", "log")) {
                Files.createDirectories(dir.resolve(d));
            }
            int hp = freePort();
            int tp = freePort();
            int ip = freePort();
            String c = Files.readString(Path.of("/etc/clickhouse-server/config.xml"));
            c = c.replaceFirst("<path>[^<]*</path>", Matcher.quoteReplacement("<path>" + dir.resolve("data") + "/</path>"));
            c = set(c, "tmp_path", dir.resolve("tmp") + "/");
            c = set(c, "user_files_path", dir.resolve("user_files") + "/");
            c = set(c, "format_schema_path", dir.resolve("format_schemas") + "/");
            c = set(c, "log", dir.resolve("log/server.log").toString());
            c = set(c, "errorlog", dir.resolve("log/server.err.log").toString());
            c = set(c, "http_port", String.valueOf(hp));
            c = set(c, "tcp_port", String.valueOf(tp));
            c = set(c, "interserver_http_port", String.valueOf(ip));
            c = c.replaceFirst("</yandex>", "<listen_host>127.0.0.1</listen_host>\n</yandex>");
            Files.writeString(dir.resolve("config.xml"), c);
            String u = Files.readString(Path.of("/etc/clickhouse-server/users.xml"));
            u = u.replaceFirst("</users>", "<arborist><password>" + PASSWORD + "</password><networks><ip>127.0.0.1</ip></networks>"
                    + "<profile>default</profile><quota>default</quota></arborist>\n</users>");
            Files.writeString(dir.resolve("users.xml"), u);
            Process p = new ProcessBuilder(bin.toString(), "--config-file=" + dir.resolve("config.xml")).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log/stdout").toFile()).start();
            ClickHouseServer s = new ClickHouseServer(dir, hp, p);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long pause = 20;
            while (true) {
                try {
                    if (s.query("SELECT 1").strip().equals("1")) {
                        return s;
                    }
                } catch (IOException | RuntimeException e) {
                    // not up yet
                }
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    String log = tail(dir.resolve("log/server.err.log")) + "\n" + tail(dir.resolve("log/stdout"));
                    s.stop();
                    throw new IllegalStateException("clickhouse-server did not start (" + (p.isAlive() ? "timeout" : "exit " + p.exitValue())
                            + ") in " + dir + "\n" + log);
                }
                Thread.sleep(pause);
                pause = Math.min(pause * 2, 500);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare clickhouse-server: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String set(String config, String tag, String value) {
        return config.replaceFirst("<" + tag + ">[^<]*</" + tag + ">", Matcher.quoteReplacement("<" + tag + ">" + value + "</" + tag + ">"));
    }

    private static String tail(Path f) {
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no " + f + ")";
        }
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    @Override
    public String label() {
        return "ClickHouse 18.16 server";
    }

    /** 18.16 has no BACKUP: a destination in the server's directory, for tests that check the refusal. */
    @Override
    BackupDestination backupFile(String name) {
        return BackupDestination.file(dir.resolve("backups").resolve(name) + "/");
    }

    @Override
    BackupDestination backupDisk(String name) {
        return BackupDestination.disk("backups", name + "/");
    }

    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!process.isAlive()) {
            delete(dir);
        }
    }
}
