package io.arborist.core.release;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version ({@code 1!2.0.3rc1.post2.dev3+local}) with PEP 440 ordering. Package-private: callers go through
 * {@link VersionSpecifier} and {@link PipRequirement}.
 */
final class Pep440Version implements Comparable<Pep440Version> {
    private static final Pattern SYNTAX = Pattern.compile(
            "v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)"
                    + "(?:[-_.]?(a|alpha|b|beta|rc|c|pre|preview)[-_.]?(\\d*))?"
                    + "(?:(?:-(\\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\\d*)))?"
                    + "(?:[-_.]?(dev)[-_.]?(\\d*))?"
                    + "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?");

    private final int epoch;
    private final int[] release;
    private final int preKind;
    private final int preNumber;
    private final int post;
    private final int dev;
    private final String local;
    private final String text;

    private Pep440Version(int epoch, int[] release, int preKind, int preNumber, int post, int dev, String local,
                          String text) {
        this.epoch = epoch;
        this.release = release;
        this.preKind = preKind;
        this.preNumber = preNumber;
        this.post = post;
        this.dev = dev;
        this.local = local;
        this.text = text;
    }

    static boolean isValid(String text) {
        return SYNTAX.matcher(text.strip().toLowerCase(Locale.ROOT)).matches();
    }

    static Pep440Version parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = SYNTAX.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PEP 440 version: '" + text + "' (expected e.g. 21.0.8)");
        }
        int epoch = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        int[] release = Arrays.stream(m.group(2).split("\\.")).mapToInt(Integer::parseInt).toArray();
        int preKind = 3;
        int preNumber = 0;
        if (m.group(3) != null) {
            String kind = m.group(3);
            preKind = kind.startsWith("a") ? 0 : kind.startsWith("b") ? 1 : 2;
            preNumber = m.group(4).isEmpty() ? 0 : Integer.parseInt(m.group(4));
        }
        int post = -1;
        if (m.group(5) != null) {
            post = Integer.parseInt(m.group(5));
        } else if (m.group(6) != null) {
            post = m.group(7).isEmpty() ? 0 : Integer.parseInt(m.group(7));
        }
        int dev = Integer.MAX_VALUE;
        if (m.group(8) != null) {
            dev = m.group(9).isEmpty() ? 0 : Integer.parseInt(m.group(9));
        }
        return new Pep440Version(epoch, release, preKind, preNumber, post, dev, m.group(10), text.strip());
    }

    /** The release part with trailing zeros removed (1.0.0 and 1 compare equal). */
    List<Integer> release() {
        List<Integer> out = new ArrayList<>();
        for (int r : release) {
            out.add(r);
        }
        return out;
    }

    int epoch() {
        return epoch;
    }

    boolean isPreRelease() {
        return preKind < 3 || dev != Integer.MAX_VALUE;
    }

    boolean hasLocal() {
        return local != null;
    }

    /** This version without its local label. */
    Pep440Version public_() {
        return local == null ? this : new Pep440Version(epoch, release, preKind, preNumber, post, dev, null, text);
    }

    /** Whether this version is a post-release. */
    boolean isPostRelease() {
        return post >= 0;
    }

    @Override
    public int compareTo(Pep440Version o) {
        int c = Integer.compare(epoch, o.epoch);
        if (c != 0) {
            return c;
        }
        int n = Math.max(release.length, o.release.length);
        for (int i = 0; i < n; i++) {
            int a = i < release.length ? release[i] : 0;
            int b = i < o.release.length ? o.release[i] : 0;
            if (a != b) {
                return Integer.compare(a, b);
            }
        }
        // A dev release of a final version sorts before its pre-releases.
        int pa = preKind == 3 && post < 0 && dev != Integer.MAX_VALUE ? -1 : preKind;
        int pb = o.preKind == 3 && o.post < 0 && o.dev != Integer.MAX_VALUE ? -1 : o.preKind;
        c = Integer.compare(pa, pb);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(preNumber, o.preNumber);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(post, o.post);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(dev, o.dev);
        if (c != 0) {
            return c;
        }
        if (local == null || o.local == null) {
            return local == null ? (o.local == null ? 0 : -1) : 1;
        }
        return local.compareTo(o.local);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pep440Version && compareTo((Pep440Version) o) == 0;
    }

    @Override
    public int hashCode() {
        int[] trimmed = release;
        int end = trimmed.length;
        while (end > 1 && trimmed[end - 1] == 0) {
            end--;
        }
        return Objects.hash(epoch, Arrays.hashCode(Arrays.copyOf(trimmed, end)), preKind, preNumber, post, dev, local);
    }

    @Override
    public String toString() {
        return text;
    }
}
