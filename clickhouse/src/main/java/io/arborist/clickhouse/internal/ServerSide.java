package io.arborist.clickhouse.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Runs a server-side {@code BACKUP} or {@code RESTORE} (ClickHouse 22.8+) with {@code ASYNC} and waits for it by
 * polling {@code system.backups}, so no HTTP request stays open for the hours a large copy takes and an interrupted
 * client can find the operation again by its id.
 */
public final class ServerSide {
    /** First ClickHouse with {@code BACKUP}/{@code RESTORE}. */
    public static final int MIN_MAJOR = 22;
    /** First ClickHouse with {@code BACKUP}/{@code RESTORE} (minor within {@link #MIN_MAJOR}). */
    public static final int MIN_MINOR = 8;
    private static final Set<String> DONE = Set.of("BACKUP_CREATED", "RESTORED");
    private static final Set<String> RUNNING = Set.of("CREATING_BACKUP", "MAKING_BACKUP", "RESTORING", "PREPARING_FILE_INFOS");

    private ServerSide() {
    }

    /**
     * What the server reports when an operation ended.
     *
     * @param id the operation id
     * @param files files written or read
     * @param bytes their size
     */
    public record Outcome(String id, long files, long bytes) {
    }

    /**
     * @param version a {@code version()} answer
     * @return whether the server has {@code BACKUP} and {@code RESTORE}
     */
    public static boolean supported(String version) {
        return Http.atLeast(version, MIN_MAJOR, MIN_MINOR);
    }

    /**
     * Starts a statement with {@code ASYNC} and waits for it.
     *
     * @param http the connection
     * @param statement {@code BACKUP … TO …} or {@code RESTORE … FROM …}, with its SETTINGS, without {@code ASYNC}
     * @param timeout longest wait
     * @param started receives the operation id once the server accepted it
     * @param progress receives the bytes so far, now and then
     * @return the outcome
     */
    public static Outcome run(Http http, String statement, Duration timeout, Consumer<String> started, LongConsumer progress) {
        List<JsonNode> r = http.rows(statement + " ASYNC");
        if (r.isEmpty() || r.get(0).path("id").asText().isEmpty()) {
            throw new ArboristException(http.kind(), "ClickHouse returned no operation id for: " + Http.shorten(statement));
        }
        String id = r.get(0).path("id").asText();
        started.accept(id);
        return await(http, id, timeout, progress);
    }

    /**
     * Waits for an operation started earlier (by this run or an interrupted one).
     *
     * @param http the connection
     * @param id the operation id
     * @param timeout longest wait
     * @param progress receives the bytes so far, now and then
     * @return the outcome
     * @throws ArboristException when the operation failed, was cancelled, is unknown to the server or ran too long
     */
    public static Outcome await(Http http, String id, Duration timeout, LongConsumer progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 20;
        while (true) {
            Optional<JsonNode> row = status(http, id);
            if (row.isEmpty()) {
                throw new ArboristException(http.kind(), "ClickHouse no longer knows the BACKUP/RESTORE operation " + id
                        + " (was the server restarted?); run the operation again");
            }
            String status = row.get().path("status").asText();
            long bytes = row.get().path("total_size").asLong();
            if (DONE.contains(status)) {
                progress.accept(bytes);
                return new Outcome(id, row.get().path("num_files").asLong(), bytes);
            }
            if (!RUNNING.contains(status)) {
                String error = row.get().path("error").asText().lines().findFirst().orElse("");
                throw new ArboristException(http.kind(), "ClickHouse " + (status.startsWith("BACKUP") ? "BACKUP" : "RESTORE") + " " + id + " ended "
                        + status + (error.isEmpty() ? "" : ": " + error));
            }
            progress.accept(bytes);
            if (System.nanoTime() > deadline) {
                throw new ArboristException(ErrorKind.TIMEOUT, "ClickHouse BACKUP/RESTORE " + id + " still " + status + " after " + timeout
                        + "; it keeps running on the server (see system.backups)");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArboristException(ErrorKind.INTERRUPTED, "interrupted while waiting for ClickHouse BACKUP/RESTORE " + id
                        + "; it keeps running on the server (see system.backups)", e);
            }
            pause = Math.min(pause * 2, 1000);
        }
    }

    /**
     * @param http the connection
     * @param id an operation id
     * @return its row of {@code system.backups} (status, error, num_files, total_size), if the server still has it
     */
    public static Optional<JsonNode> status(Http http, String id) {
        List<JsonNode> r = http.rows("SELECT status, error, num_files, total_size FROM system.backups WHERE id = " + Sql.literal(id));
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }
}
