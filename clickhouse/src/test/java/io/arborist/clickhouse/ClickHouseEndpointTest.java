package io.arborist.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.backup.Credentials;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ClickHouseEndpointTest {
    static void refused(String url, String message) {
        assertThatThrownBy(() -> ClickHouseEndpoint.of(url, Credentials.of("u", new char[0]))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("s3cr3t").doesNotContain("evil"));
    }

    @Test
    void credentials_in_the_url_are_refused_without_repeating_them() {
        refused("http://admin:hunter2@127.0.0.1:8123", "holds credentials (user:password@)");
        refused("http://hunter2@127.0.0.1:8123/", "holds credentials");
        refused("https://127.0.0.1:8443/?password=hunter2", "holds credentials in its query");
        refused("http://127.0.0.1:8123?user=admin&password=hunter2", "holds credentials in its query");
        refused("http://127.0.0.1:8123/?database=x&PASSWORD=hunter2", "holds credentials in its query");
        refused("http://127.0.0.1:8123/?max_threads=1", "has a query");
        refused("http://127.0.0.1:8123/#hunter2", "has a fragment");
        assertThatThrownBy(() -> new ClickHouseEndpoint(URI.create("http://a:hunter2@h:1"), Credentials.of("u", new char[0]))).hasMessageContaining("holds credentials")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void malformed_urls_are_not_echoed() {
        refused("http://admin:hun ter2@127.0.0.1:8123", "is not a valid URL");
        refused("admin:hunter2@evil:8123", "must start with http:// or https://");
        refused("ftp://evil/s3cr3t", "must start with http:// or https://");
        refused("http:s3cr3t", "has no host");
    }

    @Test
    void tls_settings_need_an_https_url() {
        ClickHouseEndpoint https = ClickHouseEndpoint.of("https://clickhouse.example:8443", Credentials.of("u", "pw".toCharArray())).withCaCertificate(Path.of("ca.pem")).requiringTls();
        assertThat(https.requireTls()).isTrue();
        assertThat(https.caCertificate()).contains(Path.of("ca.pem"));
        assertThat(https.toString()).contains("https://clickhouse.example:8443").contains("CA ca.pem").contains("TLS required").doesNotContain("pw)");
        assertThatThrownBy(() -> ClickHouseEndpoint.of("http://127.0.0.1:8123", Credentials.of("u", new char[0])).requiringTls()).hasMessageContaining("TLS is required");
        assertThatThrownBy(() -> ClickHouseEndpoint.of("http://127.0.0.1:8123", Credentials.of("u", new char[0])).withCaCertificate(Path.of("ca.pem")))
                .hasMessageContaining("CA certificate is given for a plain http://");
        assertThat(ClickHouseEndpoint.of(" http://clickhouse:8123 ", Credentials.of("default", new char[0])).url()).isEqualTo(URI.create("http://clickhouse:8123"));
    }
}
