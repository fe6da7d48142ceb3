package io.arborist.cli;

import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.tutor.TutorRootArchive;
import io.arborist.tutor.TutorRootRestore;
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
 * {@code arborist restore tutor-root}: a Tutor-root backup's {@code config.yml} and {@code env/} (a directory or an S3
 * prefix, decrypted with the archive key when encrypted) back into a root, with their modes.
 */
@Command(name = "tutor-root", mixinStandardHelpOptions = true, description = "Restore a Tutor root's config.yml and env/ from"
        + " a backup (the root is left as it was unless every file matches its SHA-256).")
final class TutorRootRestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ArchiveKeyOptions keys = new ArchiveKeyOptions();

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--from", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX", description = "The backup: a directory"
            + " or S3 prefix holding files/ and manifest.json, e.g. DEST/RUN_ID/02-lilac-backup/tutor-root.")
    String from;

    @Option(names = "--root", required = true, paramLabel = "DIR", description = "The Tutor root to restore into (created when missing).")
    Path root;

    @Option(names = "--replace-existing", description = "Restore into a root that has a config.yml or a non-empty env/: they are"
            + " renamed to *.arborist-replaced-TIME first, never deleted (default: refused).")
    boolean replaceExisting;

    @Override
    public Integer call() {
        Destination d = Destination.parse(from);
        if (d instanceof Destination.LocalDirectory local && !Files.isDirectory(local.directory())) {
            throw new IllegalArgumentException("--from " + from + ": no such backup directory; give the directory a Tutor-root"
                    + " backup wrote, or s3://BUCKET/PREFIX");
        }
        TutorRootRestore.Builder b = TutorRootRestore.builder().replaceExisting(replaceExisting);
        keys.key().ifPresent(k -> b.decryptWith(EncryptionKey.derivedFrom(k)));
        TutorRootArchive restored;
        if (d instanceof Destination.LocalDirectory local) {
            restored = b.build().restore(local.directory(), root);
        } else {
            try (BackupStore s3 = store.open(from, true)) {
                restored = b.build().restore(s3, root);
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf("restore complete: %d file(s), %,d bytes from %s into %s (sizes and SHA-256 match the manifest)%n",
                restored.files(), restored.bytes(), restored.location(), root);
        if (!restored.skipped().isEmpty()) {
            o.println("  not in the backup (links and special files are never archived): " + String.join(", ", restored.skipped()));
        }
        return 0;
    }
}
