package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code catalog check} against a package index on loopback, and the Willow example overlay. */
class CatalogCommandTest {
    record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ArboristCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void catalog_check_lists_what_the_index_has_newer_and_exits_1() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/pypi/", exchange -> {
            String name = exchange.getRequestURI().getPath().replaceFirst("^/pypi/", "").replaceFirst("/json$", "");
            String versions = name.equals("tutor") ? "\"21.0.8\": [], \"21.0.10\": [], \"23.0.0\": []" : "\"3.0.3\": [], \"4.1.0\": []";
            byte[] body = ("{\"info\": {\"name\": \"" + name + "\"}, \"releases\": {" + versions + "}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Run r = run("catalog", "check", "--index-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/pypi");
            assertThat(r.status()).as(r.err()).isEqualTo(1);
            assertThat(r.out()).contains("tutor 21.0.10 (catalog: 21.0.8)").contains("tutor 23.0.0 (catalog: none)")
                    .contains("tutor-contrib-aspects 4.1.0 (catalog: 3.0.3)");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void an_unreachable_index_is_one_line() {
        Run r = run("catalog", "check", "--index-url", "http://127.0.0.1:9/pypi", "--timeout", "2");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().lines()).singleElement().satisfies(l -> assertThat(l).startsWith("arborist: package index").contains("127.0.0.1:9"));
    }

    @Test
    void the_willow_example_overlay_plans_ulmo_to_willow_and_says_its_grammar_is_borrowed() {
        Path overlay = Path.of("catalogs/willow-example.json");
        Run r = run("--catalog", overlay.toString(), "plan", "--from", "ulmo", "--to", "willow", "--format", "json");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("tutor[full]==23.1.0").contains("grammar is not in the catalog")
                .contains("planned and checked with the grammar of Tutor 22.0.0");
    }
}
