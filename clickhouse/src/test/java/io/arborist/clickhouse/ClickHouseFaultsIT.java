package io.arborist.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.clickhouse.internal.Journals;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ConflictPolicy;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.RestoreReport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;

class ClickHouseFaultsIT {
    @TempDir
    static Path shared;

    /** @return a backup of the fixture's {@code ft_event_sink}, taken once per server */
    static Path backup(TestClickHouse server) {
        return server.once("ClickHouseFaultsIT", () -> {
            AspectsFixture.create(server, "ft_", 3_000);
            Path backup = shared.resolve(server.getClass().getSimpleName()).resolve("b");
            ClickHouseBackup.using(server.admin()).databases(List.of("ft_event_sink")).build().backup(backup);
            return backup;
        });
    }

    @EachEngine
    void wrong_password_is_a_clear_error_without_the_password(TestClickHouse server, @TempDir Path tmp) {
        ClickHouseEndpoint bad = ClickHouseEndpoint.of(server.url(), Credentials.of("arborist", ("not-the-" + TestClickHouse.PASSWORD).toCharArray()));
        assertThatThrownBy(() -> ClickHouseBackup.using(bad).build().backup(tmp.resolve("wrong-pw")))
                .isInstanceOf(ArboristException.class).hasMessageContaining("rejected user 'arborist'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TestClickHouse.PASSWORD))
                .satisfies(e -> assertThat(((ArboristException) e).kind()).isEqualTo(ErrorKind.BACKUP));
        assertThat(bad.toString()).doesNotContain(TestClickHouse.PASSWORD);
        assertThat(tmp.resolve("wrong-pw/manifest.json")).doesNotExist();
    }

    @EachEngine
    void a_server_error_carries_the_servers_own_message_where_the_server_sends_it(TestClickHouse server) {
        try (io.arborist.clickhouse.internal.Http http = new io.arborist.clickhouse.internal.Http(server.admin(), java.time.Duration.ofMinutes(1),
                ErrorKind.RESTORE)) {
            assertThatThrownBy(() -> http.execute("SELECT no_such_column FROM system.one", java.util.Optional.empty()))
                    .isInstanceOf(ArboristException.class).hasMessageContaining("SELECT no_such_column FROM system.one")
                    .hasMessageContaining(server.modern() ? "Code: 47. DB::Exception" : "Unreadable error message")
                    .satisfies(e -> assertThat(((ArboristException) e).kind()).isEqualTo(ErrorKind.RESTORE));
        }
    }

    @EachEngine
    void unreachable_server_is_a_clear_error(TestClickHouse server) throws Exception {
        int port = TestClickHouse.freePort();
        assertThatThrownBy(() -> ClickHouseBackup.using(ClickHouseEndpoint.of("http://127.0.0.1:" + port, Credentials.of("default", new char[0]))).build()
                .backup(shared.resolve("unreachable"))).isInstanceOf(ArboristException.class).hasMessageContaining("cannot reach ClickHouse");
    }

    @EachEngine
    void flipped_byte_is_found_by_verify_and_stops_the_restore_before_any_row(TestClickHouse server, @TempDir Path tmp) throws Exception {
        Path copy = copy(backup(server), tmp.resolve("flip"));
        ManifestChunk c = ClickHouseManifest.read(copy).objects().stream().flatMap(o -> o.chunks().stream()).findFirst().orElseThrow();
        try (RandomAccessFile f = new RandomAccessFile(copy.resolve(c.file()).toFile(), "rw")) {
            f.seek(c.bytes() / 2);
            int b = f.read();
            f.seek(c.bytes() / 2);
            f.write(b ^ 0x01);
        }
        VerifyReport r = ClickHouseVerifier.builder().build().verify(copy);
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).singleElement().asString().contains("corrupted");
        ClickHouseRestore.Builder restore = ClickHouseRestore.using(server.admin()).rename("ft_event_sink", "flip_sink");
        AspectsFixture.secrets(server, "ft_").forEach(restore::ddlOverride);
        assertThatThrownBy(() -> restore.build().restore(copy))
                .isInstanceOf(ArboristException.class).hasMessageContaining("damaged")
                .satisfies(e -> assertThat(((ArboristException) e).kind()).isEqualTo(ErrorKind.VERIFICATION));
        assertThat(server.value("SELECT count() FROM system.tables WHERE database = 'flip_sink' AND name = 'course_overviews'"
                + " AND 0 < (SELECT count() FROM system.parts WHERE database = 'flip_sink' AND active)")).isEqualTo("0");
    }

