package io.arborist.clickhouse;

import io.arborist.core.testing.S3Server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.RestoreReport;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.EncryptionKey;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Backups to, and restores and verification from, a real S3-compatible server (S3Proxy on loopback). */
class ClickHouseS3IT {
    static final String BUCKET = "ch-backups";
    static final String HASH = "SELECT count(), sum(cityHash64(id, s)) FROM ";
    static final List<String> SOURCE = List.of("s3_xapi", "s3_event_sink", "s3_reporting");
    @TempDir
    static Path s3dir;
    static S3Server s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3Server.start(s3dir.resolve("s3"));
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    static TestClickHouse fixture(TestClickHouse server) {
        return server.once("ClickHouseS3IT", () -> {
            AspectsFixture.create(server, "s3_", 5_000);
            server.run("CREATE DATABASE s3_big",
                    "CREATE TABLE s3_big.t (id UInt64, s String) ENGINE = MergeTree ORDER BY id",
                    "INSERT INTO s3_big.t SELECT number, concat(toString(cityHash64(number)), '-', toString(cityHash64(number + 1)), '-',"
                            + " toString(cityHash64(number + 2)), '-', toString(cityHash64(number + 3))) FROM numbers(1000000)");
            return server;
        });
    }

    private static String prefix(TestClickHouse server, String test) {
        return "s3://" + BUCKET + "/" + (server.modern() ? "chdb" : "server") + "/" + test;
    }

    private static EncryptionKey key(String secret) {
        return EncryptionKey.derivedFrom(ArchiveKey.fromEnvironment(Map.of("K", secret), "K"));
    }

    private static ClickHouseRestore.Builder restore(TestClickHouse server, String to, Path journal) {
        ClickHouseRestore.Builder r = ClickHouseRestore.using(server.admin()).journal(journal);
        SOURCE.forEach(db -> r.rename(db, db.replace("s3_", to)));
        AspectsFixture.secrets(server, "s3_").forEach(r::ddlOverride);
        return r;
    }

    @EachEngine
    void round_trip_through_s3_streams_every_file_and_restores_every_row(TestClickHouse server, @TempDir Path tmp) {
        fixture(server);
        String dest = prefix(server, "round-trip");
        Map<String, Integer> opened = new java.util.concurrent.ConcurrentHashMap<>();
        try (BackupStore s3store = s3.open(dest); BackupStore store = io.arborist.core.testing.CountingStore.dataFiles(s3store, opened)) {
            ClickHouseManifest m = ClickHouseBackup.using(server.secured()).databases(SOURCE).splitPartitionsAbove(0).build().backup(store, "");
            assertThat(opened).as("no data object is downloaded again to verify the backup (S3 checked each part's Content-MD5)").isEmpty();

            Path objects = s3.bucketDir(BUCKET).resolve(dest.substring(("s3://" + BUCKET + "/").length()));
            assertThat(objects.resolve("manifest.json")).exists();
            assertThat(objects.resolve("manifest.json.sha256")).exists();
            assertThat(objects.resolve("archive.json")).exists();
            ManifestChunk chunk = m.objects().stream().flatMap(o -> o.chunks().stream()).filter(c -> !c.file().isEmpty()).findFirst().orElseThrow();
            assertThat(objects.resolve(chunk.file())).as("each data file is an object").hasSize(chunk.bytes());
            assertThat(tmp).isEmptyDirectory();

            VerifyReport v = ClickHouseVerifier.builder().build().verify(store, "");
            assertThat(v.problems()).isEmpty();
            assertThat(v.ok()).isTrue();
            assertThat(v.files()).isEqualTo((int) (m.objects().stream().flatMap(o -> o.chunks().stream()).filter(c -> !c.file().isEmpty()).count()
                    + m.files().size()));

            opened.clear();
            RestoreReport r = restore(server, "s3rt_", tmp.resolve("journal")).build().restore(store, "");
            assertThat(r.allMatch()).isTrue();
            assertThat(opened).as("the restore downloads each data object once").isNotEmpty()
                    .allSatisfy((name, times) -> assertThat(times).as(name).isEqualTo(1));
            assertThat(server.value(ClickHouseRoundTripIT.HASH_EVENTS + "s3rt_xapi.xapi_events_all"))
                    .isEqualTo(server.value(ClickHouseRoundTripIT.HASH_EVENTS + "s3_xapi.xapi_events_all"));
            assertThat(tmp.resolve("journal")).as("a finished restore leaves no journal").doesNotExist();
        }
    }

