package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.arborist.core.ArboristException;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.RestoreReport;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS: used when the server offers it (MySQL 8 generates certificates at initialisation; the MariaDB test server has
 * none), required and verified on request. An account that may only connect over TLS shows which connections used it.
 */
class TlsTest {
    private DbServer server;

    @BeforeEach
    void on(DbServer server) throws Exception {
        this.server = server;
        server.sql("DROP DATABASE IF EXISTS tls_src", "CREATE DATABASE tls_src", "CREATE TABLE tls_src.t (id INT PRIMARY KEY)",
                "INSERT INTO tls_src.t VALUES (1)", "DROP USER IF EXISTS 'tls_only'@'%'",
                "CREATE USER 'tls_only'@'%' IDENTIFIED BY 'tls-Pa55' REQUIRE SSL", "GRANT ALL ON *.* TO 'tls_only'@'%'");
    }

    private MySqlBackup.Builder backup(MySqlTls tls) {
        return MySqlBackup.using(server.url(), Credentials.of("tls_only", "tls-Pa55".toCharArray())).databases("tls_src").parallelism(1).tls(tls);
    }

    @EachServer
    void tlsIsUsedWhenOfferedAndRequiredOrVerifiedOnRequest(@TempDir Path tmp) throws Exception {
        if (!server.isMySql()) {
            // no TLS offered: the default connects in the clear (this account is then refused); REQUIRED refuses
            assertThat(catchThrowable(() -> backup(MySqlTls.preferred()).build().backup(tmp.resolve("p"))))
                    .hasMessageContaining("Access denied").hasMessageNotContaining("tls-Pa55");
            assertThat(catchThrowable(() -> backup(MySqlTls.of(MySqlTls.Mode.REQUIRED)).build().backup(tmp.resolve("r"))))
                    .hasMessageContaining("cannot connect").hasMessageContaining("SSL");
            MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("tls_src").build().backup(tmp.resolve("plain"));
            return;
        }
        assertThat(backup(MySqlTls.preferred()).build().backup(tmp.resolve("p")).rows()).isEqualTo(1);
        assertThat(backup(MySqlTls.of(MySqlTls.Mode.REQUIRED)).build().backup(tmp.resolve("r")).rows()).isEqualTo(1);
        Path ca = server.dataDirectory().resolve("ca.pem");
        assertThat(backup(MySqlTls.of(MySqlTls.Mode.VERIFY_CA).withCa(ca)).build().backup(tmp.resolve("v")).rows()).isEqualTo(1);
        // a certificate that did not sign the server's
        Path wrong = server.dataDirectory().resolve("client-cert.pem");
        assertThat(catchThrowable(() -> backup(MySqlTls.of(MySqlTls.Mode.VERIFY_CA).withCa(wrong)).build().backup(tmp.resolve("w"))))
                .hasMessageContaining("cannot connect");
        // the generated certificate names no host: 127.0.0.1 is not its identity
        assertThat(catchThrowable(() -> backup(MySqlTls.of(MySqlTls.Mode.VERIFY_IDENTITY).withCa(ca)).build().backup(tmp.resolve("i"))))
                .hasMessageContaining("cannot connect");
        RestoreReport restored = MySqlRestore.using(server.url(), Credentials.of("tls_only", "tls-Pa55".toCharArray()))
                .tls(MySqlTls.of(MySqlTls.Mode.VERIFY_CA).withCa(ca)).rename("tls_src", "tls_dst").build().restore(tmp.resolve("v"));
        assertThat(restored.allMatch()).isTrue();
        server.sql("DROP DATABASE tls_dst");
    }

    @EachServer
    void aCertificateFileThatIsNoCertificateIsAConfigurationError(@TempDir Path tmp) throws Exception {
        Path junk = java.nio.file.Files.writeString(tmp.resolve("ca.pem"), "not a certificate");
        assertThat(catchThrowable(() -> backup(MySqlTls.of(MySqlTls.Mode.VERIFY_CA).withCa(junk)).build()))
                .isInstanceOf(ArboristException.class).hasMessageContaining(junk.toString()).hasMessageContaining("PEM");
        assertThat(catchThrowable(() -> MySqlTls.of(MySqlTls.Mode.REQUIRED).withCa(junk))).isInstanceOf(IllegalArgumentException.class);
    }
}
