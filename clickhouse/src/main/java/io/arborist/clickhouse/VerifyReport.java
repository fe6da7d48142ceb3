package io.arborist.clickhouse;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.util.List;
import java.util.Objects;

/**
 * The result of checking a backup directory without a server.
 *
 * @param directory what was checked
 * @param files data files checked
 * @param bytes bytes read
 * @param problems one line per problem; empty when the backup is intact
 * @since 0.1
 */
public record VerifyReport(String directory, int files, long bytes, List<String> problems) {
    /** Validates and copies. */
    public VerifyReport {
        Objects.requireNonNull(directory, "directory");
        problems = List.copyOf(problems);
    }

    /** @return whether no problem was found */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** @return this report when it is ok; throws {@link ErrorKind#VERIFICATION} otherwise */
    public VerifyReport orThrow() {
        return orThrow(ErrorKind.VERIFICATION);
    }

    /**
     * @param kind the error kind to throw with
     * @return this report when ok
     */
    public VerifyReport orThrow(ErrorKind kind) {
        if (!ok()) {
            throw new ArboristException(kind, "backup " + directory + " failed verification: " + problems.size() + " problem(s)\n"
                    + String.join("\n", problems.subList(0, Math.min(problems.size(), 20))));
        }
        return this;
    }
}
