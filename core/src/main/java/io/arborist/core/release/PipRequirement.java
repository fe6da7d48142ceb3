package io.arborist.core.release;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pip requirement: {@code name[extra,...] specifier}, a direct reference {@code name @ url}, with an optional
 * environment marker after {@code ;} (kept as text, not evaluated).
 *
 * <pre>{@code
 * PipRequirement r = PipRequirement.parse("tutor[full]==21.0.8");
 * r.name();          // "tutor"
 * r.extras();        // [full]
 * r.matches("21.0.8"); // true
 * }</pre>
 *
 * @param name the project name as written
 * @param extras the requested extras, lower case
 * @param specifier the version specifier (any version for a direct reference)
 * @param url the direct reference after {@code @}, if any
 * @param marker the environment marker after {@code ;}, if any
 * @since 0.1
 */
public record PipRequirement(String name, Set<String> extras, VersionSpecifier specifier, Optional<String> url,
                             Optional<String> marker) {
    private static final Pattern SYNTAX = Pattern.compile(
            "\\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\\s*(?:\\[([^\\]]*)\\])?\\s*"
                    + "(?:@\\s*(\\S+)|([^;@]*))\\s*(?:;\\s*(.*))?");

    /**
     * Validates and copies all parts.
     *
     * @param name the project name as written
     * @param extras the requested extras, lower case
     * @param specifier the version specifier (any version for a direct reference)
     * @param url the direct reference after {@code @}, if any
     * @param marker the environment marker after {@code ;}, if any
     */
    public PipRequirement {
        Objects.requireNonNull(name, "name");
        extras = Set.copyOf(new TreeSet<>(Objects.requireNonNull(extras, "extras")));
        Objects.requireNonNull(specifier, "specifier");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(marker, "marker");
        if (!name.matches("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")) {
            throw new IllegalArgumentException("not a Python project name: '" + name + "'");
        }
    }

    /**
     * Parses a requirement as pip reads it on a command line or in {@code install_requires}.
     *
     * @param text e.g. {@code tutor-contrib-aspects==2.4.0}, {@code tutor[full]>=21,<22}, {@code tutor@ git+https://...}
     * @return the requirement
     * @throws IllegalArgumentException naming the text when it is not a requirement
     */
    public static PipRequirement parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = SYNTAX.matcher(text);
        if (text.isBlank() || !m.matches()) {
            throw new IllegalArgumentException("not a pip requirement: '" + text + "' (expected e.g. tutor==21.0.8)");
        }
        Set<String> extras = new TreeSet<>();
        if (m.group(2) != null) {
            for (String extra : m.group(2).split(",")) {
                if (!extra.isBlank()) {
                    extras.add(extra.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        VersionSpecifier specifier;
        try {
            specifier = m.group(3) != null ? VersionSpecifier.any() : VersionSpecifier.parse(m.group(4));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a pip requirement: '" + text + "': " + e.getMessage(), e);
        }
        return new PipRequirement(m.group(1), extras, specifier, Optional.ofNullable(m.group(3)),
                Optional.ofNullable(m.group(5)).map(String::strip).filter(s -> !s.isEmpty()));
    }

    /** @return the PEP 503 normalized name: lower case, runs of {@code -_.} as one {@code -} */
    public String canonicalName() {
        return canonical(name);
    }

    static String canonical(String name) {
        return SEPARATORS.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("-");
    }

    private static final java.util.regex.Pattern SEPARATORS = java.util.regex.Pattern.compile("[-_.]+");

    /**
     * @param version a PEP 440 version
     * @return whether the specifier accepts it (a direct reference accepts any version)
     */
    public boolean matches(String version) {
        return specifier.contains(version);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name);
        if (!extras.isEmpty()) {
            b.append('[').append(String.join(",", new TreeSet<>(extras))).append(']');
        }
        url.ifPresentOrElse(u -> b.append(" @ ").append(u), () -> b.append(specifier.text()));
        marker.ifPresent(m -> b.append("; ").append(m));
        return b.toString();
    }
}
