package io.arborist.core.spi;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Renders argv lists and durations for messages. */
final class Argv {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private Argv() {
    }

    /** @return the arguments joined by spaces, each single-quoted for a POSIX shell where needed */
    static String display(List<String> argv) {
        return argv.stream().map(Argv::quote).collect(Collectors.joining(" "));
    }

    private static String quote(String arg) {
        return SAFE.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    /** @return e.g. {@code 250 ms}, {@code 7 s}, {@code 3 min 5 s}, {@code 1 h 15 min} */
    static String human(Duration d) {
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return d.toMillis() + " ms";
        }
        long s = d.getSeconds();
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        if (h > 0) {
            return h + " h" + (m > 0 ? " " + m + " min" : "");
        }
        if (m > 0) {
            return m + " min" + (sec > 0 ? " " + sec + " s" : "");
        }
        return sec + " s";
    }
}