    @EachEngine
    void encrypted_archive_needs_its_key_and_refuses_another(TestClickHouse server, @TempDir Path tmp) throws Exception {
        fixture(server);
        String dest = prefix(server, "encrypted");
        EncryptionKey right = key("the-right-key-0123456789abcdefghijklmnop");
        EncryptionKey wrong = key("another-key-0123456789abcdefghijklmnopqrs");
        try (BackupStore store = s3.open(dest)) {
            ClickHouseManifest m = ClickHouseBackup.using(server.secured()).databases(SOURCE).encryption(right).build().backup(store, "");

            Path objects = s3.bucketDir(BUCKET).resolve(dest.substring(("s3://" + BUCKET + "/").length()));
            assertThat(Files.readString(objects.resolve("archive.json"))).contains(right.fingerprint());
            byte[] manifest = Files.readAllBytes(objects.resolve("manifest.json"));
            assertThat(new String(manifest, StandardCharsets.ISO_8859_1)).as("the manifest is encrypted").doesNotContain("s3_xapi");
            String file = m.objects().stream().flatMap(o -> o.chunks().stream()).filter(c -> !c.file().isEmpty()).findFirst().orElseThrow().file();
            byte[] data = Files.readAllBytes(objects.resolve(file));
            assertThat(java.util.Arrays.copyOf(data, 4)).as("no zstd frame in the clear").isNotEqualTo(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});

            VerifyReport none = ClickHouseVerifier.builder().build().verify(store, "");
            assertThat(none.ok()).isFalse();
            assertThat(none.problems()).singleElement().asString().contains("is encrypted and needs its key").contains(right.fingerprint());
            VerifyReport other = ClickHouseVerifier.builder().encryption(wrong).build().verify(store, "");
            assertThat(other.problems()).singleElement().asString().contains("encrypted with another key").doesNotContain("\n");
            assertThat(ClickHouseVerifier.builder().encryption(right).build().verify(store, "").problems()).isEmpty();

            assertThatThrownBy(() -> restore(server, "s3enc_", tmp.resolve("j")).build().restore(store, ""))
                    .isInstanceOf(ArboristException.class).hasMessageContaining("needs its key")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThatThrownBy(() -> restore(server, "s3enc_", tmp.resolve("j")).encryption(wrong).build().restore(store, ""))
                    .isInstanceOf(ArboristException.class).hasMessageContaining("another key");
            assertThat(server.value("SELECT count() FROM system.databases WHERE name LIKE 's3enc_%'")).as("nothing restored").isEqualTo("0");

            RestoreReport r = restore(server, "s3enc_", tmp.resolve("j")).encryption(right).build().restore(store, "");
            assertThat(r.allMatch()).isTrue();
            assertThat(server.value(ClickHouseRoundTripIT.HASH_EVENTS + "s3enc_xapi.xapi_events_all"))
                    .isEqualTo(server.value(ClickHouseRoundTripIT.HASH_EVENTS + "s3_xapi.xapi_events_all"));
        }
    }

    @EachEngine
    void encrypted_directory_archive_round_trips_and_refuses_a_wrong_key(TestClickHouse server, @TempDir Path tmp) {
        fixture(server);
        EncryptionKey right = key("directory-key-0123456789abcdefghijklmnopq");
        Path dir = tmp.resolve("enc");
        ClickHouseBackup.using(server.secured()).databases("s3_event_sink").encryption(right).build().backup(dir);
        assertThat(dir.resolve("archive.json")).exists();
        assertThat(ClickHouseVerifier.builder().build().verify(dir).problems()).singleElement().asString().contains("needs its key");
        assertThat(ClickHouseVerifier.builder().encryption(key("wrong-directory-key-0123456789abcdefghij")).build().verify(dir).problems())
                .singleElement().asString().contains("another key");
        assertThat(ClickHouseVerifier.builder().encryption(right).build().verify(dir).problems()).isEmpty();
    }

    @EachEngine
    void flipped_byte_in_an_s3_object_is_found_by_verify_and_stops_the_restore(TestClickHouse server, @TempDir Path tmp) throws Exception {
        fixture(server);
        String dest = prefix(server, "flipped");
        try (BackupStore store = s3.open(dest)) {
            ClickHouseManifest m = ClickHouseBackup.using(server.secured()).databases(SOURCE).build().backup(store, "");
            ManifestChunk chunk = m.objects().stream().filter(o -> o.name().equals("xapi_events_all")).findFirst().orElseThrow().chunks().get(0);
            Path object = s3.bucketDir(BUCKET).resolve(dest.substring(("s3://" + BUCKET + "/").length())).resolve(chunk.file());
            byte[] bytes = Files.readAllBytes(object);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(object, bytes);

            VerifyReport v = ClickHouseVerifier.builder().build().verify(store, "");
            assertThat(v.ok()).isFalse();
            assertThat(v.problems()).singleElement().asString().contains(chunk.file()).contains("corrupted");

            assertThatThrownBy(() -> restore(server, "s3flip_", tmp.resolve("j")).build().restore(store, ""))
                    .isInstanceOf(ArboristException.class).hasMessageContaining("damaged").hasMessageContaining(chunk.file())
                    .satisfies(e -> assertThat(((ArboristException) e).kind()).isEqualTo(ErrorKind.VERIFICATION));
            assertThat(server.value("SELECT count() FROM system.parts WHERE database = 's3flip_xapi' AND table = 'xapi_events_all' AND active"))
                    .as("none of the damaged file's rows were loaded").isEqualTo("0");
        }
    }

    @EachEngine
    void backup_killed_midway_never_reads_as_complete(TestClickHouse server, @TempDir Path tmp) throws Exception {
        fixture(server);
        String dest = prefix(server, "killed");
        Process child = child(server, dest, "s3_big", 24L << 20, List.of());
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
        try (BackupStore store = s3.open(dest)) {
            VerifyReport v = ClickHouseVerifier.builder().build().verify(store, "");
            assertThat(v.ok()).isFalse();
            assertThat(v.problems()).singleElement().asString().contains("is a partial backup").contains("no manifest");
            assertThatThrownBy(() -> ClickHouseRestore.using(server.admin()).journal(tmp.resolve("j")).build().restore(store, ""))
                    .isInstanceOf(ArboristException.class).hasMessageContainingAll(dest.substring("s3://".length()));
            assertThatThrownBy(() -> ClickHouseBackup.using(server.admin()).databases("s3_big").build().backup(store, ""))
                    .isInstanceOf(ArboristException.class).hasMessageContaining("partial backup").hasMessageContaining("prune --partial");
            assertThat(store.exists("manifest.json")).as("a refused backup does not complete the partial one").isFalse();
        }
    }

    @EachEngine
    void large_table_to_s3_fits_in_256_mib_of_heap(TestClickHouse server, @TempDir Path tmp) throws Exception {
        fixture(server);
        String dest = prefix(server, "large");
        Process child = child(server, dest, "s3_big", 0, List.of("-Xmx256m"));
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("FINISHED rows=1000000");
        java.util.regex.Matcher heap = java.util.regex.Pattern.compile("maxHeapMiB=(\\d+)").matcher(output);
        assertThat(heap.find()).as(output).isTrue();
        assertThat(Long.parseLong(heap.group(1))).as("the child ran with -Xmx256m").isLessThanOrEqualTo(256);
        try (BackupStore store = s3.open(dest)) {
            VerifyReport v = ClickHouseVerifier.builder().build().verify(store, "");
            assertThat(v.problems()).isEmpty();
            assertThat(v.bytes()).as("the data file is larger than a multipart part").isGreaterThan(8L << 20);
        }
    }

    @EachEngine
    void wrong_credentials_are_one_line_without_the_secret(TestClickHouse server) {
        fixture(server);
        String wrong = "not-the-secret-but-looks-like-one";
        try (BackupStore store = s3.stores().credentials(S3Server.ACCESS_KEY, wrong.toCharArray()).maxAttempts(1).build()
                .open(prefix(server, "creds"))) {
            assertThatThrownBy(() -> ClickHouseBackup.using(server.admin()).databases("s3_event_sink").build().backup(store, ""))
                    .isInstanceOf(ArboristException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain(wrong).doesNotContain(s3.secret()));
            assertThat(ClickHouseVerifier.builder().build().verify(store, "").problems()).singleElement().asString()
                    .doesNotContain(wrong).doesNotContain(s3.secret());
        }
    }

    @EachEngine
    void missing_bucket_is_one_line_naming_it(TestClickHouse server) {
        fixture(server);
        try (BackupStore store = s3.open("s3://no-such-bucket-ch/x")) {
            assertThatThrownBy(() -> ClickHouseBackup.using(server.admin()).databases("s3_event_sink").build().backup(store, ""))
                    .isInstanceOf(ArboristException.class).hasMessageContaining("no-such-bucket-ch")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    private static Process child(TestClickHouse server, String dest, String database, long pauseAt, List<String> jvm) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-Daws.disableEc2Metadata=true", "-cp", String.join(File.pathSeparator, System.getProperty("java.class.path"),
                System.getProperty("jdk.module.path", "")), S3BackupChild.class.getName(), server.url(), s3.endpoint().toString(), dest, database,
                String.valueOf(pauseAt)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(S3BackupChild.SECRET_VARIABLE, s3.secret());
        return pb.start();
    }
}
