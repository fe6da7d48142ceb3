package io.arborist.core.testing;

import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * A real S3-compatible server (S3Proxy with its file-system backend) on a free loopback port, in a temporary
 * directory: a bucket is a folder of {@link #basedir()}, an object a file in it. The one starter every module's S3
 * tests use, shipped in core's test jar.
 */
public final class S3Server implements AutoCloseable {
    static {
        // tests never reach EC2's metadata service, whatever the SDK would try
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    /** The access key ID the server accepts. */
    public static final String ACCESS_KEY = "arborist-test";
    private final String secret = "secret-" + UUID.randomUUID();
    private final Path basedir;
    private final S3Proxy proxy;

    private S3Server(Path basedir) throws Exception {
        this.basedir = basedir;
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", basedir.toString());
        p.setProperty("jclouds.identity", ACCESS_KEY);
        p.setProperty("jclouds.credential", secret);
        proxy = S3Proxy.builder()
                .blobStore(org.gaul.s3proxy.BlobStores.create("filesystem-nio2", p))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, secret)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: state " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    /**
     * @param dir where the buckets' folders go (created when missing)
     * @return a started server
     * @throws Exception when it does not start
     */
    public static S3Server start(Path dir) throws Exception {
        return new S3Server(Files.createDirectories(dir));
    }

    /** @return the server's URL */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** @return the secret key, random per server */
    public String secret() {
        return secret;
    }

    /** @return the folder holding one folder per bucket */
    public Path basedir() {
        return basedir;
    }

    /**
     * @param bucket a bucket
     * @return the folder holding its objects, one file each
     */
    public Path bucketDir(String bucket) {
        return basedir.resolve(bucket);
    }

    /**
     * @param name a bucket to create
     * @throws IOException when its folder cannot be made
     */
    public void createBucket(String name) throws IOException {
        Files.createDirectories(basedir.resolve(name));
    }

    /** @return settings that reach only this server: explicit endpoint, region and credentials */
    public BackupStores.Builder stores() {
        return BackupStores.builder().endpoint(endpoint()).region("us-east-1").credentials(ACCESS_KEY, secret.toCharArray())
                .maxAttempts(2);
    }

    /**
     * @param destination {@code s3://BUCKET/PREFIX}
     * @return a store there, through this server
     */
    public BackupStore open(String destination) {
        return stores().build().open(destination);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
