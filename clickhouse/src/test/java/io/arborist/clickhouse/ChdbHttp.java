package io.arborist.clickhouse;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test harness's transport: the subset of ClickHouse's HTTP interface that the adapter ({@code internal.Http},
 * clickhouse-java client-v2 0.9.1) and the tests' plain HTTP client use, served by the JDK's {@code HttpServer} on a
 * loopback port in front of a chdb engine (real ClickHouse 26.7). Only the transport is ours: every statement is
 * parsed and run by the engine, and its errors are the engine's.
 *
 * <p>Each request gets its own chdb connection (a session of its own: {@code USE} for the database, {@code SET} for
 * each setting in the URL), closed when the request ends. A SELECT is streamed chunk by chunk (one engine block at a
 * time, never the whole result); {@code INSERT … FORMAT f} with the query in the URL streams the request body into
 * {@code chdb_stream_insert} 1 MiB at a time. Other statements run with {@code chdb_query_n}. Authentication is the
 * harness's own (a fixed user table; the engine has none), answering like the server does (code 516, HTTP 403).
 *
 * <p>Not implemented, refused with code 48 (NOT_IMPLEMENTED): HTTP compression ({@code compress},
 * {@code decompress}, {@code enable_http_compression}, a request {@code Content-Encoding}), sessions
 * ({@code session_id}), query parameters ({@code param_*}), roles, {@code wait_end_of_query}, and INSERT data after
 * the SQL text in the body. An error after the first chunk was sent is written into the body and the connection is
 * then dropped without the chunked terminator, so the client sees a broken response, never a short one.
 */
final class ChdbHttp implements AutoCloseable {
    /**
     * Error names mapped to HTTP statuses as ClickHouse's {@code src/Server/HTTP/exceptionCodeToHTTPStatus.cpp} does
     * (the engine's messages end with the error's name; chdb has no {@code system.error_codes} to map numbers).
     */
    private static final Map<Integer, List<String>> STATUS_BY_ERROR = Map.of(
            401, List.of("REQUIRED_PASSWORD"),
            403, List.of("UNKNOWN_USER", "WRONG_PASSWORD", "AUTHENTICATION_FAILED", "SET_NON_GRANTED_ROLE", "ACCESS_DENIED"),
            400, List.of("BAD_ARGUMENTS", "CANNOT_COMPILE_REGEXP", "CANNOT_PARSE_TEXT", "CANNOT_PARSE_ESCAPE_SEQUENCE", "CANNOT_PARSE_QUOTED_STRING",
                    "CANNOT_PARSE_DATE", "CANNOT_PARSE_DATETIME", "CANNOT_PARSE_NUMBER", "CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING", "CANNOT_PARSE_IPV4",
                    "CANNOT_PARSE_IPV6", "CANNOT_PARSE_INPUT_ASSERTION_FAILED", "CANNOT_PARSE_UUID", "DUPLICATE_COLUMN", "ILLEGAL_COLUMN",
                    "UNKNOWN_ELEMENT_IN_AST", "UNKNOWN_TYPE_OF_AST_NODE", "THERE_IS_NO_COLUMN", "TOO_DEEP_AST", "TOO_BIG_AST",
                    "UNEXPECTED_AST_STRUCTURE", "SYNTAX_ERROR", "INCORRECT_DATA", "TYPE_MISMATCH", "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE"),
            404, List.of("UNKNOWN_TABLE", "UNKNOWN_FUNCTION", "UNKNOWN_IDENTIFIER", "UNKNOWN_TYPE", "UNKNOWN_STORAGE", "UNKNOWN_DATABASE",
                    "UNKNOWN_SETTING", "UNKNOWN_DIRECTION_OF_SORTING", "UNKNOWN_AGGREGATE_FUNCTION", "UNKNOWN_FORMAT", "UNKNOWN_DATABASE_ENGINE",
                    "UNKNOWN_TYPE_OF_QUERY", "UNKNOWN_ROLE"),
            413, List.of("QUERY_IS_TOO_LARGE"),
            501, List.of("NOT_IMPLEMENTED"),
            503, List.of("SOCKET_TIMEOUT", "CANNOT_OPEN_FILE", "CANNOT_SCHEDULE_TASK"),
            411, List.of("HTTP_LENGTH_REQUIRED"),
            408, List.of("TIMEOUT_EXCEEDED"),
            415, List.of("UNSUPPORTED_MEDIA_TYPE"));
    private static final Set<String> RESERVED = Set.of("query", "database", "user", "password", "query_id", "default_format", "quota_key");
    private static final Set<String> REFUSED = Set.of("compress", "decompress", "enable_http_compression", "session_id", "session_timeout",
            "session_check", "role", "wait_end_of_query", "buffer_size");
    /** Refused parameters that may still be sent switched off. */
    private static final Set<String> OFF_IS_FINE = Set.of("compress", "decompress", "enable_http_compression", "wait_end_of_query");
    private static final Pattern INSERT = Pattern.compile("(?is)\\s*(INSERT\\s+INTO\\s.*?)\\s+FORMAT\\s+(\\w+)\\s*;?\\s*");
    private static final Pattern TRAILING_FORMAT = Pattern.compile("(?is).*\\sFORMAT\\s+(\\w+)\\s*;?\\s*");
    private static final Pattern SETTING = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PLAIN_VALUE = Pattern.compile("-?[0-9]+(\\.[0-9]+)?|true|false");
    private static final Pattern CODE = Pattern.compile("Code: (\\d+)\\.");
    private static final Pattern NAME = Pattern.compile("\\(([A-Z][A-Z0-9_]+)\\)[^(]*$");
    private static final int MAX_QUERY_BYTES = 16 << 20;
    private static final int CHUNK = 1 << 20;
    private static final int NOT_IMPLEMENTED = 48;
    private static final int SYNTAX_ERROR = 62;
    private static final int AUTHENTICATION_FAILED = 516;

