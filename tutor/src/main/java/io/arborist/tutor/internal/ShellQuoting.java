package io.arborist.tutor.internal;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Quotes argv lists for POSIX shell scripts. */
public final class ShellQuoting {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuoting() {
    }

    /**
     * @param argv arguments
     * @return one command line: safe words bare, everything else single-quoted; placeholders become
     *         {@code "${TUTOR_ROOT}"} and {@code "$(tutor config printvalue KEY)"}
     */
    public static String line(List<String> argv) {
        return argv.stream().map(ShellQuoting::word).collect(Collectors.joining(" "));
    }

    private static String word(String arg) {
        if (arg.isEmpty()) {
            return "''";
        }
        StringBuilder out = new StringBuilder();
        Matcher m = Placeholders.PATTERN.matcher(arg);
        int last = 0;
        while (m.find()) {
            out.append(literal(arg.substring(last, m.start())));
            out.append(m.group(1) == null ? "\"${TUTOR_ROOT}\"" : "\"$(tutor config printvalue " + m.group(1) + ")\"");
            last = m.end();
        }
        return out.append(literal(arg.substring(last))).toString();
    }

    private static String literal(String s) {
        if (s.isEmpty() || SAFE.matcher(s).matches()) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
