package io.arborist.cli;

import io.arborist.core.testing.S3Server;
import java.nio.file.Path;

/**
 * S3Proxy for CLI tests: a server with a bucket {@code backups}, its credentials and region handed to the CLI through
 * the AWS default chain's system properties (as an operator's environment would), and removed again when it stops.
 */
public final class CliS3 {
    private CliS3() {
    }

    /**
     * @param dir where the server keeps its buckets
     * @return the started server, its credentials set for the CLI
     * @throws Exception when it does not start
     */
    public static S3Server start(Path dir) throws Exception {
        S3Server s3 = S3Server.start(dir);
        s3.createBucket("backups");
        System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", s3.secret());
        System.setProperty("aws.region", "us-east-1");
        return s3;
    }

    /**
     * Stops the server and clears the credentials.
     *
     * @param s3 a server from {@link #start(Path)}
     * @throws Exception when it does not stop
     */
    public static void stop(S3Server s3) throws Exception {
        s3.close();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        System.clearProperty("aws.region");
    }
}
