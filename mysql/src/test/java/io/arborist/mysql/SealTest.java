package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.ArchiveSeal;
import io.arborist.core.backup.Credentials;
import io.arborist.mysql.internal.Manifest;
import io.arborist.mysql.internal.ManifestIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Archives sealed with a key: verify and restore authenticate them and refuse an edited, unsealed or foreign one. */
class SealTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private DbServer server;

    @BeforeEach
    void on(DbServer server) throws Exception {
        this.server = server;
        server.sql("DROP DATABASE IF EXISTS seal_src", "CREATE DATABASE seal_src", "CREATE TABLE seal_src.t (id INT PRIMARY KEY, v TEXT)",
                "INSERT INTO seal_src.t VALUES (1, 'one'), (2, 'two')", "DROP DATABASE IF EXISTS seal_dst");
    }

    private static ArchiveKey key(Path tmp, String text) throws Exception {
        Path file = tmp.resolve("key-" + text.hashCode());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return ArchiveKey.fromFile(file);
    }

    private MySqlRestore restore(ArchiveKey key) {
        return MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).rename("seal_src", "seal_dst").key(key).build();
    }

    private void assertRefused(Path archive, ArchiveKey key, String problem) throws Exception {
        ArboristException verify = catchThrowableOfType(ArboristException.class, () -> MySqlArchive.verify(archive, key));
        assertThat(verify.kind()).isEqualTo(ErrorKind.VERIFICATION);
        assertThat(verify.getMessage()).contains(problem);
        ArboristException restore = catchThrowableOfType(ArboristException.class, () -> restore(key).restore(archive));
        assertThat(restore.kind()).isEqualTo(ErrorKind.VERIFICATION);
        assertThat(restore.getMessage()).contains("nothing was restored").contains(problem);
        try (var c = server.connect()) {
            assertThat(TrapSchema.list(c, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", "seal_dst")).isEmpty();
        }
    }

    @EachServer
    void aSealedArchiveIsAuthenticatedAndAnEditedOneRefused(@TempDir Path tmp) throws Exception {
        ArchiveKey key = key(tmp, KEY);
        Path dir = tmp.resolve("a");
        MySqlArchive taken = MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("seal_src").key(key).build().backup(dir);
        assertThat(taken.seal()).isEqualTo(ArchiveSeal.Status.VERIFIED);
        assertThat(Files.readString(dir.resolve(ManifestIo.SEAL))).startsWith("hmac-sha256 " + key.fingerprint() + " ");
        assertThat(MySqlArchive.verify(dir, key).seal()).isEqualTo(ArchiveSeal.Status.VERIFIED);
        assertThat(MySqlArchive.verify(dir).seal()).isEqualTo(ArchiveSeal.Status.NOT_CHECKED);
        byte[] original = Files.readAllBytes(dir.resolve(ManifestIo.MANIFEST));

        // one row more in the manifest, its plain checksum recomputed: the seal no longer matches
        Manifest m = ManifestIo.read(dir);
        List<Manifest.Table> tables = m.tables().stream().map(t -> new Manifest.Table(t.database(), t.name(), t.engine(), t.createSql(),
                t.columns(), t.rangeColumn(), t.rows() + 1, t.bytes(), t.checksum(), t.chunks())).toList();
        Files.copy(dir.resolve(ManifestIo.SEAL), tmp.resolve("seal"));
        ManifestIo.write(dir, new Manifest(m.formatVersion(), m.kind(), m.tool(), m.toolVersion(), m.created(), m.server(),
                m.consistency(), m.lockMillis(), m.rowHash(), m.warnings(), m.databases(), tables, m.objects(), m.users(),
                m.features(), ""));
        Files.copy(tmp.resolve("seal"), dir.resolve(ManifestIo.SEAL));
        assertThat(MySqlArchive.verify(dir).rows()).as("without a key the edit goes unseen").isEqualTo(3);
        assertRefused(dir, key, "the manifest does not match its seal: it was changed after the backup");

        Files.write(dir.resolve(ManifestIo.MANIFEST), original);
        assertRefused(dir, key(tmp, KEY.replace('0', '1')), "the archive was sealed with another key");
        Files.delete(dir.resolve(ManifestIo.SEAL));
        assertRefused(dir, key, "the archive has no seal (manifest.sig)");
        assertThat(MySqlArchive.verify(dir).seal()).isEqualTo(ArchiveSeal.Status.ABSENT);

        Files.copy(tmp.resolve("seal"), dir.resolve(ManifestIo.SEAL));
        assertThat(restore(key).restore(dir).allMatch()).isTrue();
        server.sql("DROP DATABASE seal_dst");
    }

    @EachServer
    void aSealedTarKeepsItsManifestLast(@TempDir Path tmp) throws Exception {
        ArchiveKey key = ArchiveKey.fromEnvironment(Map.of("ARBORIST_TEST_KEY", KEY), "ARBORIST_TEST_KEY");
        Path tar = tmp.resolve("a.tar");
        MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("seal_src").key(key).build().backup(tar);
        try (TarFile f = new TarFile(tar)) {
            List<String> names = f.getEntries().stream().map(TarArchiveEntry::getName).toList();
            assertThat(names.subList(names.size() - 2, names.size())).containsExactly(ManifestIo.SEAL, ManifestIo.MANIFEST);
        }
        assertThat(MySqlArchive.verify(tar, key).seal()).isEqualTo(ArchiveSeal.Status.VERIFIED);
        assertThat(restore(key).restore(tar).allMatch()).isTrue();
        server.sql("DROP DATABASE seal_dst");

        Path plain = tmp.resolve("plain.tar");
        MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("seal_src").build().backup(plain);
        assertThat(MySqlArchive.verify(plain).seal()).isEqualTo(ArchiveSeal.Status.ABSENT);
        assertRefused(plain, key, "the archive has no seal");
    }
}
