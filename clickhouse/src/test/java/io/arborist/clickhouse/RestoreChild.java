package io.arborist.clickhouse;

import io.arborist.core.backup.Credentials;
import java.nio.file.Path;

/** Runs a restore in a child JVM and stops (sleeps forever) in the middle of a file's INSERT, for the kill test. */
public final class RestoreChild {
    private RestoreChild() {
    }

    public static void main(String[] args) {
        long pauseAtBytes = Long.parseLong(args[2]);
        ClickHouseRestore.using(ClickHouseEndpoint.of(args[0], Credentials.of("default", new char[0]))).rename("kill_src", "kill_dst")
                .listener(p -> {
                    if (p.operation().equals("restore") && p.bytesDone() >= pauseAtBytes) {
                        System.out.println("PAUSED " + p.bytesDone());
                        System.out.flush();
                        try {
                            Thread.sleep(Long.MAX_VALUE);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).build().restore(Path.of(args[1]));
        System.out.println("FINISHED");
    }
}
