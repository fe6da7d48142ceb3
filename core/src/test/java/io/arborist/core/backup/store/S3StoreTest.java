package io.arborist.core.backup.store;

import io.arborist.core.testing.S3Server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract and S3's own failures, against S3Proxy on loopback. */
class S3StoreTest extends StoreContract {
    @TempDir
    static Path serverDir;
    static S3Server server;
    private int buckets;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start(serverDir.resolve("s3"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    BackupStore store() throws IOException {
        String bucket = "bucket-" + ++buckets;
        server.createBucket(bucket);
        return server.stores().partSize(5 * 1024 * 1024).build().open("s3://" + bucket + "/backups/prod");
    }

    @Override
    Path fileOf(BackupStore store, String name) {
        Destination.S3Location at = (Destination.S3Location) store.destination();
        return server.basedir().resolve(at.bucket()).resolve(at.prefix() + name);
    }

    @Test
    void wrongCredentialsAreOneLineThatNeverEchoesTheSecret() throws Exception {
        server.createBucket("creds");
        char[] wrong = "not-the-secret-but-secret-looking".toCharArray();
        try (BackupStore store = BackupStores.builder().endpoint(server.endpoint()).region("us-east-1")
                .credentials(S3Server.ACCESS_KEY, wrong).maxAttempts(1).build().open("s3://creds/x")) {
            assertThatThrownBy(() -> store.list(""))
                    .isInstanceOfSatisfying(ArboristException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNREACHABLE))
                    .hasMessageContaining("access denied").hasMessageContaining("check the credentials")
                    .hasMessageNotContaining("not-the-secret").hasMessageNotContaining(server.secret())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThatThrownBy(() -> ArchiveWriter.into(store, "a").start()).hasMessageContaining("access denied");
        }
    }

    @Test
    void aMissingBucketIsNamed() {
        try (BackupStore store = server.stores().build().open("s3://no-such-bucket/prefix")) {
            assertThatThrownBy(() -> ArchiveWriter.into(store, "a").start())
                    .isInstanceOfSatisfying(ArboristException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNREACHABLE))
                    .hasMessageContaining("bucket 'no-such-bucket' does not exist").hasMessageContaining("127.0.0.1");
            assertThatThrownBy(() -> ArchiveReader.open(store, "a", java.util.Optional.empty()))
                    .hasMessageContaining("bucket 'no-such-bucket' does not exist");
        }
    }

