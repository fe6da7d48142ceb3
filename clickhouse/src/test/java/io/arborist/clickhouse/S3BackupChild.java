package io.arborist.clickhouse;

import io.arborist.core.testing.S3Server;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import java.net.URI;

/**
 * Runs a backup to S3 in a child JVM (a small heap for the memory test); with a byte count it stops (sleeps forever)
 * once that many bytes were exported, for the kill test. Arguments: ClickHouse URL, S3 endpoint, destination, database,
 * bytes to pause at (0: run to the end). The S3 secret comes from {@link #SECRET_VARIABLE}.
 */
public final class S3BackupChild {
    /** The environment variable the child reads the secret from. */
    static final String SECRET_VARIABLE = "ARBORIST_TEST_S3_SECRET";

    private S3BackupChild() {
    }

    public static void main(String[] args) {
        long pauseAtBytes = Long.parseLong(args[4]);
        char[] secret = System.getenv(SECRET_VARIABLE).toCharArray();
        try (BackupStore store = BackupStores.builder().endpoint(URI.create(args[1])).region("us-east-1").credentials(S3Server.ACCESS_KEY, secret)
                .build().open(args[2])) {
            ClickHouseManifest m = ClickHouseBackup.using(ClickHouseEndpoint.of(args[0], Credentials.of("default", new char[0]))).databases(args[3])
                    .listener(p -> {
                        if (pauseAtBytes > 0 && p.operation().equals("backup") && p.bytesDone() >= pauseAtBytes) {
                            System.out.println("PAUSED " + p.bytesDone());
                            System.out.flush();
                            try {
                                Thread.sleep(Long.MAX_VALUE);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }).build().backup(store, "");
            System.out.println("FINISHED rows=" + m.rows() + " maxHeapMiB=" + (Runtime.getRuntime().maxMemory() >> 20));
        }
    }
}
