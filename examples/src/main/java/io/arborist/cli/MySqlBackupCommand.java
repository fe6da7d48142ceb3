package io.arborist.cli;

import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.BackupProgress;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.mysql.MySqlArchive;
import io.arborist.mysql.MySqlBackup;
import io.arborist.mysql.MySqlTls;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code arborist backup mysql}: a consistent, parallel, compressed backup into a directory, a single tar file or an S3 prefix. */
@Command(name = "mysql", mixinStandardHelpOptions = true,
        description = "Back up MySQL/MariaDB databases into a directory, a single .tar file or s3://BUCKET/PREFIX.")
final class MySqlBackupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    MySqlConnectionOptions connection = new MySqlConnectionOptions();

    @Mixin
    ArchiveKeyOptions keys = new ArchiveKeyOptions();

    @Option(names = "--databases", split = ",", paramLabel = "DB", description = "Databases (default: all non-system).")
    List<String> databases = new ArrayList<>();

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--out", required = true, paramLabel = "DIR|FILE.tar|s3://BUCKET/PREFIX",
            description = "New or empty directory, a new FILE.tar (one file, written next to a staging directory), or an S3"
                    + " prefix (streamed, manifest last; credentials from the AWS default chain).")
    String out;

    @Option(names = "--encrypt", description = "Encrypt the archive at rest with a key derived from --key-file/--key-env"
            + " (directory or s3:// only); verify and restore then need the same key.")
    boolean encrypt;

    @Option(names = {"--parallelism", "--threads"}, paramLabel = "N", description = "Parallel workers (default: processors).")
    Integer parallelism;

    @Option(names = "--chunk-rows", description = "Rows per data file (default: 250000).")
    Long chunkRows;

    @Option(names = "--include-users", description = "Also save users and grants.")
    boolean includeUsers;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<ArchiveKey> key = keys.key();
        if (encrypt && key.isEmpty()) {
            throw new IllegalArgumentException("--encrypt needs the archive key: give --key-file or --key-env (the key is never"
                    + " taken from the command line)");
        }
        MySqlBackup.Builder b;
        try (Credentials credentials = Passwords.credentials(connection.user, connection.password())) {
            b = MySqlBackup.using(connection.url, credentials);
        }
        b.tls(connection.tls())
                .databases(databases).includeUsers(includeUsers).listener(MySqlConnectionOptions.progressLine(err));
        key.ifPresent(b::key);
        if (encrypt) {
            b.encryptWith(EncryptionKey.derivedFrom(key.orElseThrow()));
        }
        if (parallelism != null) {
            b.parallelism(parallelism);
        }
        if (chunkRows != null) {
            b.chunkRows(chunkRows);
        }
        MySqlArchive a;
        if (Destination.parse(out) instanceof Destination.S3Location) {
            try (BackupStore s3 = store.open(out, false)) {
                a = b.build().backup(s3);
            }
        } else {
            a = b.build().backup(Path.of(out));
        }
        o.printf("backup complete: %s%n  %d tables, %,d rows, %,d bytes, consistency %s%s%n", a.location(), a.tables().size(),
                a.rows(), a.bytes(), a.consistency(), a.binlogPosition().isEmpty() ? "" : ", binlog " + a.binlogPosition());
        a.warnings().forEach(w -> o.println("  warning: " + w));
        if (encrypt) {
            o.println("  encrypted at rest (" + EncryptionKey.SCHEME + "): verify and restore need the same --key-file or --key-env");
        }
        o.println(key.map(k -> "  sealed with the archive key " + k.fingerprint() + " (manifest.sig): verify and restore with the same"
                + " key authenticate it").orElse("  not sealed: without --key-file or --key-env, verify cannot tell an edited archive"
                + " from this one"));
        return 0;
    }
}
/** Connection options shared by {@code backup mysql} and {@code restore mysql}: never a password on the command line. */
final class MySqlConnectionOptions {
    @Option(names = "--url", required = true, paramLabel = "JDBC_URL",
            description = "e.g. jdbc:mysql://127.0.0.1:3306 (no user or password in it)")
    String url;

    @Option(names = "--tls", paramLabel = "preferred|require|verify-ca|verify-identity",
            description = "TLS: used when the server offers it (preferred, the default), required, or required with the server's"
                    + " certificate checked against --tls-ca (verify-ca) and its host name (verify-identity).")
    String tls;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "PEM file of the authorities that sign the server's certificate (implies --tls verify-ca; default: the"
                    + " JVM's trusted authorities).")
    Path tlsCa;

    @Option(names = "--user", defaultValue = "root", description = "User (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File whose first line is the password.")
    Path passwordFile;

    @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the password"
            + " (default: MYSQL_PWD when set; otherwise no password).")
    String passwordEnv;

    char[] password() {
        return Passwords.read(passwordFile, passwordEnv, "MYSQL_PWD").toCharArray();
    }

    MySqlTls tls() {
        return tls(tls, tlsCa, "--tls");
    }

    /** Parses a TLS mode option and its certificate authority file. */
    static MySqlTls tls(String mode, Path ca, String option) {
        MySqlTls.Mode m = switch (mode == null ? (ca == null ? "preferred" : "verify-ca") : mode) {
            case "preferred" -> MySqlTls.Mode.PREFERRED;
            case "require" -> MySqlTls.Mode.REQUIRED;
            case "verify-ca" -> MySqlTls.Mode.VERIFY_CA;
            case "verify-identity" -> MySqlTls.Mode.VERIFY_IDENTITY;
            default -> throw new IllegalArgumentException(option + " must be preferred, require, verify-ca or verify-identity, got '"
                    + mode + "'");
        };
        if (ca != null && (m == MySqlTls.Mode.PREFERRED || m == MySqlTls.Mode.REQUIRED)) {
            throw new IllegalArgumentException(option + "-ca checks the server's certificate: use it with " + option
                    + " verify-ca or verify-identity, not " + mode);
        }
        return ca == null ? MySqlTls.of(m) : MySqlTls.of(m).withCa(ca);
    }

    static BackupListener progressLine(PrintWriter err) {
        long[] last = {0};
        return p -> {
            long now = System.nanoTime();
            synchronized (last) {
                if (now - last[0] < 1_000_000_000L && p.tablesDone() < p.tablesTotal()) {
                    return;
                }
                last[0] = now;
            }
            err.println(describe(p));
            err.flush();
        };
    }

    static String describe(BackupProgress p) {
        return String.format(Locale.ROOT, "%s: %,d%s rows, %.1f MiB, %d/%d tables, %ds%s", p.operation(), p.rowsDone(),
                p.rowsTotal() > 0 ? "/~" + String.format(Locale.ROOT, "%,d", p.rowsTotal()) : "", p.bytesDone() / 1048576.0,
                p.tablesDone(), p.tablesTotal(), p.elapsed().toSeconds(),
                p.remaining().map(d -> ", ETA " + d.toSeconds() + "s").orElse(""));
    }
}
