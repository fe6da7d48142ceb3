package io.arborist.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The test harness's transport: what it speaks of ClickHouse's HTTP interface, and what it refuses. */
class ChdbHttpIT {
    static ChdbServer engine;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        engine = ChdbServer.shared();
        engine.run("CREATE DATABASE IF NOT EXISTS harness", "CREATE TABLE IF NOT EXISTS harness.t (id UInt64, s String) ENGINE = MergeTree ORDER BY id");
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofMinutes(1)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder get(String params) {
        return HttpRequest.newBuilder(URI.create(engine.url() + "/?" + params));
    }

    static String q(String sql) {
        return "query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8);
    }

    @Test
    void answers_queries_from_the_url_or_the_body_in_the_format_the_sql_names() throws Exception {
        HttpResponse<String> url = send(get(q("SELECT 1 AS one FORMAT JSONEachRow")));
        assertThat(url.statusCode()).isEqualTo(200);
        assertThat(url.body()).isEqualTo("{\"one\":1}\n");
        assertThat(url.headers().firstValue("X-ClickHouse-Format")).contains("JSONEachRow");
        assertThat(url.headers().firstValue("X-ClickHouse-Timezone")).isPresent();
        assertThat(url.headers().firstValue("X-ClickHouse-Query-Id")).isPresent();
        assertThat(url.headers().firstValue("X-ClickHouse-Summary")).get().asString().startsWith("{\"read_rows\":\"");

        HttpResponse<String> body = send(HttpRequest.newBuilder(URI.create(engine.url() + "/")).POST(HttpRequest.BodyPublishers.ofString("SELECT 'a\tb', 2")));
        assertThat(body.body()).as("TabSeparated unless the SQL says otherwise").isEqualTo("a\\tb\t2\n");
        assertThat(body.headers().firstValue("X-ClickHouse-Format")).contains("TabSeparated");
        assertThat(send(get(q("SELECT currentDatabase()") + "&database=harness")).body()).isEqualTo("harness\n");
        assertThat(send(get(q("SELECT currentDatabase()")).header("X-ClickHouse-Database", "harness")).body()).isEqualTo("harness\n");
        assertThat(send(get(q("SELECT getSetting('max_threads')") + "&max_threads=3")).body()).as("URL settings apply to the request").isEqualTo("3\n");
        assertThat(send(get("")).statusCode()).isEqualTo(400);
        assertThat(send(HttpRequest.newBuilder(URI.create(engine.url() + "/ping"))).body()).isEqualTo("Ok.\n");
    }

    @Test
    void authenticates_like_the_server_and_maps_errors_to_codes_and_statuses() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("arborist:" + TestClickHouse.PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(send(get(q("SELECT currentUser()")).header("Authorization", basic)).statusCode()).isEqualTo(200);
        assertThat(send(get(q("SELECT 1")).header("X-ClickHouse-User", "arborist").header("X-ClickHouse-Key", TestClickHouse.PASSWORD)).statusCode())
                .isEqualTo(200);
        HttpResponse<String> wrong = send(get(q("SELECT 1")).header("X-ClickHouse-User", "arborist").header("X-ClickHouse-Key", "nope"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.headers().firstValue("X-ClickHouse-Exception-Code")).contains("516");
        assertThat(wrong.body()).startsWith("Code: 516. DB::Exception: arborist: Authentication failed");

        HttpResponse<String> missing = send(get(q("SELECT * FROM harness.no_such_table")));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("X-ClickHouse-Exception-Code")).contains("60");
        assertThat(missing.body()).contains("Code: 60. DB::Exception:").contains("(UNKNOWN_TABLE)").contains("(version 26.7");
        HttpResponse<String> syntax = send(get(q("SELEKT 1")));
        assertThat(syntax.statusCode()).isEqualTo(400);
        assertThat(syntax.headers().firstValue("X-ClickHouse-Exception-Code")).contains("62");
        HttpResponse<String> setting = send(get(q("SELECT 1") + "&no_such_setting=1"));
        assertThat(setting.statusCode()).isEqualTo(404);
        assertThat(setting.headers().firstValue("X-ClickHouse-Exception-Code")).contains("115");
    }