    @Test
    void anUnreachableEndpointIsOneLine() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (BackupStore store = BackupStores.builder().endpoint(URI.create("http://127.0.0.1:" + port)).region("us-east-1")
                .credentials("a", "b".toCharArray()).maxAttempts(2).build().open("s3://bucket/p")) {
            assertThatThrownBy(() -> store.list("")).hasMessageContaining("cannot be reached").hasMessageContaining("127.0.0.1:" + port);
        }
    }

    @Test
    void aNetworkCutMidUploadAbortsAndNothingIsStored(@TempDir Path dir) throws Exception {
        S3Server own = S3Server.start(dir);
        own.createBucket("cut");
        try (BackupStore store = own.stores().partSize(5 * 1024 * 1024).maxAttempts(2).timeout(Duration.ofSeconds(5)).build()
                .open("s3://cut/p")) {
            StoreOutputStream out = store.create("big.zst");
            out.write(random(11 * 1024 * 1024, 21));   // two parts sent
            own.close();                                // the store goes away mid-upload
            assertThatThrownBy(() -> {
                out.write(random(6 * 1024 * 1024, 22));
                out.close();
            }).isInstanceOf(IOException.class).hasMessageContaining("s3://cut/p/big.zst")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            out.abort();
        }
        assertThat(dir.resolve("cut/p/big.zst")).doesNotExist();
    }

    @Test
    void abortedUploadsLeaveNoObjectAndKilledOnesAreLeftoversOnly() throws Exception {
        server.createBucket("leftovers");
        try (BackupStore store = server.stores().partSize(5 * 1024 * 1024).build().open("s3://leftovers/p")) {
            StoreOutputStream killed = store.create("a/killed.zst");
            killed.write(random(6 * 1024 * 1024, 31));   // one part uploaded, never completed
            StoreOutputStream aborted = store.create("a/aborted.zst");
            aborted.write(random(6 * 1024 * 1024, 32));
            aborted.abort();
            assertThat(store.list("")).isEmpty();
            List<StoredObject> left = ((Leftovers) store).leftovers("");
            assertThat(left).extracting(StoredObject::name).containsExactly("a/killed.zst");
            ((Leftovers) store).discard(left.get(0));
            assertThat(((Leftovers) store).leftovers("")).isEmpty();
            killed.abort();
        }
    }

    @Test
    void replacingAPartialArchiveAbortsItsUnfinishedUploadsAndNoOneElses() throws Exception {
        server.createBucket("replace");
        try (BackupStore store = server.stores().partSize(5 * 1024 * 1024).build().open("s3://replace/run")) {
            // a writer killed in the middle of a part upload: its marker is stored, its data file is an open upload
            ArchiveWriter killed = ArchiveWriter.into(store, "mysql").start();
            StoreOutputStream half = killed.create("data/t.zst");
            half.write(random(6 * 1024 * 1024, 41));
            StoreOutputStream sibling = ArchiveWriter.into(store, "mysql-2").start().create("data/t.zst");
            sibling.write(random(6 * 1024 * 1024, 42));
            assertThat(((Leftovers) store).leftovers("")).extracting(StoredObject::name)
                    .containsExactlyInAnyOrder("mysql/data/t.zst", "mysql-2/data/t.zst");

            ArchiveWriter again = ArchiveWriter.into(store, "mysql").replacePartial().start();

            assertThat(((Leftovers) store).leftovers("")).extracting(StoredObject::name).containsExactly("mysql-2/data/t.zst");
            assertThat(store.list("mysql")).extracting(StoredObject::name).containsExactly("mysql/" + ArchiveWriter.MARKER);
            again.discard();
            sibling.abort();
        }
    }

    @Test
    void aLargeStreamUploadsAndReadsBackUnder256MiBOfHeap() throws Exception {
        server.createBucket("large");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-Daws.disableEc2Metadata=true", "-cp",
                String.join(File.pathSeparator, System.getProperty("java.class.path"), System.getProperty("jdk.module.path", ""),
                        Path.of("target", "classes").toAbsolutePath().toString()),
                LargeUploadMain.class.getName(), server.endpoint().toString(), "s3://large/big", String.valueOf(384))
                .redirectErrorStream(true);
        pb.environment().put("ARBORIST_TEST_S3_SECRET", server.secret());
        Process child = pb.start();
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("uploaded 402653184 bytes").contains("read back 402653184 bytes, digest matches");
        assertThat(Files.size(server.basedir().resolve("large/big/data.bin"))).isEqualTo(384L * 1024 * 1024);
    }

    @Test
    void listsAndPrunesArchivesAndUnfinishedUploadsOnS3() throws Exception {
        server.createBucket("catalog");
        try (BackupStore store = server.stores().partSize(5 * 1024 * 1024).build().open("s3://catalog/site")) {
            ArchiveWriter done = ArchiveWriter.into(store, "run/01/mysql").start();
            put(done, "t.zst", random(1000, 41));
            done.commit(new byte[] {'{', '}'});
            ArchiveWriter killed = ArchiveWriter.into(store, "run/02/mysql").encryptedWith(key("k", 42)).start();
            StoreOutputStream half = killed.create("big.zst");
            half.write(random(6 * 1024 * 1024, 43));   // one part uploaded, then the process "dies"

            BackupCatalog catalog = BackupCatalog.builder(store).build();
            List<ArchiveSummary> all = catalog.list();
            assertThat(all).extracting(ArchiveSummary::name, ArchiveSummary::complete, ArchiveSummary::encrypted)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("run/01/mysql", true, false),
                            org.assertj.core.groups.Tuple.tuple("run/02/mysql", false, true));
            assertThat(all.stream().filter(ArchiveSummary::complete).findFirst().orElseThrow().location().toString())
                    .isEqualTo("s3://catalog/site/run/01/mysql/");

            PruneResult pruned = catalog.prune(new PruneRule(java.util.Optional.empty(), java.util.OptionalInt.empty(), true, false));
            assertThat(pruned.removed()).extracting(ArchiveSummary::name).containsExactly("run/02/mysql");
            assertThat(((Leftovers) store).leftovers("")).isEmpty();
            assertThat(catalog.list()).extracting(ArchiveSummary::name).containsExactly("run/01/mysql");
            half.abort();
        }
    }
}
