package io.arborist.core.aspects;

import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tutor-contrib-aspects version such as {@code 2.5.3}.
 *
 * @param major major version (the Aspects line)
 * @param minor minor version
 * @param patch patch version
 * @since 0.1
 */
public record AspectsVersion(int major, int minor, int patch) implements Comparable<AspectsVersion> {
    private static final Pattern SYNTAX = Pattern.compile("v?(\\d{1,4})(?:\\.(\\d{1,4}))?(?:\\.(\\d{1,4}))?(?:\\.x)?");
    private static final Pattern MINOR_LINE = Pattern.compile("v?\\d{1,4}\\.\\d{1,4}\\.x");
    private static final Comparator<AspectsVersion> ORDER = Comparator.comparingInt(AspectsVersion::major)
            .thenComparingInt(AspectsVersion::minor).thenComparingInt(AspectsVersion::patch);

    /**
     * Validates the numbers.
     *
     * @param major major version (the Aspects line)
     * @param minor minor version
     * @param patch patch version
     */
    public AspectsVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("Aspects version numbers must be >= 0, got " + major + "." + minor + "." + patch);
        }
    }

    /**
     * Parses {@code 2.5.3}, {@code v2.5.3}, {@code 2.5}, {@code 2} or {@code 2.x}; missing parts are zero.
     *
     * @param text the version text
     * @return the version
     * @throws IllegalArgumentException naming the text when it is not a version
     */
    public static AspectsVersion parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not an Aspects version: '" + text + "' (expected e.g. 2.5.3 or 3.x)");
        }
        return new AspectsVersion(Integer.parseInt(m.group(1)), part(m.group(2)), part(m.group(3)));
    }

    /**
     * @param text the version text
     * @return whether the text names only a line ({@code 2}, {@code 2.x}) rather than an exact version
     */
    public static boolean namesLineOnly(String text) {
        String t = Objects.requireNonNull(text, "text").strip();
        return t.matches("v?\\d{1,4}(\\.x)?");
    }

    /**
     * @param text the version text
     * @return whether the text names a minor line only ({@code 2.5.x})
     */
    public static boolean namesMinorLineOnly(String text) {
        return MINOR_LINE.matcher(Objects.requireNonNull(text, "text").strip()).matches();
    }

    private static int part(String group) {
        return group == null ? 0 : Integer.parseInt(group);
    }

    @Override
    public int compareTo(AspectsVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
