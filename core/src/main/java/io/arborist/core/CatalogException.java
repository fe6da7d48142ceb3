package io.arborist.core;

/**
 * A release catalog is malformed. The message names the source (file or stream name), the entry and the field.
 * Always of kind {@link ErrorKind#CONFIGURATION}.
 *
 * @since 0.1
 */
public class CatalogException extends ArboristException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message the source, entry, field and what is wrong with it
     * @param cause the parse failure, if any (may be {@code null})
     */
    public CatalogException(String message, Throwable cause) {
        super(ErrorKind.CONFIGURATION, message, cause);
    }
}
