package io.arborist.core.backup.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreTest extends StoreContract {
    @TempDir
    Path dir;
    private int stores;

    @Override
    BackupStore store() {
        return BackupStores.builder().build().open(dir.resolve("store-" + ++stores).toString());
    }

    @Override
    Path fileOf(BackupStore store, String name) {
        return ((Destination.LocalDirectory) store.destination()).directory().resolve(name);
    }

    @Test
    void filesAreOwnerOnlyAndWrittenThroughATemporaryFile() throws Exception {
        try (BackupStore store = store()) {
            StoreOutputStream out = store.create("a/b/c.bin");
            out.write(new byte[] {1, 2, 3});
            Path root = ((Destination.LocalDirectory) store.destination()).directory();
            assertThat(Files.exists(root.resolve("a/b/c.bin"))).isFalse();
            assertThat(store.list("")).isEmpty();
            assertThat(((Leftovers) store).leftovers("")).hasSize(1);
            out.close();
            assertThat(Files.readAllBytes(root.resolve("a/b/c.bin"))).containsExactly(1, 2, 3);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("a/b/c.bin")))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("a/b")))).isEqualTo("rwx------");
            assertThat(((Leftovers) store).leftovers("")).isEmpty();
            store.delete("a/b/c.bin");
            assertThat(Files.exists(root.resolve("a"))).isFalse();
        }
    }
}
