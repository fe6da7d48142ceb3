package io.arborist.tutor.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds and substitutes {@code ${TUTOR_ROOT}} and {@code ${TUTOR_CONFIG:KEY}} in argv lists. */
public final class Placeholders {
    /** The two placeholders; group 1 is the setting name of a config placeholder. */
    public static final Pattern PATTERN = Pattern.compile("\\$\\{TUTOR_ROOT\\}|\\$\\{TUTOR_CONFIG:([A-Za-z0-9_]+)\\}");

    private Placeholders() {
    }

    /**
     * @param argv arguments
     * @return whether any argument mentions {@code ${TUTOR_ROOT}}
     */
    public static boolean usesRoot(List<String> argv) {
        return argv.stream().anyMatch(a -> a.contains("${TUTOR_ROOT}"));
    }

    /**
     * @param argv arguments
     * @return the setting names of {@code ${TUTOR_CONFIG:KEY}} placeholders, in order of appearance
     */
    public static Set<String> configKeys(List<String> argv) {
        Set<String> keys = new LinkedHashSet<>();
        for (String arg : argv) {
            Matcher m = PATTERN.matcher(arg);
            while (m.find()) {
                if (m.group(1) != null) {
                    keys.add(m.group(1));
                }
            }
        }
        return keys;
    }

    /**
     * @param argv arguments
     * @param root the value of {@code ${TUTOR_ROOT}}; only read if used
     * @param config values of the settings named by {@code ${TUTOR_CONFIG:KEY}}; must hold every key used
     * @return the arguments with placeholders replaced, in one pass (substituted values are not scanned again)
     */
    public static List<String> resolve(List<String> argv, String root, Map<String, String> config) {
        return argv.stream().map(arg -> PATTERN.matcher(arg).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) == null ? root : config.get(m.group(1))))).toList();
    }
}
