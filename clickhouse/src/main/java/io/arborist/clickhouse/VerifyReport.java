package io.arborist.clickhouse;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.util.List;
import java.util.Objects;

/**
 * The result of checking a backup directory without a server.
 *
 * @param directory what was checked
 * @param files files checked against the manifest (data and schema files)
 * @param bytes bytes read
 * @param problems one line per problem (damage, an edited manifest or statement, a seal that does not match); empty when
 *     the backup is intact
 * @param authenticated whether a key was given and the archive's seal matches it
 * @param notes one line each: how the archive was (or was not) authenticated, objects a restore refuses unless skipped
 *     or allowed, an unfinished restore of this backup
 * @since 0.1
 */
public record VerifyReport(String directory, int files, long bytes, List<String> problems, boolean authenticated, List<String> notes) {
    /**
     * Validates and copies.
     *
     * @param directory what was checked
     * @param files data files checked
     * @param bytes bytes read
     * @param problems one line per problem (damage, an edited manifest or statement, a seal that does not match); empty when
     *     the backup is intact
     * @param authenticated whether a key was given and the archive's seal matches it
     * @param notes one line each: how the archive was (or was not) authenticated, objects a restore refuses unless skipped
     *     or allowed, an unfinished restore of this backup
     */
    public VerifyReport {
        Objects.requireNonNull(directory, "directory");
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
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
                    + String.join("\n", problems.subList(0, Math.min(problems.size(), 50)))
                    + (problems.size() > 50 ? "\n… and " + (problems.size() - 50) + " more" : ""));
        }
        return this;
    }
}
