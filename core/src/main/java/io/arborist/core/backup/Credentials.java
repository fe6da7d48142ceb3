package io.arborist.core.backup;

import java.util.Arrays;
import java.util.Objects;

/**
 * A database user and password, as the MySQL and ClickHouse adapters take them. The password is a {@code char[]}
 * copied in and cleared by {@link #close()}: an adapter copies it when its builder is built, so close the credentials
 * (try-with-resources) as soon as the service is built. {@link #toString()} never shows the password.
 *
 * <pre>{@code
 * try (Credentials c = Credentials.of("root", passwordChars)) {
 *     restore = MySqlRestore.using(url, c).build();
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one owner uses and closes it.
 *
 * @since 0.3
 */
public final class Credentials implements AutoCloseable {
    private final String user;
    private final char[] password;
    private boolean closed;

    private Credentials(String user, char[] password) {
        this.user = user;
        this.password = password;
    }

    /**
     * @param user the user name, not blank
     * @param password the password, possibly empty (copied; the caller may clear its array)
     * @return the credentials
     */
    public static Credentials of(String user, char[] password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isBlank()) {
            throw new IllegalArgumentException("the database user must not be blank");
        }
        if (user.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("the database user must not hold control characters");
        }
        return new Credentials(user, password.clone());
    }

    /**
     * @param user the user name
     * @return credentials with an empty password
     */
    public static Credentials withoutPassword(String user) {
        return of(user, new char[0]);
    }

    /** @return the user name */
    public String user() {
        return user;
    }

    /**
     * @return a copy of the password; the caller clears it after use
     * @throws IllegalStateException after {@link #close()}
     */
    public char[] password() {
        checkOpen();
        return password.clone();
    }

    /** @return whether the password is empty */
    public boolean hasPassword() {
        checkOpen();
        return password.length > 0;
    }

    /**
     * @return an independent copy (closing one does not clear the other)
     * @throws IllegalStateException after {@link #close()}
     */
    public Credentials copy() {
        checkOpen();
        return new Credentials(user, password.clone());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the credentials of '" + user + "' were closed (their password cleared); pass them before closing");
        }
    }

    /** Clears the password. Idempotent. */
    @Override
    public void close() {
        Arrays.fill(password, '\0');
        closed = true;
    }

    /** @return the user, and whether there is a password; never the password */
    @Override
    public String toString() {
        return user + (closed ? " (closed)" : password.length > 0 ? " (password ******)" : " (no password)");
    }
}
