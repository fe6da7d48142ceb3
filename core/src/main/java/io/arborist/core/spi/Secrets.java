package io.arborist.core.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Values that must never appear in logs, results, exceptions or journals, and the redaction that replaces each of
 * them with {@link #MASK} in any text. Immutable and thread-safe; {@link #toString()} only says how many values it
 * holds.
 *
 * <pre>{@code
 * Secrets secrets = Secrets.of("s3cr3t");
 * secrets.redact("password=s3cr3t");   // "password=******"
 * }</pre>
 *
 * <p>Empty values are ignored (they would match everywhere). A value spanning several lines is also hidden line by
 * line, so line-oriented output cannot leak it piecewise.
 *
 * @since 0.1
 */
public final class Secrets {
    /** What every secret value is replaced with. */
    public static final String MASK = "******";

    /** No secrets: {@link #redact(String)} returns its argument. */
    public static final Secrets NONE = new Secrets(List.of());

    private static final List<String> SENSITIVE_WORDS = List.of("PASSWORD", "SECRET", "TOKEN", "KEY");
    private static final Set<String> LONG_SETTING_OPTIONS = Set.of("--set", "--append", "--remove", "--build-arg");
    private static final Set<String> SHORT_SETTING_OPTIONS = Set.of("-s", "-a", "-A");
    private static final Pattern ONLY_PLACEHOLDER = Pattern.compile("\\$\\{TUTOR_(ROOT|CONFIG:[A-Za-z0-9_]+)\\}");

    /** Distinct, non-empty, longest first so that a value containing another is hidden whole. */
    private final List<String> values;

    private Secrets(List<String> values) {
        this.values = values;
    }

    /**
     * @param values the secret values; empty strings are ignored
     * @return the secrets
     */
    public static Secrets of(String... values) {
        return of(Arrays.asList(Objects.requireNonNull(values, "values")));
    }

    /**
     * @param values the secret values; empty strings are ignored
     * @return the secrets
     */
    public static Secrets of(Collection<String> values) {
        Objects.requireNonNull(values, "values");
        Set<String> distinct = new LinkedHashSet<>();
        for (String value : values) {
            Objects.requireNonNull(value, "a secret value is null");
            addWithLines(distinct, value);
        }
        List<String> sorted = new ArrayList<>(distinct);
        sorted.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        return sorted.isEmpty() ? NONE : new Secrets(List.copyOf(sorted));
    }

    private static void addWithLines(Set<String> into, String value) {
        if (value.isEmpty()) {
            return;
        }
        into.add(value);
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            for (String line : value.split("\r?\n|\r")) {
                if (!line.isBlank()) {
                    into.add(line);
                }
            }
        }
    }

    /**
     * Whether a Tutor setting holds a secret: its name contains {@code PASSWORD}, {@code SECRET}, {@code TOKEN} or
     * {@code KEY}, in any case.
     *
     * @param key a setting name such as {@code MYSQL_ROOT_PASSWORD}
     * @return whether its value must be hidden
     */
    public static boolean isSensitiveKey(String key) {
        String upper = Objects.requireNonNull(key, "key").toUpperCase(Locale.ROOT);
        return SENSITIVE_WORDS.stream().anyMatch(upper::contains);
    }

    /**
     * Finds the values of sensitive settings passed as {@code KEY=VALUE} to {@code --set}, {@code --append},
     * {@code --remove}, {@code --build-arg} or their short forms {@code -s}, {@code -a}, {@code -A} (separate or
     * attached, as in {@code --set=KEY=VALUE}), where {@link #isSensitiveKey(String) the key is sensitive}. A value
     * that is only a placeholder such as {@code ${TUTOR_CONFIG:KEY}} is not itself secret and is left alone.
     *
     * @param argv a command's arguments
     * @return the secret values found
     */
    public static Secrets inSettings(List<String> argv) {
        Objects.requireNonNull(argv, "argv");
        List<String> found = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            String setting = null;
            if ((LONG_SETTING_OPTIONS.contains(arg) || SHORT_SETTING_OPTIONS.contains(arg)) && i + 1 < argv.size()) {
                setting = argv.get(++i);
            } else if (arg.startsWith("--") && arg.indexOf('=') > 0
                    && LONG_SETTING_OPTIONS.contains(arg.substring(0, arg.indexOf('=')))) {
                setting = arg.substring(arg.indexOf('=') + 1);
            } else if (arg.length() > 2 && SHORT_SETTING_OPTIONS.contains(arg.substring(0, 2))) {
                setting = arg.substring(2);
            }
            int eq = setting == null ? -1 : setting.indexOf('=');
            if (eq > 0 && isSensitiveKey(setting.substring(0, eq))) {
                String value = setting.substring(eq + 1);
                if (!ONLY_PLACEHOLDER.matcher(value).matches()) {
                    found.add(value);
                }
            }
        }
        return of(found);
    }

    /**
     * @param other more secrets
     * @return the secrets of both
     */
    public Secrets plus(Secrets other) {
        Objects.requireNonNull(other, "other");
        if (other.values.isEmpty()) {
            return this;
        }
        if (values.isEmpty()) {
            return other;
        }
        List<String> all = new ArrayList<>(values);
        all.addAll(other.values);
        return of(all);
    }

    /** @return whether there is nothing to hide */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** @return how many distinct values are hidden (lines of multi-line values count separately) */
    public int size() {
        return values.size();
    }

    /** @return the length of the longest secret value, 0 when there are none */
    public int longestLength() {
        return values.isEmpty() ? 0 : values.get(0).length();
    }

    /**
     * @param text any text
     * @return the text with every occurrence of every secret value replaced by {@link #MASK}
     */
    public String redact(String text) {
        Objects.requireNonNull(text, "text");
        String out = text;
        for (String value : values) {
            if (out.contains(value)) {
                out = out.replace(value, MASK);
            }
        }
        return out;
    }

    /**
     * Redacts the beginning of a text that is being cut, for example an over-long output line: keeps the first
     * {@code length} characters, extended to the end of any secret that straddles that position so no part of a
     * secret is left visible, and redacts them.
     *
     * @param text any text
     * @param length how many characters to keep at least; not negative
     * @return the redacted beginning; the whole text redacted if it is not longer than {@code length}
     */
    public String redactHead(String text, int length) {
        Objects.requireNonNull(text, "text");
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, got " + length);
        }
        if (text.length() <= length) {
            return redact(text);
        }
        int end = length;
        boolean extended = true;
        while (extended) {
            extended = false;
            for (String value : values) {
                int from = Math.max(0, end - value.length() + 1);
                for (int at = text.indexOf(value, from); at >= 0 && at < end; at = text.indexOf(value, at + 1)) {
                    if (at + value.length() > end) {
                        end = at + value.length();
                        extended = true;
                    }
                }
            }
        }
        return redact(text.substring(0, end));
    }

    /**
     * @param texts any texts, such as an argv list
     * @return an immutable copy with each text {@link #redact(String) redacted}
     */
    public List<String> redact(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        return texts.stream().map(this::redact).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secrets other && Set.copyOf(values).equals(Set.copyOf(other.values));
    }

    @Override
    public int hashCode() {
        return Set.copyOf(values).hashCode();
    }

    /** @return {@code Secrets[n values]}: never the values */
    @Override
    public String toString() {
        return "Secrets[" + values.size() + (values.size() == 1 ? " value]" : " values]");
    }
}
