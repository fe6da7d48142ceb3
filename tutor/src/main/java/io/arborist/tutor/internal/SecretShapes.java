package io.arborist.tutor.internal;

import io.arborist.core.spi.Secrets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The second net of redaction: whatever the value, masks it where text has the shape of a secret setting, so values
 * nobody told the runner about (a password a plugin generated, an environment dump) are hidden too. The shapes, where
 * the key {@linkplain Secrets#isSensitiveKey(String) looks secret} (contains PASSWORD, SECRET, TOKEN or KEY, any case):
 * <ul>
 *   <li>{@code KEY=value} (not {@code KEY==value}, a version pin): the value runs to the next white space, or is a
 *       quoted string;</li>
 *   <li>{@code KEY: value} (YAML, log lines; at least one blank after the colon): the value runs to the end of the
 *       line, or is a quoted string or a bracketed flow value; keys ending in {@code Error}, {@code Exception} or
 *       {@code Warning} are Python exception names, not settings ({@code KeyError: 'LMS_HOST'}), and are left alone;</li>
 *   <li>{@code "key": value} and {@code 'key': value} (JSON, Python reprs): a quoted string, a bracketed value, or a
 *       bare word such as a number.</li>
 * </ul>
 * A value that is only a placeholder ({@code ${TUTOR_CONFIG:KEY}}, {@code ${TUTOR_ROOT}}) or already the mask is
 * left as it is. Stateless and thread-safe; linear in the length of the text.
 */
public final class SecretShapes {
    /** Group 1: a double-quoted key; 2: a single-quoted key; 3: a bare key, 4: its separator. */
    private static final Pattern KEY = Pattern.compile("(?<![\\w.-])(?:\"([^\"\\r\\n]{1,100})\"[ \\t]*:[ \\t]*"
            + "|'([^'\\r\\n]{1,100})'[ \\t]*:[ \\t]*|([\\w.-]{1,200})(=(?!=)|:[ \\t]+))");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{TUTOR_(ROOT|CONFIG:[A-Za-z0-9_]+)\\}");
    private static final Pattern EXCEPTION_NAME = Pattern.compile(".*[a-z](Error|Exception|Warning)");

    private SecretShapes() {
    }

    /**
     * @param text any text, one line or several
     * @return the text with the value of every secret-looking setting replaced by {@link Secrets#MASK}
     */
    public static String mask(String text) {
        Matcher m = KEY.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        while (from < text.length() && m.find(from)) {
            String key = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            boolean bare = m.group(3) != null;
            boolean colon = bare && m.group(4).charAt(0) == ':';
            if (!Secrets.isSensitiveKey(key) || colon && EXCEPTION_NAME.matcher(key).matches()) {
                from = m.end();
                continue;
            }
            int start = m.end();
            int[] value = value(text, start, bare && !colon, colon);
            from = Math.max(value[1], start + 1);
            String inner = text.substring(value[0], value[1]).strip();
            if (inner.isEmpty() || inner.equals(Secrets.MASK) || PLACEHOLDER.matcher(inner).matches()) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, value[0]).append(Secrets.MASK);
            copied = value[1];
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /**
     * @return the start and end of the characters to mask: inside quotes, the bracketed value, or a bare value
     */
    private static int[] value(String text, int start, boolean toBlank, boolean toEndOfLine) {
        if (start >= text.length()) {
            return new int[] {start, start};
        }
        char first = text.charAt(start);
        if (first == '"' || first == '\'') {
            int end = closingQuote(text, start);
            return end < 0 ? new int[] {start + 1, endOfLine(text, start)} : new int[] {start + 1, end};
        }
        if ((first == '{' || first == '[') && !toBlank) {
            return new int[] {start, closingBracket(text, start)};
        }
        int end = start;
        if (toEndOfLine) {
            end = endOfLine(text, start);
            while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            return new int[] {start, end};
        }
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))
                && (toBlank || ",}]".indexOf(text.charAt(end)) < 0)) {
            end++;
        }
        return new int[] {start, end};
    }

    /** @return the index of the quote closing the string that starts at {@code open}, or -1 on this line */
    private static int closingQuote(String text, int open) {
        char quote = text.charAt(open);
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            } else if (c == '\n' || c == '\r') {
                return -1;
            }
        }
        return -1;
    }

    /** @return the index just past the bracket closing the one at {@code open}, or the end of the line */
    private static int closingBracket(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                int end = closingQuote(text, i);
                if (end < 0) {
                    return endOfLine(text, i);
                }
                i = end;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            } else if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return text.length();
    }

    private static int endOfLine(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return text.length();
    }
}
