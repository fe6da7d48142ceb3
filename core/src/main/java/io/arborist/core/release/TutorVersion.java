package io.arborist.core.release;

import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Tutor version such as {@code 21.0.8}. Tutor's major number is the ordinal of the release's first letter from
 * Juniper ({@code 10}) on; Ironwood ran on Tutor 3.
 *
 * @param major major version
 * @param minor minor version
 * @param patch patch version
 * @since 0.1
 */
public record TutorVersion(int major, int minor, int patch) implements Comparable<TutorVersion> {
    private static final Pattern SYNTAX = Pattern.compile("v?(\\d{1,4})(?:\\.(\\d{1,4}))?(?:\\.(\\d{1,4}))?");
    private static final Comparator<TutorVersion> ORDER = Comparator.comparingInt(TutorVersion::major)
            .thenComparingInt(TutorVersion::minor).thenComparingInt(TutorVersion::patch);

    /**
     * Validates the numbers.
     *
     * @param major major version
     * @param minor minor version
     * @param patch patch version
     */
    public TutorVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("Tutor version numbers must be >= 0, got " + major + "." + minor + "." + patch);
        }
    }

    /**
     * Parses {@code 12.2.0}, {@code v12.2.0}, {@code 12.2} or {@code 12}; missing parts are zero.
     *
     * @param text the version text
     * @return the version
     * @throws IllegalArgumentException naming the text when it is not a version
     */
    public static TutorVersion parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Tutor version: '" + text + "' (expected e.g. 21.0.8)");
        }
        return new TutorVersion(Integer.parseInt(m.group(1)), part(m.group(2)), part(m.group(3)));
    }

    /**
     * @param text text to test
     * @return whether {@link #parse(String)} would accept it
     */
    public static boolean looksLikeVersion(String text) {
        return SYNTAX.matcher(Objects.requireNonNull(text, "text").strip()).matches();
    }

    private static int part(String group) {
        return group == null ? 0 : Integer.parseInt(group);
    }

    @Override
    public int compareTo(TutorVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
