package io.arborist.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Quoting of argv lists for display and for POSIX shell scripts, and human durations. */
public final class Shell {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{TUTOR_ROOT\\}|\\$\\{TUTOR_CONFIG:([A-Z0-9_]+)\\}");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private Shell() {
    }

    /**
     * Renders argv as one shell command a person can paste: placeholders become {@code $(tutor config printroot)}
     * and {@code $(tutor config printvalue KEY)}.
     *
     * @param argv arguments
     * @return the command line
     */
    public static String display(List<String> argv) {
        return argv.stream().map(a -> quote(a, "$(tutor config printroot)", "$(tutor config printvalue %s)"))
                .collect(Collectors.joining(" "));
    }

    /**
     * Renders argv for the generated script: placeholders become {@code $TUTOR_ROOT} and {@code $(cfg KEY)}.
     *
     * @param argv arguments
     * @return the command line
     */
    public static String script(List<String> argv) {
        return argv.stream().map(a -> quote(a, "${TUTOR_ROOT}", "$(cfg %s)")).collect(Collectors.joining(" "));
    }

    /**
     * Joins argv into one POSIX shell command string (for commands that take one string and run it with {@code sh -c}).
     *
     * @param argv arguments, without placeholders: a value looked up at run time must never be spliced into shell text
     * @return the command string
     * @throws IllegalArgumentException when an argument holds a placeholder
     */
    public static String join(List<String> argv) {
        return argv.stream().map(a -> {
            if (PLACEHOLDER.matcher(a).find()) {
                throw new IllegalArgumentException("a placeholder cannot be joined into a shell string: " + a);
            }
            return SAFE.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'";
        }).collect(Collectors.joining(" "));
    }

    /**
     * @param argv arguments
     * @return whether any argument holds a placeholder
     */
    public static boolean usesTutorRoot(List<String> argv) {
        return argv.stream().anyMatch(a -> a.contains("${TUTOR_ROOT}"));
    }

    /**
     * @param argv arguments
     * @return the command with placeholders shown as {@code <TUTOR_ROOT>} and {@code <KEY>}: nothing is looked up
     */
    public static String preview(List<String> argv) {
        return argv.stream().map(a -> {
            String shown = PLACEHOLDER.matcher(a).replaceAll(m -> Matcher.quoteReplacement(
                    m.group(1) == null ? "<TUTOR_ROOT>" : "<" + m.group(1) + ">"));
            return SAFE.matcher(shown).matches() ? shown : "'" + shown.replace("'", "'\\''") + "'";
        }).collect(Collectors.joining(" "));
    }

    private static String quote(String arg, String root, String config) {
        Matcher m = PLACEHOLDER.matcher(arg);
        if (!m.find()) {
            if (SAFE.matcher(arg).matches()) {
                return arg;
            }
            return "'" + arg.replace("'", "'\\''") + "'";
        }
        m.reset();
        StringBuilder out = new StringBuilder("\"");
        int last = 0;
        while (m.find()) {
            out.append(escapeDouble(arg.substring(last, m.start())));
            out.append(m.group(1) == null ? root : String.format(config, m.group(1)));
            last = m.end();
        }
        out.append(escapeDouble(arg.substring(last))).append('"');
        return out.toString();
    }

    private static String escapeDouble(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`");
    }

    /**
     * @param d a duration
     * @return e.g. {@code 3 h}, {@code 1 h 15 min}, {@code 7 min 30 s}
     */
    public static String human(Duration d) {
        long s = d.getSeconds();
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        StringBuilder b = new StringBuilder();
        if (h > 0) {
            b.append(h).append(" h");
        }
        if (m > 0) {
            b.append(b.isEmpty() ? "" : " ").append(m).append(" min");
        }
        if (sec > 0 && h == 0) {
            b.append(b.isEmpty() ? "" : " ").append(sec).append(" s");
        }
        return b.isEmpty() ? "0 min" : b.toString();
    }
}
