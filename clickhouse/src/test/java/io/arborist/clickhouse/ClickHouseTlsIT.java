package io.arborist.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.RestoreReport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** https:// endpoints: the server's certificate checked against a CA file; untrusted certificates and plain ports refused clearly. */
class ClickHouseTlsIT {
    @EachEngine
    void https_with_the_servers_ca_backs_up_and_restores_and_an_untrusted_certificate_is_refused(TestClickHouse server, @TempDir Path tmp)
            throws Exception {
        server.run("CREATE DATABASE IF NOT EXISTS tls_src", "CREATE TABLE IF NOT EXISTS tls_src.t (x UInt32) ENGINE = MergeTree ORDER BY x",
                "TRUNCATE TABLE tls_src.t", "INSERT INTO tls_src.t SELECT number FROM numbers(1000)", "DROP DATABASE IF EXISTS tls_dst");
        try (TlsProxy proxy = TlsProxy.start(server.url(), tmp)) {
            ClickHouseEndpoint https = ClickHouseEndpoint.of(proxy.url(), Credentials.of("default", new char[0])).withCaCertificate(proxy.ca()).requiringTls();

            ClickHouseManifest m = ClickHouseBackup.using(https).databases(List.of("tls_src")).build().backup(tmp.resolve("b"));
            RestoreReport r = ClickHouseRestore.using(https).rename("tls_src", "tls_dst").build().restore(tmp.resolve("b"));

            assertThat(m.rows()).isEqualTo(1000);
            assertThat(r.allMatch()).isTrue();
            assertThat(server.value("SELECT count() FROM tls_dst.t")).isEqualTo("1000");
            assertThat(proxy.connections()).as("the requests went through TLS").isPositive();

            ClickHouseEndpoint jvmCas = ClickHouseEndpoint.of(proxy.url(), Credentials.of("default", new char[0]));
            assertThatThrownBy(() -> ClickHouseBackup.using(jvmCas).databases(List.of("tls_src")).build().backup(tmp.resolve("untrusted")))
                    .isInstanceOf(ArboristException.class).hasMessageContaining("the TLS connection to ClickHouse at " + proxy.url() + " failed")
                    .hasMessageContaining("--ca-file").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            TlsProxy.certificate(tmp, "other");
            ClickHouseEndpoint otherCa = ClickHouseEndpoint.of(proxy.url(), Credentials.of("default", new char[0])).withCaCertificate(tmp.resolve("other.pem"));
            assertThatThrownBy(() -> ClickHouseBackup.using(otherCa).databases(List.of("tls_src")).build().backup(tmp.resolve("other")))
                    .hasMessageContaining("the TLS connection to ClickHouse");
            assertThat(tmp.resolve("untrusted/manifest.json")).doesNotExist();
        }
        ClickHouseEndpoint plainPort = ClickHouseEndpoint.of(server.url().replace("http://", "https://"), Credentials.of("default", new char[0]));
        assertThatThrownBy(() -> ClickHouseBackup.using(plainPort).databases(List.of("tls_src")).build().backup(tmp.resolve("plain")))
                .hasMessageContaining("the TLS connection to ClickHouse").hasMessageContaining("port speaks HTTPS");
        server.run("DROP DATABASE tls_dst");
    }
}
