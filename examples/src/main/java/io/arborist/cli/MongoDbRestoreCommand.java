package io.arborist.cli;

import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.tutor.MongoDbArchive;
import io.arborist.tutor.MongoDbRestore;
import io.arborist.tutor.ProcessTutorRunner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code arborist restore mongodb}: a MongoDB backup (a directory or an S3 prefix, decrypted with the archive key when
 * encrypted) fed to {@code mongorestore} through {@code tutor}, where the backup's dump ran.
 */
@Command(name = "mongodb", mixinStandardHelpOptions = true, description = "Restore a MongoDB backup with mongorestore through"
        + " tutor (into an empty MongoDB unless --replace-existing).")
final class MongoDbRestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ArchiveKeyOptions keys = new ArchiveKeyOptions();

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--from", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX", description = "The backup: a directory"
            + " or S3 prefix holding mongodb.archive.gz and manifest.json, e.g. DEST/RUN_ID/02-lilac-backup/mongodb.")
    String from;

    @Option(names = "--tutor", paramLabel = "PATH", defaultValue = "tutor", description = "The tutor executable (default: ${DEFAULT-VALUE}).")
    String tutor;

    @Option(names = "--tutor-root", paramLabel = "DIR", description = "TUTOR_ROOT (default: what 'tutor config printroot' prints);"
            + " the secrets of its config.yml are hidden in everything shown.")
    Path tutorRoot;

    @Option(names = "--mode", paramLabel = "local|dev|k8s", defaultValue = "local",
            description = "How Tutor runs the site: tutor local|dev|k8s exec mongodb (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--external", description = "MongoDB is outside Tutor: run mongorestore on this host (default: asked with"
            + " tutor config printvalue RUN_MONGODB).")
    boolean external;

    @Option(names = "--replace-existing", description = "Restore into a MongoDB that already holds databases: mongorestore --drop"
            + " replaces each collection of the backup (default: only an empty MongoDB).")
    boolean replaceExisting;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "3h",
            description = "Limit for mongorestore, e.g. 90m, 3h or PT3H, at most 30 days (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() {
        Destination d = Destination.parse(from);
        if (d instanceof Destination.LocalDirectory local && !Files.isDirectory(local.directory())) {
            throw new IllegalArgumentException("--from " + from + ": no such backup directory; give the directory a MongoDB"
                    + " backup wrote, or s3://BUCKET/PREFIX");
        }
        PrintWriter err = spec.commandLine().getErr();
        ProcessTutorRunner.Builder runner = ProcessTutorRunner.builder().executable(tutor).timeout(RunOptions.timeout(timeout))
                .secretsFromTutorRoot()
                .listener((source, line) -> {
                    err.println("  | " + Printable.line(line));
                    err.flush();
                });
        if (tutorRoot != null) {
            runner.tutorRoot(tutorRoot);
        }
        MongoDbRestore.Builder b = MongoDbRestore.builder(runner.build()).mode(DeploymentMode.parse(mode))
                .replaceExisting(replaceExisting);
        if (external) {
            b.external(true);
        }
        keys.key().ifPresent(k -> b.decryptWith(EncryptionKey.derivedFrom(k)));
        MongoDbArchive restored;
        if (d instanceof Destination.LocalDirectory local) {
            restored = b.build().restore(local.directory());
        } else {
            try (BackupStore s3 = store.open(from, true)) {
                restored = b.build().restore(s3);
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf("restore complete: %d collection(s), %,d bytes from %s (size and SHA-256 match the manifest)%n",
                restored.namespaces().size(), restored.bytes(), restored.location());
        restored.namespaces().forEach(n -> o.println("  " + n));
        return 0;
    }
}
