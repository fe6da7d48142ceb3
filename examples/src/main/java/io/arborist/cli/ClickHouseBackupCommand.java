package io.arborist.cli;

import io.arborist.clickhouse.ClickHouseBackup;
import io.arborist.clickhouse.ClickHouseEndpoint;
import io.arborist.clickhouse.ClickHouseManifest;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arborist backup clickhouse}: databases (default: the Aspects ones) to a directory or an S3 prefix, optionally encrypted. */
@Command(name = "clickhouse", mixinStandardHelpOptions = true, description = "Back up ClickHouse databases over HTTP (default: xapi, event_sink, reporting, openedx).")
final class ClickHouseBackupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClickHouseConnection connection = new ClickHouseConnection();

    @Mixin
    ArchiveKeyOptions key = new ArchiveKeyOptions();

    @Option(names = "--databases", split = ",", paramLabel = "DB", description = "Databases to save (default: the Aspects databases present).")
    List<String> databases = List.of();

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--out", required = true, paramLabel = "DEST", description = "New or empty directory, or s3://BUCKET/PREFIX (streamed as it is"
            + " written; the manifest last).")
    String out;

    @Option(names = "--encrypt", description = "Encrypt every file of the archive at rest (AES-256-GCM streaming AEAD) with a key derived from"
            + " --key-file or --key-env; verify and restore then need that key.")
    boolean encrypt;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        ClickHouseBackup.Builder b = ClickHouseBackup.using(connection.endpoint()).databases(databases);
        Optional<ArchiveKey> k = key.key();
        if (encrypt && k.isEmpty()) {
            throw new IllegalArgumentException("--encrypt needs the archive key: give --key-file FILE or --key-env VAR (never the key itself)");
        }
        k.ifPresent(b::key);
        Optional<EncryptionKey> e = encrypt ? k.map(EncryptionKey::derivedFrom) : Optional.empty();
        e.ifPresent(b::encryption);
        Destination d = Destination.parse(out);
        ClickHouseManifest m;
        if (d instanceof Destination.LocalDirectory local) {
            m = b.build().backup(local.directory());
        } else {
            try (BackupStore s = store.open(out, false)) {
                m = b.build().backup(s, "");
            }
        }
        o.printf("backup OK: %s (ClickHouse %s): %d objects, %,d rows, %,d bytes, %s%s%n", d, m.serverVersion(), m.objects().size(), m.rows(), m.bytes(),
                k.map(x -> "sealed with the key " + x.fingerprint()).orElse("not sealed (no --key-file or --key-env)"),
                e.map(x -> ", encrypted (key fingerprint " + x.fingerprint() + ")").orElse(""));
        m.notes().forEach(n -> o.println("  note: " + n));
        return 0;
    }
}

/**
 * Connection options for the ClickHouse commands: never a password on the command line or in the URL, never printed;
 * TLS with {@code https://} (the server's certificate checked against the JVM's CAs, or {@code --ca-file}).
 */
final class ClickHouseConnection {
    @Option(names = "--url", required = true, paramLabel = "URL", description = "HTTP interface, e.g. http://clickhouse:8123 or"
            + " https://clickhouse:8443 (no credentials in the URL).")
    String url;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "PEM file of the CA that signed the server's certificate (https; default: the"
            + " JVM's trusted CAs).")
    Path caFile;

    @Option(names = "--require-tls", description = "Refuse a plain http:// URL.")
    boolean requireTls;

    @Option(names = "--user", paramLabel = "USER", description = "User (default: default).")
    String user = "default";

    @Option(names = "--password-file", paramLabel = "FILE", description = "File whose first line is the password.")
    Path passwordFile;

    @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the password"
            + " (default: CLICKHOUSE_PASSWORD when set; otherwise no password).")
    String passwordEnv;

    ClickHouseEndpoint endpoint() {
        ClickHouseEndpoint e;
        try (Credentials credentials = Passwords.credentials(user, password().toCharArray())) {
            e = ClickHouseEndpoint.of(url, credentials);
        }
        if (caFile != null) {
            e = e.withCaCertificate(caFile);
        }
        return requireTls ? e.requiringTls() : e;
    }

    String password() {
        return Passwords.read(passwordFile, passwordEnv, "CLICKHOUSE_PASSWORD");
    }
}
