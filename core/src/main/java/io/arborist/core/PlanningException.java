package io.arborist.core;

/**
 * The requested upgrade cannot be planned: an unknown name, a downgrade, nothing to do, versions that cannot run
 * together, or a gap in the catalog. Nothing has been planned or changed when it is thrown.
 *
 * @since 0.1
 */
public class PlanningException extends ArboristException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param kind {@link ErrorKind#PLANNING}, {@link ErrorKind#UNKNOWN_NAME} or {@link ErrorKind#INCOMPATIBLE}
     * @param message what is impossible, with the values involved and what to do instead
     */
    public PlanningException(ErrorKind kind, String message) {
        super(kind, message);
    }
}
