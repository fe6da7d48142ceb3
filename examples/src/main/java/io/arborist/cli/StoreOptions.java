package io.arborist.cli;

import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import io.arborist.core.backup.store.Destination;
import java.net.URI;
import java.nio.file.Files;
import picocli.CommandLine.Option;

/**
 * How to reach an S3 destination ({@code s3://BUCKET/PREFIX}): the endpoint of an S3-compatible store and the region.
 * Credentials come from the AWS SDK's default chain (environment, profile, instance role), never from the command line.
 */
final class StoreOptions {
    @Option(names = "--endpoint", paramLabel = "URL", description = "An S3-compatible store (default: AWS_ENDPOINT_URL, else AWS); path-style addressing.")
    URI endpoint;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: AWS_REGION or the profile's).")
    String region;

    /** @return the stores, configured from the environment and these options */
    BackupStores stores() {
        BackupStores.Builder b = BackupStores.builder().environment(System.getenv());
        if (endpoint != null) {
            b.endpoint(endpoint);
        }
        if (region != null) {
            b.region(region);
        }
        return b.build();
    }

    /**
     * @param destination a directory or {@code s3://BUCKET/PREFIX}
     * @param mustExist whether a local directory must already exist (reading) or may be created (writing)
     * @return the open store
     */
    BackupStore open(String destination, boolean mustExist) {
        Destination d = Destination.parse(destination);
        if (mustExist && d instanceof Destination.LocalDirectory local && !Files.isDirectory(local.directory())) {
            throw new IllegalArgumentException("backup directory " + local.directory() + " does not exist");
        }
        return stores().open(d);
    }
}
