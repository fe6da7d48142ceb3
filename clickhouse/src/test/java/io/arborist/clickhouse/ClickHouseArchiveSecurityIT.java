package io.arborist.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arborist.clickhouse.internal.Journals;
import io.arborist.clickhouse.internal.ManifestSeal;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.RestoreReport;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** Archives as untrusted input: hand-edited manifests, sealed archives, damaged archives, owner-only files. */
class ClickHouseArchiveSecurityIT {
    static final ArchiveKey KEY = ArchiveKey.fromEnvironment(Map.of("K", "6b".repeat(32)), "K");
    static final ArchiveKey OTHER_KEY = ArchiveKey.fromEnvironment(Map.of("K", "7c".repeat(32)), "K");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;

    /**
     * {@code sec_src}: a partitioned table (3 files), a table an MV writes into, the MV, a view; {@code sec_other}: a
     * table with 10 rows that no restore of {@code sec_src} may touch. Backed up once per server, sealed with {@link #KEY}.
     */
    static Path backup(TestClickHouse server) {
        return backup(server, shared, "ClickHouseArchiveSecurityIT");
    }

    /** The backup of {@link #backup(TestClickHouse)}, taken once per server and test class into the class's directory. */
    static Path backup(TestClickHouse server, Path into, String testClass) {
        fixture(server);
        return server.once(testClass, () -> {
            Path dir = into.resolve(server.getClass().getSimpleName()).resolve("b");
            ClickHouseBackup.using(server.admin()).databases(List.of("sec_src")).splitPartitionsAbove(0).key(KEY).build().backup(dir);
            return dir;
        });
    }

    static void fixture(TestClickHouse server) {
        server.once("sec_src", () -> {
            server.run("CREATE DATABASE sec_src",
                    "CREATE TABLE sec_src.events (id UInt64, d Date, s String) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY id",
                    "INSERT INTO sec_src.events SELECT number, toDate('2024-01-01') + number % 90, toString(number % 7) FROM numbers(3000)",
                    "CREATE TABLE sec_src.counts (s String, n UInt64) ENGINE = SummingMergeTree ORDER BY s",
                    "CREATE MATERIALIZED VIEW sec_src.counts_mv TO sec_src.counts AS SELECT s, count() AS n FROM sec_src.events GROUP BY s",
                    "CREATE VIEW sec_src.recent AS SELECT id, s FROM sec_src.events WHERE d > toDate('2024-02-01')",
                    "CREATE DATABASE sec_other",
                    "CREATE TABLE sec_other.t (x UInt8) ENGINE = MergeTree ORDER BY x",
                    "INSERT INTO sec_other.t SELECT number FROM numbers(10)");
            return server;
        });
    }

    static Path copy(TestClickHouse server, Path to) throws Exception {
        return ClickHouseFaultsIT.copy(backup(server), to);
    }

