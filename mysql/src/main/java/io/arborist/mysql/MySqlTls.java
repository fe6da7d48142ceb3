package io.arborist.mysql;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How Arborist's connections to a MySQL or MariaDB server use TLS (for connections it opens from a URL; a caller's
 * {@link javax.sql.DataSource} is configured by the caller).
 *
 * <p>The default, {@link Mode#PREFERRED}, encrypts whenever the server offers TLS (MySQL 8 does out of the box) and
 * otherwise connects in the clear: it stops a passive eavesdropper, not someone on the path who can strip the server's
 * offer. {@link Mode#REQUIRED} refuses a server without TLS; {@link Mode#VERIFY_CA} also checks the server's certificate
 * against {@link #ca()} (a PEM file; without one, against the JVM's trusted certificates); {@link Mode#VERIFY_IDENTITY}
 * also checks that the certificate names the host of the URL.
 *
 * <pre>{@code
 * MySqlBackup.using(url, "root", password).tls(MySqlTls.of(MySqlTls.Mode.VERIFY_CA).withCa(Path.of("ca.pem")))
 * }</pre>
 *
 * @param mode what the connection requires
 * @param ca the certificate authorities (PEM) that sign the server's certificate; only with {@link Mode#VERIFY_CA} or
 *           {@link Mode#VERIFY_IDENTITY}
 * @since 0.2
 */
public record MySqlTls(Mode mode, Optional<Path> ca) {
    /** What a connection requires of TLS. */
    public enum Mode {
        /** TLS when the server offers it (the default). */
        PREFERRED,
        /** TLS or no connection; the certificate is not checked. */
        REQUIRED,
        /** TLS with a certificate signed by a trusted authority. */
        VERIFY_CA,
        /** As {@link #VERIFY_CA}, and the certificate names the server's host. */
        VERIFY_IDENTITY
    }

    /**
     * Validates.
     *
     * @param mode what the connection requires
     * @param ca the certificate authorities (PEM) that sign the server's certificate; only with {@link Mode#VERIFY_CA} or
     *     {@link Mode#VERIFY_IDENTITY}
     */
    public MySqlTls {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(ca, "ca");
        if (ca.isPresent() && (mode == Mode.PREFERRED || mode == Mode.REQUIRED)) {
            throw new IllegalArgumentException("a TLS certificate authority is checked only with VERIFY_CA or VERIFY_IDENTITY, not "
                    + mode);
        }
    }

    /** @return TLS when the server offers it */
    public static MySqlTls preferred() {
        return new MySqlTls(Mode.PREFERRED, Optional.empty());
    }

    /**
     * @param mode what the connection requires
     * @return that mode, checked against the JVM's trusted certificates when it verifies
     */
    public static MySqlTls of(Mode mode) {
        return new MySqlTls(mode, Optional.empty());
    }

    /**
     * @param caFile a PEM file of the authorities that sign the server's certificate
     * @return a copy that trusts them
     */
    public MySqlTls withCa(Path caFile) {
        return new MySqlTls(mode, Optional.of(Objects.requireNonNull(caFile, "caFile")));
    }
}
