package io.arborist.mysql;

import io.arborist.core.testing.S3Server;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import java.net.URI;

/**
 * Backs up into an S3 prefix in a child JVM, so that a test can bound its heap or kill it: args URL DATABASE ENDPOINT
 * SECRET DESTINATION SLOW (SLOW: "slow" to pause between progress events).
 */
public final class BackupToS3Main {
    private BackupToS3Main() {
    }

    /** @param args url, database, endpoint, secret, s3://bucket/prefix, slow or fast */
    public static void main(String[] args) {
        System.setProperty("aws.disableEc2Metadata", "true");
        boolean slow = args[5].equals("slow");
        BackupStores stores = BackupStores.builder().endpoint(URI.create(args[2])).region("us-east-1")
                .credentials(S3Server.ACCESS_KEY, args[3].toCharArray()).build();
        try (BackupStore store = stores.open(args[4])) {
            MySqlArchive a = MySqlBackup.using(args[0], Credentials.of("root", new char[0])).databases(args[1]).parallelism(2)
                    .chunkRows(50_000).listener(p -> {
                        if (slow) {
                            try {
                                Thread.sleep(200);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }).build().backup(store);
            System.out.println("done " + a.rows() + " rows, heap max " + Runtime.getRuntime().maxMemory());
        }
    }
}