    /** Edits the manifest as whoever holds the archive can, recomputing its checksum (which anyone can). */
    static void edit(Path dir, Consumer<ObjectNode> change) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(dir.resolve("manifest.json").toFile());
        change.accept(root);
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        Files.write(dir.resolve("manifest.json"), bytes);
        Files.writeString(dir.resolve("manifest.json.sha256"), ManifestSeal.sha256(bytes) + "  manifest.json\n");
    }

    static Consumer<ObjectNode> ddl(String name, String ddl) {
        return root -> {
            for (JsonNode o : root.path("objects")) {
                if (o.path("name").asText().equals(name)) {
                    ((ObjectNode) o).put("ddl", ddl);
                    return;
                }
            }
            throw new AssertionError(name + " not in the manifest");
        };
    }

    static void assertUntouched(TestClickHouse server, String target, Path archive) {
        assertThat(server.value("SELECT count() FROM sec_other.t")).as("the other database survives").isEqualTo("10");
        assertThat(server.value("SELECT count() FROM system.tables WHERE database = 'sec_other'")).isEqualTo("1");
        assertThat(server.value("SELECT count() FROM system.databases WHERE name = '" + target + "'")).as("nothing was created").isEqualTo("0");
        assertThat(Journals.defaultJournal(archive)).as("a refused restore leaves no journal").doesNotExist();
    }

    @EachEngine
    void a_hand_edited_statement_is_refused_before_anything_changes_and_verify_lists_it(TestClickHouse server, @TempDir Path tmp) throws Exception {
        String engine = server.modern() ? "Atomic" : "Ordinary";
        List<String[]> cases = List.of(
                new String[] {"recent", "DROP TABLE sec_other.t", "sec_src.recent: its DDL is not a CREATE statement (it starts with DROP TABLE sec_other)"},
                new String[] {"events", "CREATE TABLE sec_src.events (id UInt64) ENGINE = Memory; DROP DATABASE sec_other",
                        "sec_src.events: its DDL holds more than one statement"},
                new String[] {"counts", "CREATE TABLE sec_other.counts (s String, n UInt64) ENGINE = Memory",
                        "sec_src.counts: its DDL creates sec_other.counts, not sec_edit.counts"});
        int n = 0;
        for (String[] c : cases) {
            Path dir = copy(server, tmp.resolve("edit" + n++));
            edit(dir, ddl(c[0], c[1]));

            assertThatThrownBy(() -> ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_edit").build().restore(dir))
                    .isInstanceOf(ArboristException.class).hasMessageContaining("nothing was restored").hasMessageContaining(c[2])
                    .satisfies(e -> assertThat(((ArboristException) e).kind()).isEqualTo(ErrorKind.VERIFICATION));
            assertUntouched(server, "sec_edit", dir);
            VerifyReport v = ClickHouseVerifier.builder().build().verify(dir);
            assertThat(v.problems()).as("verify reports the same edit").anySatisfy(p -> assertThat(p).startsWith(c[2].replace("sec_edit", "sec_src")));
        }

        Path all = copy(server, tmp.resolve("all"));
        edit(all, root -> {
            cases.forEach(c -> ddl(c[0], c[1]).accept(root));
            ((ObjectNode) root.path("databases").get(0)).put("ddl", "CREATE DATABASE sec_src ENGINE = " + engine + "; DROP DATABASE sec_other");
        });
        VerifyReport v = ClickHouseVerifier.builder().build().verify(all);
        assertThat(v.problems()).hasSize(4).allSatisfy(p -> assertThat(p).doesNotContain("\n"))
                .anySatisfy(p -> assertThat(p).startsWith("database sec_src: its DDL holds more than one statement"))
                .anySatisfy(p -> assertThat(p).startsWith("sec_src.recent:")).anySatisfy(p -> assertThat(p).startsWith("sec_src.events:"))
                .anySatisfy(p -> assertThat(p).startsWith("sec_src.counts:"));
        assertThatThrownBy(() -> ClickHouseRestore.using(server.admin()).build().restore(all)).hasMessageContaining("database sec_src: its DDL");
        assertThat(server.value("SELECT count() FROM sec_other.t")).isEqualTo("10");
        assertThat(server.value("SELECT count() FROM system.tables WHERE database = 'sec_src'")).as("the source itself untouched").isEqualTo("4");
    }

    @EachEngine
    void objects_reaching_outside_are_refused_unless_skipped_and_reads_outside_unless_allowed(TestClickHouse server, @TempDir Path tmp) throws Exception {
        Path dir = copy(server, tmp.resolve("outside"));
        edit(dir, ddl("counts_mv", "CREATE MATERIALIZED VIEW sec_src.counts_mv TO sec_other.t AS SELECT toUInt8(id) AS x FROM sec_src.events"));
        edit(dir, ddl("recent", "CREATE VIEW sec_src.recent AS SELECT name FROM system.databases"));
        assertThatThrownBy(() -> ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_out").build().restore(dir))
                .isInstanceOf(ArboristException.class).hasMessageContaining("holds objects this restore does not create; nothing was restored")
                .hasMessageContaining("sec_src.counts_mv: writes (TO) into sec_other.t, which is not a table of the archive")
                .hasMessageContaining("sec_src.recent: reads system.databases, outside the restored databases")
                .hasMessageContaining("--skip").hasMessageContaining("--allow-reads-from system");
        assertUntouched(server, "sec_out", dir);
        assertThat(ClickHouseVerifier.builder().build().verify(dir)).satisfies(v -> {
            assertThat(v.problems()).as("a server may well have such objects: notes, not damage").isEmpty();
            assertThat(v.notes()).anySatisfy(l -> assertThat(l).contains("a restore refuses sec_src.counts_mv: writes (TO) into sec_other.t"));
        });

        RestoreReport r = ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_out").skip("sec_src.counts_mv")
                .allowReadsFrom("system").build().restore(dir);

        assertThat(r.allMatch()).isTrue();
        assertThat(server.value("SELECT count() FROM system.tables WHERE database = 'sec_out' AND name = 'counts_mv'")).isEqualTo("0");
        server.run("INSERT INTO sec_out.events VALUES (99999, '2024-01-01', 'x')");
        assertThat(server.value("SELECT count() FROM sec_other.t")).isEqualTo("10");
        server.run("DROP DATABASE sec_out");
    }

    @EachEngine
    void a_sealed_backup_is_authenticated_by_its_key_and_an_edit_or_another_key_is_refused(TestClickHouse server, @TempDir Path tmp) throws Exception {
        Path dir = copy(server, tmp.resolve("sealed"));
        assertThat(dir.resolve("manifest.sig")).exists();
        assertThat(Files.readString(dir.resolve("manifest.sig"))).as("the seal MySQL archives have").startsWith("hmac-sha256 " + KEY.fingerprint() + " ");
        VerifyReport keyed = ClickHouseVerifier.builder().key(KEY).build().verify(dir);
        assertThat(keyed.ok()).as("%s", keyed.problems()).isTrue();
        assertThat(keyed.authenticated()).isTrue();
        assertThat(keyed.notes()).first().asString().startsWith("authenticated: sealed with the key " + KEY.fingerprint());
        VerifyReport keyless = ClickHouseVerifier.builder().build().verify(dir);
        assertThat(keyless.ok()).isTrue();
        assertThat(keyless.authenticated()).isFalse();
        assertThat(keyless.notes()).first().asString().startsWith("unauthenticated: sealed with the key " + KEY.fingerprint());
        assertThat(ClickHouseVerifier.builder().key(OTHER_KEY).build().verify(dir).problems()).singleElement().asString()
                .contains("sealed with another key");

        edit(dir, root -> ((ObjectNode) root.path("objects").get(0)).put("engine", "Memory"));
        assertThat(ClickHouseVerifier.builder().build().verify(dir).ok()).as("the checksum was recomputed: only the seal tells").isTrue();
        assertThat(ClickHouseVerifier.builder().key(KEY).build().verify(dir).problems()).singleElement().asString()
                .isEqualTo("the manifest does not match its seal: it was changed after the backup");
        assertThatThrownBy(() -> ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_sealed").key(KEY).build().restore(dir))
                .isInstanceOf(ArboristException.class).hasMessageContaining("is not authenticated by the given key")
                .hasMessageContaining("does not match its seal").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertUntouched(server, "sec_sealed", dir);

        Files.move(dir.resolve("manifest.sig"), dir.resolve("manifest.json.seal"));
        assertThat(ClickHouseVerifier.builder().key(KEY).build().verify(dir).problems()).as("a seal of Arborist 0.2 is named, not read")
                .singleElement().asString().startsWith("sealed in the format of Arborist 0.2 (manifest.json.seal)");
        Files.delete(dir.resolve("manifest.json.seal"));
        assertThat(ClickHouseVerifier.builder().key(KEY).build().verify(dir).problems()).singleElement().asString().startsWith("the archive has no seal");
        Path unsealed = tmp.resolve("unsealed");
        ClickHouseBackup.using(server.admin()).databases(List.of("sec_other")).build().backup(unsealed);
        assertThat(unsealed.resolve("manifest.sig")).doesNotExist();
        assertThatThrownBy(() -> ClickHouseRestore.using(server.admin()).rename("sec_other", "sec_unsealed").key(KEY).build().restore(unsealed))
                .hasMessageContaining("no seal");

        Path good = copy(server, tmp.resolve("good"));
        RestoreReport r = ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_sealed").key(KEY).build().restore(good);
        assertThat(r.allMatch()).isTrue();
        server.run("DROP DATABASE sec_sealed");
    }

    @EachEngine(since = "22.8")
    void the_servers_backup_is_sealed_too(TestClickHouse server, @TempDir Path tmp) throws Exception {
        backup(server);
        Path dir = tmp.resolve("server-side");
        ClickHouseBackup.using(server.admin()).databases(List.of("sec_src")).serverSide(server.backupFile("sec-sealed")).key(KEY).build().backup(dir);
        assertThat(ClickHouseVerifier.builder().key(KEY).build().verify(dir).authenticated()).isTrue();
        edit(dir, root -> ((ObjectNode) root.path("serverBackup")).put("path", "/elsewhere/"));
        assertThatThrownBy(() -> ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_ss").key(KEY).build().restore(dir))
                .hasMessageContaining("does not match its seal");
        assertUntouched(server, "sec_ss", dir);
    }

    @EachEngine
    void verify_lists_every_problem_of_a_damaged_archive(TestClickHouse server, @TempDir Path tmp) throws Exception {
        Path dir = copy(server, tmp.resolve("damaged"));
        ClickHouseManifest m = ClickHouseManifest.read(dir);
        List<ManifestChunk> chunks = ClickHouseRoundTripIT.find(m, "sec_src.events").chunks();
        assertThat(chunks).hasSize(3);
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(chunks.get(0).file()).toFile(), "rw")) {
            f.seek(chunks.get(0).bytes() / 2);
            int b = f.read();
            f.seek(chunks.get(0).bytes() / 2);
            f.write(b ^ 0x10);
        }
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(chunks.get(1).file()).toFile(), "rw")) {
            f.setLength(chunks.get(1).bytes() - 1);
        }
        Files.delete(dir.resolve(chunks.get(2).file()));
        Files.writeString(dir.resolve("schema/sec_src.sql"), "-- edited\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("manifest.json"), "\n", java.nio.file.StandardOpenOption.APPEND);

        VerifyReport v = ClickHouseVerifier.builder().build().verify(dir);

        assertThat(v.problems()).hasSize(5).allSatisfy(p -> assertThat(p).doesNotContain("\n"));
        assertThat(v.problems().get(0)).startsWith("manifest.json has SHA-256 ").endsWith("(damaged, or edited after the backup)");
        assertThat(v.problems()).anySatisfy(p -> assertThat(p).startsWith("sec_src.events: " + chunks.get(0).file()).endsWith("(corrupted)"))
                .anySatisfy(p -> assertThat(p).startsWith("sec_src.events: " + chunks.get(1).file()).endsWith("(truncated or replaced)"))
                .anySatisfy(p -> assertThat(p).isEqualTo("sec_src.events: " + chunks.get(2).file() + " is missing"))
                .anySatisfy(p -> assertThat(p).startsWith("schema/sec_src.sql has "));
        assertThatThrownBy(() -> v.orThrow()).hasMessageContaining("5 problem(s)").hasMessageContaining(chunks.get(2).file() + " is missing");
    }

    @EachEngine
    void archives_and_journals_are_owner_only(TestClickHouse server, @TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("owned");
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        backup(server);
        ClickHouseBackup.using(server.admin()).databases(List.of("sec_src")).splitPartitionsAbove(0).key(KEY).build().backup(dir);
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> paths = all.toList();
            assertThat(paths).hasSizeGreaterThan(8);
            for (Path p : paths) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as("%s", p)
                        .isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            }
        }

        Path journal = tmp.resolve("state/restore.journal");
        ClickHouseRestore failing = ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_owned").journal(journal).listener(p -> {
            if (p.operation().equals("restore") && p.rowsDone() > 0) {
                throw new IllegalStateException("stopped after the first file");
            }
        }).build();
        assertThatThrownBy(() -> failing.restore(dir)).hasMessageContaining("stopped after the first file");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(journal))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(journal.getParent()))).isEqualTo("rwx------");
        assertThat(ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_owned").journal(journal).build().restore(dir).allMatch()).isTrue();
        server.run("DROP DATABASE sec_owned");
    }

    static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
