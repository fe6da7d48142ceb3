package io.arborist.core.internal;

/** Text from data (plans, snapshots, catalogs) made safe to put into Markdown: one line, no markup of its own. */
public final class Markdown {
    private Markdown() {
    }

    /**
     * @param text any text
     * @return the text on one line (line breaks and control characters become spaces), with the characters that would
     *     break a table, open a code span or HTML ({@code | ` <}), make a link ({@code ](}) or start a heading (a leading
     *     {@code #}) escaped
     */
    public static String inline(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                b.append(' ');
            } else if ("|`<".indexOf(c) >= 0 || c == '(' && i > 0 && text.charAt(i - 1) == ']') {
                b.append('\\').append(c);
            } else {
                b.append(c);
            }
        }
        String s = b.toString();
        return s.startsWith("#") ? "\\" + s : s;
    }

    /**
     * @param text any text
     * @return the text with control characters other than tab replaced by spaces, for code blocks; a run of three
     *     backticks, which would end the block, is broken
     */
    public static String code(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) && c != '\t' ? ' ' : c);
        }
        return b.toString().replace("```", "`\u200b``");
    }
}
