package io.arborist.core.backup.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every store must do for archives; run against a local directory and a real S3-compatible server. */
abstract class StoreContract {
    @TempDir
    Path keys;

    /** @return a fresh, empty store */
    abstract BackupStore store() throws Exception;

    /** @return the file holding an object of {@link #store()}, to damage it behind the store's back */
    abstract Path fileOf(BackupStore store, String name);

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    static void put(ArchiveWriter archive, String name, byte[] data) throws IOException {
        StoreOutputStream out = archive.create(name);
        for (int off = 0; off < data.length; off += 100_000) {
            out.write(data, off, Math.min(100_000, data.length - off));
        }
        out.close();
    }

    EncryptionKey key(String name, long seed) throws IOException {
        Path file = keys.resolve(name);
        Files.writeString(file, HexFormat.of().formatHex(random(32, seed)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return EncryptionKey.fromFile(file);
    }

    @Test
    void multiObjectArchiveRoundTripsWithRangedReads() throws Exception {
        try (BackupStore store = store()) {
            byte[] big = random(12 * 1024 * 1024 + 17, 1);
            byte[] small = "id,name\n1,ada\n".getBytes(StandardCharsets.UTF_8);
            ArchiveWriter archive = ArchiveWriter.into(store, "02-lilac-backup/mysql").start();
            put(archive, "edxapp/auth_user.000.zst", big);
            put(archive, "edxapp/schema.sql", small);
            put(archive, "empty.bin", new byte[0]);
            archive.commit("{\"tables\":2}".getBytes(StandardCharsets.UTF_8));

            ArchiveReader reader = ArchiveReader.open(store, "02-lilac-backup/mysql", Optional.empty());
            assertThat(reader.encrypted()).isFalse();
            assertThat(new String(reader.manifest(), StandardCharsets.UTF_8)).isEqualTo("{\"tables\":2}");
            try (InputStream in = reader.open("edxapp/auth_user.000.zst", sha256(big))) {
                assertThat(in.readAllBytes()).isEqualTo(big);
            }
            try (InputStream in = reader.open("edxapp/auth_user.000.zst", 5_000_000, 3_000_000)) {
                assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(big, 5_000_000, 8_000_000));
            }
            try (InputStream in = reader.open("edxapp/schema.sql", small.length - 4, 100)) {
                assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(small, small.length - 4, small.length));
            }
            try (InputStream in = reader.open("empty.bin", sha256(new byte[0]))) {
                assertThat(in.readAllBytes()).isEmpty();
            }
            assertThat(reader.objects()).extracting(StoredObject::name).containsExactly(
                    "archive.json", "edxapp/auth_user.000.zst", "edxapp/schema.sql", "empty.bin", "manifest.json");
            assertThat(store.stat("02-lilac-backup/mysql/edxapp/auth_user.000.zst").orElseThrow().size()).isEqualTo(big.length);
            assertThat(store.stat("02-lilac-backup/mysql/nothing")).isEmpty();
            assertThatThrownBy(() -> reader.open("nothing")).isInstanceOfSatisfying(ArboristException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.VERIFICATION)).hasMessageContaining("nothing is missing");
        }
    }

    @Test
    void aFlippedByteIsDetectedByTheManifestsDigest() throws Exception {
        try (BackupStore store = store()) {
            byte[] data = random(300_000, 2);
            ArchiveWriter archive = ArchiveWriter.into(store, "a").start();
            put(archive, "t.zst", data);
            archive.commit(new byte[] {'{', '}'});
            Path file = fileOf(store, "a/t.zst");
            byte[] stored = Files.readAllBytes(file);
            stored[123_456] ^= 0x01;
            Files.write(file, stored);

            ArchiveReader reader = ArchiveReader.open(store, "a", Optional.empty());
            assertThatThrownBy(() -> {
                try (InputStream in = reader.open("t.zst", sha256(data))) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }).isInstanceOf(IOException.class).hasMessageContaining("t.zst does not match its SHA-256");
        }
    }

    @Test
    void aBackupKilledBeforeItsManifestNeverReadsAsComplete() throws Exception {
        try (BackupStore store = store()) {
            ArchiveWriter archive = ArchiveWriter.into(store, "run/mysql").start();
            put(archive, "done.zst", random(1000, 3));
            StoreOutputStream aborted = archive.create("aborted.zst");
            aborted.write(random(6 * 1024 * 1024, 4));
            aborted.abort();
            StoreOutputStream killed = archive.create("killed.zst");   // never closed: the process died here
            killed.write(random(1000, 5));

            assertThat(store.exists("run/mysql/aborted.zst")).isFalse();
            assertThat(store.exists("run/mysql/killed.zst")).isFalse();
            assertThatThrownBy(() -> ArchiveReader.open(store, "run/mysql", Optional.empty()))
                    .isInstanceOfSatisfying(ArboristException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.VERIFICATION))
                    .hasMessageContaining("is a partial backup (2 objects, no manifest)");
            assertThatThrownBy(() -> ArchiveWriter.into(store, "run/mysql").start())
                    .hasMessageContaining("holds a partial backup").hasMessageContaining("backups prune --partial");

            ArchiveWriter again = ArchiveWriter.into(store, "run/mysql").replacePartial().start();
            put(again, "fresh.zst", random(10, 6));
            again.commit(new byte[] {'{', '}'});
            assertThat(ArchiveReader.open(store, "run/mysql", Optional.empty()).objects()).extracting(StoredObject::name)
                    .containsExactly("archive.json", "fresh.zst", "manifest.json");
            assertThatThrownBy(() -> ArchiveWriter.into(store, "run/mysql").replacePartial().start())
                    .hasMessageContaining("already holds a complete backup");
            killed.abort();
        }
    }

    @Test
    void encryptedArchivesRoundTripAndRefuseAMissingOrWrongKey() throws Exception {
        EncryptionKey key = key("key", 7);
        try (BackupStore store = store()) {
            byte[] data = random(2_500_000, 8);
            byte[] text = "learner@example.org,Ada Lovelace\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
            ArchiveWriter archive = ArchiveWriter.into(store, "enc").encryptedWith(key).start();
            put(archive, "data.zst", data);
            put(archive, "people.csv", text);
            archive.commit("{\"secret\":\"manifest\"}".getBytes(StandardCharsets.UTF_8));

            assertThat(Files.readString(fileOf(store, "enc/people.csv"), StandardCharsets.ISO_8859_1)).doesNotContain("Lovelace");
            assertThat(Files.readString(fileOf(store, "enc/manifest.json"), StandardCharsets.ISO_8859_1)).doesNotContain("manifest");
            assertThat(Files.readString(fileOf(store, "enc/archive.json"))).contains(key.fingerprint()).contains("AES256_GCM_HKDF_1MB");

            ArchiveReader reader = ArchiveReader.open(store, "enc", Optional.of(key));
            assertThat(reader.encrypted()).isTrue();
            assertThat(new String(reader.manifest(), StandardCharsets.UTF_8)).isEqualTo("{\"secret\":\"manifest\"}");
            try (InputStream in = reader.open("data.zst", sha256(data))) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            try (InputStream in = reader.open("data.zst", 1_000_000, 200_000)) {   // spans the first 1 MiB segment boundary
                assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 1_000_000, 1_200_000));
            }

            assertThatThrownBy(() -> ArchiveReader.open(store, "enc", Optional.empty()))
                    .hasMessageContaining("is encrypted and needs its key");
            EncryptionKey other = key("other", 9);
            assertThatThrownBy(() -> ArchiveReader.open(store, "enc", Optional.of(other)))
                    .hasMessageContaining("was encrypted with another key").hasMessageContaining(other.fingerprint());

            // an object copied over another fails authentication: the name is bound to the ciphertext
            Files.copy(fileOf(store, "enc/people.csv"), fileOf(store, "enc/data.zst"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThatThrownBy(() -> {
                try (InputStream in = reader.open("data.zst")) {
                    in.readAllBytes();
                }
            }).isInstanceOf(IOException.class).hasMessageContaining("data.zst failed decryption");
        }
    }

    @Test
    void keysComeFromOwnerOnlyFilesOrTheEnvironmentAndArePrintedAsFingerprints() throws Exception {
        EncryptionKey fromFile = key("k", 11);
        String hex = Files.readString(keys.resolve("k"));
        EncryptionKey fromEnv = EncryptionKey.fromEnvironment(Map.of("ARBORIST_ARCHIVE_KEY", hex), "ARBORIST_ARCHIVE_KEY");
        assertThat(fromEnv).isEqualTo(fromFile);
        assertThat(fromFile.toString()).doesNotContain(hex.substring(0, 16)).contains(fromFile.fingerprint());
        Files.setPosixFilePermissions(keys.resolve("k"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> EncryptionKey.fromFile(keys.resolve("k"))).hasMessageContaining("readable by others");
    }
}