    private final Chdb chdb;
    private final String dataPath;
    private final Map<String, String> users;
    private final String version;
    private final String timezone;
    private final HttpServer server;
    private final ExecutorService workers;

    private ChdbHttp(Chdb chdb, String dataPath, Map<String, String> users, String version, String timezone, HttpServer server,
            ExecutorService workers) {
        this.chdb = chdb;
        this.dataPath = dataPath;
        this.users = Map.copyOf(users);
        this.version = version;
        this.timezone = timezone;
        this.server = server;
        this.workers = workers;
    }

    /**
     * Serves an engine already booted on {@code dataPath} (by a connection the caller keeps open).
     *
     * @param chdb the engine's API
     * @param dataPath the engine's data path (every request connects to it)
     * @param users user name to password
     * @return the listening harness
     */
    static ChdbHttp start(Chdb chdb, String dataPath, Map<String, String> users) throws IOException {
        String version;
        String timezone;
        try (Session probe = Session.open(chdb, dataPath)) {
            version = probe.text("SELECT version()").strip();
            timezone = probe.text("SELECT timezone()").strip();
        }
        // Without TCP_NODELAY each small response waits on the client's delayed ACK (tens of milliseconds per request).
        // The JDK server reads this once, when its configuration class loads: set it before the first server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 64);
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "chdb-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ChdbHttp h = new ChdbHttp(chdb, dataPath, users, version, timezone, server, workers);
        server.createContext("/", h::handle);
        server.setExecutor(workers);
        // The dispatcher thread inherits daemon status from the thread that starts the server: a daemon never keeps the
        // JVM alive (the engine and the harness are stopped by the shutdown hook).
        Thread starter = new Thread(server::start, "chdb-http-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the chdb harness", e);
        }
        return h;
    }

    /** @return the port the harness listens on (loopback) */
    int port() {
        return server.getAddress().getPort();
    }

    /** @return the engine's {@code version()} */
    String version() {
        return version;
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            serve(ex);
        } catch (Aborted e) {
            // The response was under way: the JDK server drops a connection whose handler throws, without the chunked
            // terminator, so the client sees a broken response rather than a short one.
            throw new IOException("response aborted: " + e.getMessage());
        }
        ex.close();
    }

    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/ping")) {
            send(ex, 200, "Ok.\n");
            return;
        }
        if (!path.equals("/") && !path.isEmpty()) {
            send(ex, 404, "There is no handle " + path + "\n");
            return;
        }
        Map<String, String> params = params(ex.getRequestURI().getRawQuery());
        Headers h = ex.getRequestHeaders();
        String queryId = Optional.ofNullable(params.get("query_id")).or(() -> Optional.ofNullable(h.getFirst("X-ClickHouse-Query-Id")))
                .filter(s -> !s.isBlank()).orElseGet(() -> UUID.randomUUID().toString());
        ex.getResponseHeaders().set("X-ClickHouse-Query-Id", queryId);
        ex.getResponseHeaders().set("X-ClickHouse-Server-Display-Name", "arborist-chdb-harness");
        ex.getResponseHeaders().set("X-ClickHouse-Timezone", timezone);

        String[] credentials = credentials(ex, params);
        String expected = users.get(credentials[0]);
        if (expected == null || !expected.equals(credentials[1])) {
            error(ex, AUTHENTICATION_FAILED, "Code: 516. DB::Exception: " + credentials[0]
                    + ": Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)");
            return;
        }
        for (Map.Entry<String, String> p : params.entrySet()) {
            boolean off = p.getValue().equals("0") || p.getValue().equalsIgnoreCase("false");
            if (p.getKey().startsWith("param_") || REFUSED.contains(p.getKey()) && !(off && OFF_IS_FINE.contains(p.getKey()))) {
                notImplemented(ex, "URL parameter '" + p.getKey() + "'");
                return;
            }
        }
        String encoding = h.getFirst("Content-Encoding");
        if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
            notImplemented(ex, "request Content-Encoding '" + encoding + "'");
            return;
        }
        String defaultFormat = Optional.ofNullable(params.get("default_format")).or(() -> Optional.ofNullable(h.getFirst("X-ClickHouse-Format")))
                .filter(s -> !s.isBlank()).orElse("TabSeparated");
        String database = Optional.ofNullable(params.get("database")).or(() -> Optional.ofNullable(h.getFirst("X-ClickHouse-Database")))
                .filter(s -> !s.isBlank()).orElse("");

        try (Session s = Session.open(chdb, dataPath)) {
            for (Map.Entry<String, String> e : params.entrySet()) {
                if (RESERVED.contains(e.getKey()) || REFUSED.contains(e.getKey())) {
                    continue;
                }
                if (!SETTING.matcher(e.getKey()).matches()) {
                    error(ex, 115, "Code: 115. DB::Exception: Unknown setting '" + e.getKey() + "'. (UNKNOWN_SETTING)");
                    return;
                }
                String v = e.getValue();
                Optional<String> failed = s.statement("SET " + e.getKey() + " = " + (PLAIN_VALUE.matcher(v).matches() ? v : literal(v)));
                if (failed.isPresent()) {
                    error(ex, code(failed.get()), failed.get());
                    return;
                }
            }
            if (!database.isEmpty()) {
                Optional<String> failed = s.statement("USE " + identifier(database));
                if (failed.isPresent()) {
                    error(ex, code(failed.get()), failed.get());
                    return;
                }
            }
            String query = params.get("query");
            InputStream body = ex.getRequestBody();
            if (query != null) {
                Matcher insert = INSERT.matcher(query);
                if (insert.matches()) {
                    insert(ex, s, insert.group(1), insert.group(2), body);
                    return;
                }
            }
            byte[] rest = readQuery(body);
            String text = query == null ? new String(rest, StandardCharsets.UTF_8)
                    : rest.length == 0 ? query : query + "\n" + new String(rest, StandardCharsets.UTF_8);
            if (text.isBlank()) {
                error(ex, SYNTAX_ERROR, "Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR)");
                return;
            }
            if (query == null && INSERT.matcher(text).lookingAt() && !INSERT.matcher(text).matches()) {
                notImplemented(ex, "INSERT data after the SQL text in the body (put the INSERT in the 'query' URL parameter)");
                return;
            }
            Matcher f = TRAILING_FORMAT.matcher(text);
            String format = f.matches() ? f.group(1) : defaultFormat;
            query(ex, s, text, defaultFormat, format);
        }
    }

    /** Streams a SELECT chunk by chunk; runs any other statement whole. */
    private void query(HttpExchange ex, Session s, String text, String defaultFormat, String format) throws IOException {
        long started = System.nanoTime();
        Pointer stream = s.streamQuery(text, defaultFormat);
        try {
            String err = chdb.chdb_result_error(stream);
            if (err != null && err.contains("Streaming query is not supported")) {
                statement(ex, s, text, defaultFormat, format, started);
                return;
            }
            if (err != null) {
                error(ex, code(err), err);
                return;
            }
            Pointer first = chdb.chdb_stream_fetch_result(s.conn, stream);
            try {
                err = chdb.chdb_result_error(first);
                if (err != null) {
                    error(ex, code(err), err);
                    return;
                }
                long length = chdb.chdb_result_length(first).longValue();
                ex.getResponseHeaders().set("X-ClickHouse-Format", format);
                ex.getResponseHeaders().set("Content-Type", contentType(format));
                ex.getResponseHeaders().set("X-ClickHouse-Summary", summary(chdb.chdb_result_rows_read(first), chdb.chdb_result_bytes_read(first), 0, 0,
                        started));
                if (length == 0) {
                    ex.sendResponseHeaders(200, -1);
                    return;
                }
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                byte[] buf = new byte[(int) Math.max(CHUNK, length)];
                buf = copy(first, length, buf, out);
                while (true) {
                    Pointer next = chdb.chdb_stream_fetch_result(s.conn, stream);
                    try {
                        err = chdb.chdb_result_error(next);
                        if (err != null) {
                            out.write(("\n" + err + " (version " + version + ")\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            throw new Aborted(err);
                        }
                        length = chdb.chdb_result_length(next).longValue();
                        if (length == 0) {
                            return;
                        }
                        buf = copy(next, length, buf, out);
                    } finally {
                        chdb.chdb_destroy_query_result(next);
                    }
                }
            } catch (IOException e) {
                chdb.chdb_stream_cancel_query(s.conn, stream);
                throw e;
            } finally {
                chdb.chdb_destroy_query_result(first);
            }
        } finally {
            chdb.chdb_destroy_query_result(stream);
        }
    }

    private byte[] copy(Pointer result, long length, byte[] buf, OutputStream out) throws IOException {
        byte[] b = length > buf.length ? new byte[(int) length] : buf;
        chdb.chdb_result_buffer(result).read(0, b, 0, (int) length);
        out.write(b, 0, (int) length);
        return b;
    }

    /** A statement the engine cannot stream (DDL, INSERT … SELECT, SYSTEM …): its answer is small, returned whole. */
    private void statement(HttpExchange ex, Session s, String text, String defaultFormat, String format, long started) throws IOException {
        Pointer r = s.query(text, defaultFormat);
        try {
            String err = chdb.chdb_result_error(r);
            if (err != null) {
                error(ex, code(err), err);
                return;
            }
            long length = chdb.chdb_result_length(r).longValue();
            ex.getResponseHeaders().set("X-ClickHouse-Format", format);
            ex.getResponseHeaders().set("Content-Type", contentType(format));
            ex.getResponseHeaders().set("X-ClickHouse-Summary", summary(chdb.chdb_result_rows_read(r), chdb.chdb_result_bytes_read(r),
                    chdb.chdb_result_rows_written(r), chdb.chdb_result_bytes_written(r), started));
            if (length == 0) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, length);
            try (OutputStream out = ex.getResponseBody()) {
                copy(r, length, new byte[(int) length], out);
            }
        } finally {
            chdb.chdb_destroy_query_result(r);
        }
    }

    /** {@code INSERT … FORMAT f} with the data in the body, streamed into the engine 1 MiB at a time. */
    private void insert(HttpExchange ex, Session s, String statement, String format, InputStream body) throws IOException {
        long started = System.nanoTime();
        Pointer stream = s.streamInsert(statement, format);
        try {
            String err = chdb.chdb_stream_insert_error(stream);
            if (err != null) {
                error(ex, code(err), err);
                return;
            }
            byte[] buf = new byte[CHUNK];
            try {
                int n;
                while ((n = body.readNBytes(buf, 0, buf.length)) > 0) {
                    if (chdb.chdb_stream_append(stream, buf, new NativeLong(n)) != 0) {
                        String e = Optional.ofNullable(chdb.chdb_stream_insert_error(stream)).orElse("Code: 1001. DB::Exception: append failed. (STD_EXCEPTION)");
                        chdb.chdb_stream_cancel_insert(stream);
                        error(ex, code(e), e);
                        return;
                    }
                }
            } catch (IOException e) {
                // The client went away mid-body (killed, timed out): nothing more is committed.
                chdb.chdb_stream_cancel_insert(stream);
                throw e;
            }
            Pointer done = chdb.chdb_stream_done(stream);
            try {
                err = chdb.chdb_result_error(done);
                if (err != null) {
                    error(ex, code(err), err);
                    return;
                }
                ex.getResponseHeaders().set("X-ClickHouse-Format", format);
                ex.getResponseHeaders().set("X-ClickHouse-Summary", summary(0, 0, chdb.chdb_result_rows_written(done), chdb.chdb_result_bytes_written(done),
                        started));
                ex.sendResponseHeaders(200, -1);
            } finally {
                chdb.chdb_destroy_query_result(done);
            }
        } finally {
            chdb.chdb_destroy_insert_stream(stream);
        }
    }

    private static byte[] readQuery(InputStream body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = body.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > MAX_QUERY_BYTES) {
                throw new IOException("query text over " + MAX_QUERY_BYTES + " bytes");
            }
        }
        return out.toByteArray();
    }

    private static String[] credentials(HttpExchange ex, Map<String, String> params) {
        Headers h = ex.getRequestHeaders();
        String user = h.getFirst("X-ClickHouse-User");
        if (user != null) {
            return new String[] {user, Optional.ofNullable(h.getFirst("X-ClickHouse-Key")).orElse("")};
        }
        String auth = h.getFirst("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            String pair = new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? new String[] {pair, ""} : new String[] {pair.substring(0, colon), pair.substring(colon + 1)};
        }
        return new String[] {params.getOrDefault("user", "default"), params.getOrDefault("password", "")};
    }

    private static Map<String, String> params(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private void notImplemented(HttpExchange ex, String what) throws IOException {
        error(ex, NOT_IMPLEMENTED, "Code: 48. DB::Exception: the chdb test harness does not implement " + what + ". (NOT_IMPLEMENTED)");
    }

    private void error(HttpExchange ex, int code, String message) throws IOException {
        ex.getResponseHeaders().set("X-ClickHouse-Exception-Code", String.valueOf(code));
        send(ex, status(message), message.strip() + " (version " + version + ")\n");
    }

    private static int status(String message) {
        Matcher m = NAME.matcher(message.strip());
        if (m.find()) {
            for (Map.Entry<Integer, List<String>> e : STATUS_BY_ERROR.entrySet()) {
                if (e.getValue().contains(m.group(1))) {
                    return e.getKey();
                }
            }
        }
        return 500;
    }

    private static void send(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static int code(String error) {
        Matcher m = CODE.matcher(error);
        return m.find() ? Integer.parseInt(m.group(1)) : 1001;
    }

    private static String summary(long readRows, long readBytes, long writtenRows, long writtenBytes, long started) {
        return "{\"read_rows\":\"" + readRows + "\",\"read_bytes\":\"" + readBytes + "\",\"written_rows\":\"" + writtenRows + "\",\"written_bytes\":\""
                + writtenBytes + "\",\"total_rows_to_read\":\"0\",\"result_rows\":\"0\",\"result_bytes\":\"0\",\"elapsed_ns\":\""
                + (System.nanoTime() - started) + "\"}";
    }

    private static String contentType(String format) {
        String f = format.toLowerCase(Locale.ROOT);
        if (f.startsWith("json")) {
            return "application/json; charset=UTF-8";
        }
        if (f.startsWith("tabseparated") || f.startsWith("tsv")) {
            return "text/tab-separated-values; charset=UTF-8";
        }
        if (f.startsWith("csv")) {
            return "text/csv; charset=UTF-8";
        }
        return "application/octet-stream";
    }

    private static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String identifier(String s) {
        return "`" + s.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    /** The response was under way when the engine failed. */
    private static final class Aborted extends RuntimeException {
        Aborted(String message) {
            super(message, null, false, false);
        }
    }

    /** One chdb connection: a session with its own current database and settings. Confined to one request thread. */
    static final class Session implements AutoCloseable {
        private final Chdb chdb;
        private final Pointer handle;
        final Pointer conn;

        private Session(Chdb chdb, Pointer handle) {
            this.chdb = chdb;
            this.handle = handle;
            this.conn = handle.getPointer(0);
        }

        static Session open(Chdb chdb, String dataPath) {
            Pointer h = chdb.chdb_connect(2, new String[] {"chdb", "--path=" + dataPath});
            if (h == null) {
                throw new IllegalStateException("chdb_connect failed for --path=" + dataPath);
            }
            return new Session(chdb, h);
        }

        Pointer query(String sql, String format) {
            byte[] q = sql.getBytes(StandardCharsets.UTF_8);
            byte[] f = format.getBytes(StandardCharsets.UTF_8);
            return chdb.chdb_query_n(conn, q, new NativeLong(q.length), f, new NativeLong(f.length));
        }

        Pointer streamQuery(String sql, String format) {
            byte[] q = sql.getBytes(StandardCharsets.UTF_8);
            byte[] f = format.getBytes(StandardCharsets.UTF_8);
            return chdb.chdb_stream_query_n(conn, q, new NativeLong(q.length), f, new NativeLong(f.length));
        }

        Pointer streamInsert(String statement, String format) {
            byte[] q = statement.getBytes(StandardCharsets.UTF_8);
            byte[] f = format.getBytes(StandardCharsets.UTF_8);
            return chdb.chdb_stream_insert_n(conn, q, new NativeLong(q.length), f, new NativeLong(f.length));
        }

        /** @return the engine's error, if the statement failed */
        Optional<String> statement(String sql) {
            Pointer r = query(sql, "TabSeparated");
            try {
                return Optional.ofNullable(chdb.chdb_result_error(r));
            } finally {
                chdb.chdb_destroy_query_result(r);
            }
        }

        /** @return the statement's TabSeparated answer; throws on an engine error */
        String text(String sql) {
            Pointer r = query(sql, "TabSeparated");
            try {
                String err = chdb.chdb_result_error(r);
                if (err != null) {
                    throw new IllegalStateException("chdb: " + err + " running " + sql);
                }
                long n = chdb.chdb_result_length(r).longValue();
                return n == 0 ? "" : new String(chdb.chdb_result_buffer(r).getByteArray(0, (int) n), StandardCharsets.UTF_8);
            } finally {
                chdb.chdb_destroy_query_result(r);
            }
        }

        @Override
        public void close() {
            chdb.chdb_close_conn(handle);
        }
    }
}