    @Test
    void refuses_what_it_does_not_implement_with_code_48() throws Exception {
        for (String p : new String[] {"compress=1", "decompress=1", "enable_http_compression=1", "session_id=abc", "param_x=1", "wait_end_of_query=1"}) {
            HttpResponse<String> r = send(get(q("SELECT 1") + "&" + p));
            assertThat(r.statusCode()).as(p).isEqualTo(501);
            assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).as(p).contains("48");
            assertThat(r.body()).as(p).contains("the chdb test harness does not implement");
        }
        assertThat(send(get(q("SELECT 1") + "&compress=0&enable_http_compression=0")).statusCode()).as("switched off is fine").isEqualTo(200);
        HttpResponse<String> gzip = send(HttpRequest.newBuilder(URI.create(engine.url() + "/")).header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 1")));
        assertThat(gzip.statusCode()).isEqualTo(501);
    }

    @Test
    void streams_a_large_result_in_chunks_and_breaks_the_response_when_the_engine_fails_midway() throws Exception {
        HttpResponse<InputStream> big = HTTP.send(get(q("SELECT number FROM numbers(30000000) FORMAT RowBinary")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(big.statusCode()).isEqualTo(200);
        assertThat(big.headers().firstValue("Content-Length")).as("streamed, not buffered").isEmpty();
        long total = 0;
        try (InputStream in = big.body()) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
            }
        }
        assertThat(total).as("every row, 8 bytes each").isEqualTo(30_000_000L * 8);

        HttpResponse<InputStream> failing = HTTP.send(get(q("SELECT throwIf(number = 2000000, 'boom') FROM numbers(3000000) FORMAT Native")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(failing.statusCode()).as("the first chunk was fine").isEqualTo(200);
        assertThatThrownBy(() -> {
            try (InputStream in = failing.body()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }).as("a failure after the first chunk breaks the response instead of ending it short").isInstanceOf(IOException.class);
    }

    @Test
    void streams_an_insert_body_into_the_engine() throws Exception {
        StringBuilder tsv = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            tsv.append(i).append('\t').append("row ").append(i).append('\n');
        }
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(engine.url() + "/?" + q("INSERT INTO harness.t FORMAT TabSeparated")
                + "&optimize_on_insert=0")).POST(HttpRequest.BodyPublishers.ofString(tsv.toString())));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-ClickHouse-Summary")).get().asString().contains("\"written_rows\":\"200000\"");
        assertThat(engine.value("SELECT count(), sum(id) FROM harness.t")).isEqualTo("200000\t19999900000");

        engine.run("CREATE TABLE harness.cut (id UInt64) ENGINE = MergeTree ORDER BY id");
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), URI.create(engine.url()).getPort())) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /?" + q("INSERT INTO harness.cut FORMAT TabSeparated") + " HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "6\r\n1\n2\n3\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
        }
        for (int i = 0; i < 50 && !engine.value("SELECT count() FROM system.processes WHERE query LIKE 'INSERT INTO harness.cut%'").equals("0"); i++) {
            Thread.sleep(100);
        }
        assertThat(engine.value("SELECT count() FROM system.processes WHERE query LIKE 'INSERT INTO harness.cut%'")).as("insert ended").isEqualTo("0");
        assertThat(engine.value("SELECT count() FROM harness.cut")).as("a body cut short is cancelled, not committed").isEqualTo("0");

        HttpResponse<String> bad = send(HttpRequest.newBuilder(URI.create(engine.url() + "/?" + q("INSERT INTO harness.t FORMAT TabSeparated")))
                .POST(HttpRequest.BodyPublishers.ofString("not-a-number\tx\n")));
        assertThat(bad.statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(bad.headers().firstValue("X-ClickHouse-Exception-Code")).isPresent();
        assertThat(engine.value("SELECT count() FROM harness.t")).isEqualTo("200000");
    }
}
