package io.arborist.clickhouse;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * ClickHouse 26.7 for tests: the real engine (chdb's {@code libchdb.so}, loaded into this JVM with JNA, with a
 * persistent data directory of its own) behind the test harness {@link ChdbHttp}, which serves it on a free loopback
 * port. Only the transport is a test harness; every statement runs in the engine. Started once per JVM (chdb allows
 * one data path per process) and stopped at exit. Server-side {@code BACKUP} may write to {@code File(…)} under
 * {@link #backups()} and to {@code Disk('backups', …)}.
 */
public final class ChdbServer extends TestClickHouse {
    /** The disk the engine allows server-side backups on. */
    static final String BACKUP_DISK = "backups";
    private static ChdbServer shared;
    private static IllegalStateException failed;

    private final Path dir;
    private final Chdb chdb;
    private final Pointer engine;
    private final ChdbHttp http;

    private ChdbServer(Path dir, Chdb chdb, Pointer engine, ChdbHttp http) {
        this.dir = dir;
        this.chdb = chdb;
        this.engine = engine;
        this.http = http;
    }

    /** @return the engine shared by this JVM, started on first use */
    public static synchronized ChdbServer shared() {
        if (failed != null) {
            // chdb takes one data path per process: a failed start cannot be retried in this JVM.
            throw new IllegalStateException(failed.getMessage(), failed);
        }
        if (shared == null) {
            try {
                shared = start();
            } catch (IllegalStateException e) {
                failed = e;
                throw e;
            }
            ChdbServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
        }
        return shared;
    }

    private static ChdbServer start() {
        Chdb chdb = Chdb.load();
        Path dir;
        try {
            dir = Files.createTempDirectory("arborist-chdb-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a directory for the chdb engine: " + e, e);
        }
        try {
            Path data = Files.createDirectories(dir.resolve("data"));
            Path backups = Files.createDirectories(dir.resolve("backups"));
            Path disk = Files.createDirectories(dir.resolve("backup-disk"));
            Path config = dir.resolve("config.xml");
            Files.writeString(config, "<clickhouse>\n"
                    + "  <storage_configuration><disks><" + BACKUP_DISK + "><type>local</type><path>" + disk + "/</path></" + BACKUP_DISK + "></disks>"
                    + "</storage_configuration>\n"
                    + "  <backups><allowed_disk>" + BACKUP_DISK + "</allowed_disk><allowed_path>" + backups + "/</allowed_path></backups>\n"
                    + "</clickhouse>\n");
            // The first connection boots the engine and takes the server-level options; it stays open so the engine stays up.
            Pointer engine = chdb.chdb_connect(3, new String[] {"chdb", "--path=" + data, "--config-file=" + config});
            if (engine == null) {
                delete(dir);
                throw new IllegalStateException("chdb_connect failed for " + data + " (libchdb.so " + Chdb.libraryPath() + ")");
            }
            ChdbHttp http;
            try {
                http = ChdbHttp.start(chdb, data.toString(), Map.of("default", "", "arborist", PASSWORD));
            } catch (IOException | RuntimeException e) {
                chdb.chdb_close_conn(engine);
                delete(dir);
                throw e;
            }
            ChdbServer s = new ChdbServer(dir, chdb, engine, http);
            String answer = s.value("SELECT 1");
            if (!answer.equals("1")) {
                s.stop();
                throw new IllegalStateException("the chdb harness answered '" + answer + "' to SELECT 1");
            }
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the chdb harness: " + e, e);
        }
    }

    /** @return the directory server-side backups may be written to ({@code backups.allowed_path}) */
    public Path backups() {
        return dir.resolve("backups");
    }

    @Override
    BackupDestination backupFile(String name) {
        return BackupDestination.file(backups().resolve(name) + "/");
    }

    @Override
    BackupDestination backupDisk(String name) {
        return BackupDestination.disk(BACKUP_DISK, name + "/");
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + http.port();
    }

    @Override
    public String label() {
        return "ClickHouse " + http.version() + " engine (chdb) via the test harness";
    }

    void stop() {
        http.close();
        chdb.chdb_close_conn(engine);
        chdb.chdb_shutdown();
        delete(dir);
    }

}
