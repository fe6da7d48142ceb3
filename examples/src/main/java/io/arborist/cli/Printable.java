package io.arborist.cli;

import java.util.regex.Pattern;

/**
 * Makes text that came from outside (a plan file, a journal, a command's output, an argument) safe to print as part of
 * one line: terminal escape sequences are dropped, and line breaks, other control characters and invisible formatting
 * characters (such as bidirectional overrides) become {@code ?}, so such text can neither start a line of its own nor
 * rewrite what is on the screen. Tabs stay.
 */
final class Printable {
    /** Longest line printed for an error; longer ones are cut, saying how much was cut. */
    static final int MAX_LINE = 2_000;

    private static final Pattern ESCAPE_SEQUENCE = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(\u0007|\u001B\\\\)?");

    private Printable() {
    }

    /**
     * @param text any text
     * @return the text as part of one line
     */
    static String line(String text) {
        String t = ESCAPE_SEQUENCE.matcher(text).replaceAll("");
        StringBuilder out = null;
        for (int i = 0; i < t.length(); ) {
            int c = t.codePointAt(i);
            int width = Character.charCount(c);
            if (c != '\t' && unsafe(c)) {
                if (out == null) {
                    out = new StringBuilder(t.length()).append(t, 0, i);
                }
                out.append('?');
            } else if (out != null) {
                out.appendCodePoint(c);
            }
            i += width;
        }
        return out == null ? t : out.toString();
    }

    /**
     * @param text any text
     * @param max how many characters to keep
     * @return the text as part of one line, cut to {@code max} characters and a note of how many were cut
     */
    static String line(String text, int max) {
        String t = line(text);
        return t.length() <= max ? t : t.substring(0, max) + "... (" + (t.length() - max) + " more characters)";
    }

    /**
     * @param text any text
     * @return whether it has no line break, tab, escape or other control character
     */
    static boolean isOneLine(String text) {
        return text.codePoints().noneMatch(c -> switch (Character.getType(c)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        });
    }

    private static boolean unsafe(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE -> true;
            default -> false;
        };
    }
}
