package io.arborist.mysql;

import io.arborist.core.backup.Credentials;
import java.nio.file.Path;

/** Runs a slow restore in a child JVM so a test can kill it: args URL DIR TARGET_DB. */
public final class RestoreMain {
    private RestoreMain() {
    }

    /** @param args url, archive directory, source database, target database */
    public static void main(String[] args) {
        MySqlRestore.using(args[0], Credentials.of("root", new char[0])).rename(args[2], args[3]).parallelism(1)
                .listener(p -> {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })
                .build().restore(Path.of(args[1]));
    }
}
