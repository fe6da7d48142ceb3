package io.arborist.core;

/**
 * What went wrong, as a closed set a caller can switch on. Carried by every {@link ArboristException}.
 *
 * @since 0.1
 */
public enum ErrorKind {
    /** A catalog, a setting or an argument is malformed; fix the input and retry. */
    CONFIGURATION,
    /** A name (release, point release, Aspects version) is not in the catalog. */
    UNKNOWN_NAME,
    /** The requested upgrade cannot be planned (downgrade, nothing to do, a gap in the catalog). */
    PLANNING,
    /** The requested versions cannot run together (for example an Aspects line on a release it does not support). */
    INCOMPATIBLE,
    /** A backup could not be taken or is incomplete. */
    BACKUP,
    /** A restore failed or its verification found a difference. */
    RESTORE,
    /** An archive or a journal failed its integrity checks. */
    VERIFICATION,
    /** An external command exited with a failure status. */
    COMMAND_FAILED,
    /** An operation ran past its deadline. */
    TIMEOUT,
    /** The calling thread was interrupted; the interrupt flag has been restored. */
    INTERRUPTED,
    /** A journal cannot be read, written or does not match the plan. */
    JOURNAL,
    /** A server, package index or store could not be reached or answered with an error. */
    UNREACHABLE
}
