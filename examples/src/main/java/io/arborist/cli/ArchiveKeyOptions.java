package io.arborist.cli;

import io.arborist.core.backup.ArchiveKey;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --key-file} / {@code --key-env}: the key that seals and authenticates archives; never on the command line. */
final class ArchiveKeyOptions {
    @Option(names = "--key-file", paramLabel = "FILE",
            description = "Archive key: a file readable by its owner only, 32 bytes or more (e.g. head -c 32 /dev/urandom | xxd -p -c 64).")
    Path keyFile;

    @Option(names = "--key-env", paramLabel = "VAR", description = "Archive key: the environment variable that holds it.")
    String keyEnv;

    /** @return the key, when one was given */
    Optional<ArchiveKey> key() {
        if (keyFile != null && keyEnv != null) {
            throw new IllegalArgumentException("give the archive key with --key-file or --key-env, not both");
        }
        if (keyFile != null) {
            return Optional.of(ArchiveKey.fromFile(keyFile));
        }
        return keyEnv == null ? Optional.empty() : Optional.of(ArchiveKey.fromEnvironment(System.getenv(), keyEnv));
    }
}
