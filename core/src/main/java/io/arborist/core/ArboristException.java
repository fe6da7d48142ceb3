package io.arborist.core;

import java.util.Objects;

/**
 * The root of every exception Arborist throws on purpose. Unchecked, with a {@link ErrorKind} so callers can react
 * without parsing messages. Messages name the offending value and what to do, and never contain secrets.
 *
 * <p>Programming errors (a {@code null} argument, an out-of-range number) stay {@link NullPointerException} or
 * {@link IllegalArgumentException} at the boundary.
 *
 * @since 0.1
 */
public class ArboristException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure this is. */
    private final ErrorKind kind;

    /**
     * Creates an exception.
     *
     * @param kind what went wrong
     * @param message a one-line headline, optionally followed by details
     */
    public ArboristException(ErrorKind kind, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * Creates an exception with its cause attached.
     *
     * @param kind what went wrong
     * @param message a one-line headline, optionally followed by details
     * @param cause the underlying failure
     */
    public ArboristException(ErrorKind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** @return what went wrong */
    public ErrorKind kind() {
        return kind;
    }
}