    /** Two backups of one small table, the second with one row more: its data file is valid zstd and Native, but not the first's. */
    private static Path[] twoBackups(TestClickHouse server, String db, Path tmp) {
        server.run("CREATE DATABASE " + db);
        server.run("CREATE TABLE " + db + ".t (id UInt64, s String) ENGINE = MergeTree ORDER BY id");
        server.run("INSERT INTO " + db + ".t SELECT number, toString(number) FROM system.numbers LIMIT 5000");
        Path first = tmp.resolve("first");
        ClickHouseBackup.using(server.admin()).databases(db).build().backup(first);
        server.run("INSERT INTO " + db + ".t VALUES (999999, 'one more')");
        Path second = tmp.resolve("second");
        ClickHouseBackup.using(server.admin()).databases(db).build().backup(second);
        return new Path[] {first, second};
    }

    @EachEngine
    void a_file_replaced_by_other_valid_rows_is_found_while_loading_and_its_rows_removed(TestClickHouse server, @TempDir Path tmp) throws Exception {
        Path[] b = twoBackups(server, "swap_src", tmp);
        // The second backup's file gets the first's rows, padded to the recorded size with a zstd skippable frame: its size
        // is right and it decompresses into valid Native, so only the digest at its end tells it apart.
        ManifestChunk c = ClickHouseManifest.read(b[1]).objects().stream().flatMap(o -> o.chunks().stream()).findFirst().orElseThrow();
        byte[] other = Files.readAllBytes(b[0].resolve(c.file()));
        int pad = (int) c.bytes() - other.length - 8;
        assertThat(pad).as("room for a skippable frame").isGreaterThanOrEqualTo(0);
        java.nio.ByteBuffer replaced = java.nio.ByteBuffer.allocate((int) c.bytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        replaced.put(other).putInt(0x184D2A50).putInt(pad).put(new byte[pad]);
        Files.write(b[1].resolve(c.file()), replaced.array());

        assertThatThrownBy(() -> ClickHouseRestore.using(server.admin()).rename("swap_src", "swap_dst").build().restore(b[1]))
                .isInstanceOf(ArboristException.class).hasMessageContaining("damaged").hasMessageContaining(c.file())
                .hasMessageContaining("none of its rows were kept")
                .satisfies(e -> assertThat(((ArboristException) e).kind()).isEqualTo(ErrorKind.VERIFICATION));
        assertThat(server.value("SELECT count() FROM swap_dst.t")).as("the rows of the replaced file are removed again").isEqualTo("0");
    }

    @EachEngine
    void a_restore_reads_each_data_file_once(TestClickHouse server, @TempDir Path tmp) throws Exception {
        Path first = twoBackups(server, "once_src", tmp)[0];
        java.util.Map<String, Integer> opened = new java.util.concurrent.ConcurrentHashMap<>();
        try (io.arborist.core.backup.store.BackupStore local = io.arborist.core.backup.store.BackupStores.builder().build()
                .open(new io.arborist.core.backup.store.Destination.LocalDirectory(first));
             io.arborist.core.backup.store.BackupStore counting = io.arborist.core.testing.CountingStore.dataFiles(local, opened)) {
            RestoreReport r = ClickHouseRestore.using(server.admin()).rename("once_src", "once_dst").journal(tmp.resolve("journal")).build()
                    .restore(counting, "");
            assertThat(r.allMatch()).isTrue();
        }
        assertThat(opened).as("data files opened").isNotEmpty()
                .allSatisfy((name, times) -> assertThat(times).as(name).isEqualTo(1));
        assertThat(server.value("SELECT count() FROM once_dst.t")).isEqualTo("5000");
    }

    @EachEngine
    void truncated_file_and_missing_manifest_are_found(TestClickHouse server, @TempDir Path tmp) throws Exception {
        Path copy = copy(backup(server), tmp.resolve("trunc"));
        ManifestChunk c = ClickHouseManifest.read(copy).objects().stream().flatMap(o -> o.chunks().stream()).findFirst().orElseThrow();
        try (RandomAccessFile f = new RandomAccessFile(copy.resolve(c.file()).toFile(), "rw")) {
            f.setLength(c.bytes() - 10);
        }
        assertThat(ClickHouseVerifier.builder().build().verify(copy).problems()).singleElement().asString().contains("truncated");
        assertThatThrownBy(() -> ClickHouseRestore.using(server.admin()).rename("ft_event_sink", "trunc_sink").build().restore(copy))
                .hasMessageContaining("truncated");
        Files.delete(copy.resolve("manifest.json"));
        assertThat(ClickHouseVerifier.builder().build().verify(copy).problems()).singleElement().asString().contains("incomplete");
    }

    @EachEngine
    void existing_target_fails_by_default_and_drop_policy_replaces_it(TestClickHouse server, @TempDir Path tmp) throws Exception {
        Path copy = copy(backup(server), tmp.resolve("exists"));
        ClickHouseRestore.Builder fail = ClickHouseRestore.using(server.admin());
        AspectsFixture.secrets(server, "ft_").forEach(fail::ddlOverride);
        assertThatThrownBy(() -> fail.build().restore(copy))
                .isInstanceOf(ArboristException.class).hasMessageContaining("already exist").hasMessageContaining("ft_event_sink.course_overviews")
                .hasMessageContaining("nothing was restored");
        assertThat(server.value("SELECT count() FROM ft_event_sink.course_overviews")).isEqualTo("120");
        server.run("INSERT INTO ft_event_sink.user_profile VALUES (99999, 'extra')");
        ClickHouseRestore.Builder drop = ClickHouseRestore.using(server.admin()).ifExists(ConflictPolicy.DROP).journal(tmp.resolve("j"));
        AspectsFixture.secrets(server, "ft_").forEach(drop::ddlOverride);
        RestoreReport r = drop.build().restore(copy);
        assertThat(r.allMatch()).isTrue();
        assertThat(server.value("SELECT count() FROM ft_event_sink.user_profile")).isEqualTo("500");
    }

    @EachEngine
    void killed_restore_resumes_without_duplicates(TestClickHouse server, @TempDir Path tmp) throws Exception {
        server.run("CREATE DATABASE kill_src",
                "CREATE TABLE kill_src.big (id UInt64, s String) ENGINE = MergeTree ORDER BY id",
                "INSERT INTO kill_src.big SELECT number, toString(cityHash64(number)) FROM numbers(1500000)",
                "CREATE TABLE kill_src.small (id UInt64) ENGINE = MergeTree ORDER BY id",
                "INSERT INTO kill_src.small SELECT number FROM numbers(1000)");
        Path dir = tmp.resolve("kill");
        ClickHouseManifest m = ClickHouseBackup.using(server.admin()).databases(List.of("kill_src")).build().backup(dir);
        long bigFile = m.objects().stream().filter(o -> o.name().equals("big")).findFirst().orElseThrow().chunks().get(0).bytes();

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", String.join(java.io.File.pathSeparator, System.getProperty("java.class.path"), System.getProperty("jdk.module.path", "")),
                RestoreChild.class.getName(), server.url(), dir.toString(), String.valueOf(bigFile * 3 / 4)).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder all = new StringBuilder();
            while ((line = out.readLine()) != null && !line.startsWith("PAUSED")) {
                all.append(line).append('\n');
            }
            assertThat(line).as("child output:\n" + all).startsWith("PAUSED");
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(Journals.defaultJournal(dir))).contains("begin data:kill_dst.big");

        RestoreReport r = ClickHouseRestore.using(server.admin()).rename("kill_src", "kill_dst").build().restore(dir);

        assertThat(r.allMatch()).isTrue();
        assertThat(server.value("SELECT count() FROM kill_dst.big")).isEqualTo("1500000");
        assertThat(server.value("SELECT count() - uniqExact(id) FROM kill_dst.big")).as("no duplicated rows").isEqualTo("0");
        assertThat(server.value("SELECT count() FROM kill_dst.small")).isEqualTo("1000");
    }

    static Path copy(Path from, Path to) throws Exception {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.getFileName().toString().equals("restore.journal")) {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }
}
