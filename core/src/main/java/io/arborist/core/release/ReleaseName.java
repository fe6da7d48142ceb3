package io.arborist.core.release;

import java.util.Locale;
import java.util.Objects;

/**
 * The codename of an Open edX named release, always lower case ({@code koa}, {@code ulmo}). Order comes from the
 * catalog, never from the alphabet.
 *
 * @param value the codename, lower-case ASCII letters only
 * @since 0.1
 */
public record ReleaseName(String value) implements Comparable<ReleaseName> {
    /**
     * Validates the codename.
     *
     * @param value the codename, lower-case ASCII letters only
     */
    public ReleaseName {
        Objects.requireNonNull(value, "value");
        if (!value.matches("[a-z]+")) {
            throw new IllegalArgumentException("release name must be lower-case letters, got '" + value + "'");
        }
    }

    /**
     * Normalises what a user typed ({@code " Koa "} becomes {@code koa}).
     *
     * @param raw a codename in any case, with or without surrounding blanks
     * @return the release name
     */
    public static ReleaseName of(String raw) {
        return new ReleaseName(Objects.requireNonNull(raw, "raw").strip().toLowerCase(Locale.ROOT));
    }

    /** @return the codename with an upper-case first letter, as release notes write it ({@code Koa}) */
    public String displayName() {
        return Character.toUpperCase(value.charAt(0)) + value.substring(1);
    }

    /** Alphabetical order; use {@link Release#ordinal()} for release order. */
    @Override
    public int compareTo(ReleaseName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
