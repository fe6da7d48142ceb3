package io.arborist.core.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version specifier set such as {@code >=18.0.0,<19.0.0}, {@code ==21.0.8}, {@code ~=3.9} or
 * {@code ==2.*}: comma-joined clauses with {@code ==}, {@code !=}, {@code >=}, {@code <=}, {@code >}, {@code <},
 * {@code ~=} and {@code ===}. The empty specifier accepts every version.
 *
 * <pre>{@code
 * VersionSpecifier.parse(">=18,<19").contains("18.2.2");   // true
 * VersionSpecifier.parse(">= 3.11").contains("3.9");        // false
 * }</pre>
 *
 * <p>Pre-releases are compared in PEP 440 order but not excluded: the bundled data holds final releases only.
 *
 * @param text the normalized specifier: clauses without spaces, joined by commas (empty for "any version")
 * @since 0.1
 */
public record VersionSpecifier(String text) {
    private static final Pattern CLAUSE = Pattern.compile("(===|==|!=|~=|>=|<=|>|<)\\s*(\\S+)");

    /**
     * Validates every clause.
     *
     * @param text the normalized specifier: clauses without spaces, joined by commas (empty for "any version")
     */
    public VersionSpecifier {
        Objects.requireNonNull(text, "text");
        for (String clause : split(text)) {
            Matcher m = CLAUSE.matcher(clause);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a version specifier: '" + text + "' (expected e.g. >=18,<19)");
            }
            String version = m.group(2);
            boolean wildcard = version.endsWith(".*");
            if (wildcard && !(m.group(1).equals("==") || m.group(1).equals("!="))) {
                throw new IllegalArgumentException("'.*' only goes with == or !=, got '" + clause + "' in '" + text + "'");
            }
            String bare = wildcard ? version.substring(0, version.length() - 2) : version;
            if (!m.group(1).equals("===") && !Pep440Version.isValid(bare)) {
                throw new IllegalArgumentException("not a PEP 440 version: '" + bare + "' in '" + text + "'");
            }
            if (m.group(1).equals("~=") && Pep440Version.parse(bare).release().size() < 2) {
                throw new IllegalArgumentException("'~=' needs at least two version parts, got '" + clause + "'");
            }
        }
    }

    /**
     * Parses a specifier set; spaces around operators and commas are allowed.
     *
     * @param text e.g. {@code >= 3.9} or {@code >=21.0.0,<22.0.0}; empty or blank for "any version"
     * @return the specifier
     * @throws IllegalArgumentException naming the text when a clause is not PEP 440
     */
    public static VersionSpecifier parse(String text) {
        Objects.requireNonNull(text, "text");
        List<String> clauses = new ArrayList<>();
        for (String part : text.split(",")) {
            String clause = part.replaceAll("\\s+", "");
            if (!clause.isEmpty()) {
                clauses.add(clause);
            } else if (!text.isBlank()) {
                throw new IllegalArgumentException("empty clause in version specifier '" + text + "'");
            }
        }
        return new VersionSpecifier(String.join(",", clauses));
    }

    /** @return a specifier that accepts every version */
    public static VersionSpecifier any() {
        return new VersionSpecifier("");
    }

    /** @return whether this accepts every version */
    public boolean isAny() {
        return text.isEmpty();
    }

    /** @return the version of a single {@code ==V} clause without wildcard, if that is what this is */
    public Optional<String> pinned() {
        List<String> clauses = split(text);
        if (clauses.size() == 1 && clauses.get(0).startsWith("==") && !clauses.get(0).startsWith("===")
                && !clauses.get(0).endsWith(".*")) {
            return Optional.of(clauses.get(0).substring(2));
        }
        return Optional.empty();
    }

    /**
     * Tests a version against every clause.
     *
     * @param version a PEP 440 version, e.g. {@code 21.0.8} or {@code 3.9}
     * @return whether all clauses accept it
     * @throws IllegalArgumentException naming the version when it is not PEP 440
     */
    public boolean contains(String version) {
        Objects.requireNonNull(version, "version");
        Pep440Version v = Pep440Version.parse(version);
        for (String clause : split(text)) {
            Matcher m = CLAUSE.matcher(clause);
            if (!m.matches() || !accepts(m.group(1), m.group(2), v, version.strip())) {
                return false;
            }
        }
        return true;
    }

    private static boolean accepts(String op, String spec, Pep440Version v, String raw) {
        switch (op) {
            case "===":
                return raw.equalsIgnoreCase(spec);
            case "==":
                return spec.endsWith(".*") ? prefixMatch(spec, v) : equal(spec, v);
            case "!=":
                return spec.endsWith(".*") ? !prefixMatch(spec, v) : !equal(spec, v);
            case ">=":
                return v.public_().compareTo(Pep440Version.parse(spec)) >= 0;
            case "<=":
                return v.public_().compareTo(Pep440Version.parse(spec)) <= 0;
            case ">": {
                Pep440Version s = Pep440Version.parse(spec);
                if (v.public_().compareTo(s) <= 0) {
                    return false;
                }
                // > V excludes post-releases of V unless V is one.
                return s.isPostRelease() || !(v.isPostRelease() && sameRelease(v, s));
            }
            case "<": {
                Pep440Version s = Pep440Version.parse(spec);
                if (v.public_().compareTo(s) >= 0) {
                    return false;
                }
                // < V excludes pre-releases of V unless V is one.
                return s.isPreRelease() || !(v.isPreRelease() && sameRelease(v, s));
            }
            case "~=": {
                Pep440Version s = Pep440Version.parse(spec);
                List<Integer> release = s.release();
                StringBuilder prefix = new StringBuilder();
                for (int i = 0; i < release.size() - 1; i++) {
                    prefix.append(i == 0 ? "" : ".").append(release.get(i));
                }
                return v.public_().compareTo(s) >= 0 && prefixMatch(prefix + ".*", v);
            }
            default:
                return false;
        }
    }

    private static boolean sameRelease(Pep440Version a, Pep440Version b) {
        return a.epoch() == b.epoch() && trim(a.release()).equals(trim(b.release()));
    }

    private static List<Integer> trim(List<Integer> release) {
        List<Integer> out = new ArrayList<>(release);
        while (out.size() > 1 && out.get(out.size() - 1) == 0) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static boolean equal(String spec, Pep440Version v) {
        Pep440Version s = Pep440Version.parse(spec);
        return (s.hasLocal() ? v : v.public_()).compareTo(s) == 0;
    }

    private static boolean prefixMatch(String spec, Pep440Version v) {
        Pep440Version prefix = Pep440Version.parse(spec.substring(0, spec.length() - 2));
        if (prefix.epoch() != v.epoch()) {
            return false;
        }
        List<Integer> want = prefix.release();
        List<Integer> have = v.release();
        for (int i = 0; i < want.size(); i++) {
            int h = i < have.size() ? have.get(i) : 0;
            if (h != want.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}
