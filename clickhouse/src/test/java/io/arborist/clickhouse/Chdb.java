package io.arborist.clickhouse;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The part of chdb's C API ({@code chdb.h} of chdb-io/chdb-core, the 26.7 line) that the HTTP harness uses, bound with
 * JNA, and where the tests find {@code libchdb.so}: the npm package {@value #PACKAGE} installed by
 * {@code scripts/install-servers} under {@code $ARBORIST_CACHE_DIR} (default {@code $XDG_CACHE_HOME/arborist}, else
 * {@code ~/.cache/arborist}).
 *
 * <p>Handles: {@code chdb_connect} returns a {@code chdb_connection *} (closed with {@code chdb_close_conn}); every
 * other call takes the {@code chdb_connection} it points to. Results ({@code chdb_result *}) are freed with
 * {@code chdb_destroy_query_result}; insert streams with {@code chdb_destroy_insert_stream}. A connection runs one
 * statement at a time.
 */
interface Chdb extends Library {
    /** The npm package holding the engine. */
    String PACKAGE = "@chdb/lib-linux-x64-gnu@26.7.3-stable.1";

    Pointer chdb_version();

    void chdb_set_signal_handlers_enabled(int enabled);

    Pointer chdb_connect(int argc, String[] argv);

    void chdb_close_conn(Pointer connection);

    Pointer chdb_query_n(Pointer conn, byte[] query, NativeLong queryLen, byte[] format, NativeLong formatLen);

    Pointer chdb_stream_query_n(Pointer conn, byte[] query, NativeLong queryLen, byte[] format, NativeLong formatLen);

    Pointer chdb_stream_fetch_result(Pointer conn, Pointer stream);

    void chdb_stream_cancel_query(Pointer conn, Pointer stream);

    Pointer chdb_stream_insert_n(Pointer conn, byte[] query, NativeLong queryLen, byte[] format, NativeLong formatLen);

    int chdb_stream_append(Pointer stream, byte[] data, NativeLong len);

    Pointer chdb_stream_done(Pointer stream);

    void chdb_stream_cancel_insert(Pointer stream);

    String chdb_stream_insert_error(Pointer stream);

    void chdb_destroy_insert_stream(Pointer stream);

    Pointer chdb_result_buffer(Pointer result);

    NativeLong chdb_result_length(Pointer result);

    String chdb_result_error(Pointer result);

    long chdb_result_rows_read(Pointer result);

    long chdb_result_bytes_read(Pointer result);

    long chdb_result_rows_written(Pointer result);

    long chdb_result_bytes_written(Pointer result);

    double chdb_result_elapsed(Pointer result);

    void chdb_destroy_query_result(Pointer result);

    int chdb_shutdown();

    /** @return the cache directory {@code scripts/install-servers} installs into */
    static Path cacheDir() {
        String own = System.getenv("ARBORIST_CACHE_DIR");
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("arborist");
    }

    /** @return where {@code scripts/install-servers} puts {@code libchdb.so} */
    static Path libraryPath() {
        String version = PACKAGE.substring(PACKAGE.lastIndexOf('@') + 1);
        return cacheDir().resolve("chdb").resolve(version).resolve("node_modules/@chdb/lib-linux-x64-gnu/libchdb.so");
    }

    /**
     * Loads the library with chdb's process-wide signal handlers turned off (the JVM owns SIGSEGV and friends).
     *
     * @return the bound API
     * @throws IllegalStateException naming the command to run when the library is missing
     */
    static Chdb load() {
        Path lib = libraryPath();
        if (!Files.isRegularFile(lib)) {
            throw new IllegalStateException("the ClickHouse 26.7 engine (libchdb.so) is not installed: " + lib + " is missing. Run scripts/install-servers"
                    + " (it runs: npm install --prefix " + lib.getParent().getParent().getParent().getParent() + " " + PACKAGE + ")");
        }
        Chdb chdb = Native.load(lib.toString(), Chdb.class);
        chdb.chdb_set_signal_handlers_enabled(0);
        return chdb;
    }
}
