package io.arborist.clickhouse.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a statement into tokens the way ClickHouse's lexer does, for the parts restored DDL may use, and refuses
 * everything whose reading could differ between this lexer and a server: comments, heredocs ({@code $$}), {@code #},
 * backslashes and non-ASCII characters outside quotes (ClickHouse 23+ also quotes with Unicode quotation marks), and
 * unterminated quotes. What it accepts, it reads exactly as the server does, so a check on its tokens is a check on
 * what the server runs.
 */
final class DdlLexer {
    /** What a token is. */
    enum Kind {
        /** A bare identifier, keyword or number. */
        WORD,
        /** A `quoted` or "quoted" identifier. */
        QUOTED,
        /** A 'string literal'. */
        STRING,
        /** One punctuation character. */
        PUNCT
    }

    /**
     * A token.
     *
     * @param kind what it is
     * @param start its first character in the input
     * @param end one past its last character
     * @param text its text as written
     * @param value for QUOTED and STRING the unescaped content, otherwise the text
     */
    record Token(Kind kind, int start, int end, String text, String value) {
        boolean is(String punct) {
            return kind == Kind.PUNCT && text.equals(punct);
        }

        /** @return whether it is the keyword (a bare word, any case) */
        boolean word(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        /** @return whether it names something: a bare word that is not a number, or a quoted identifier */
        boolean name() {
            return kind == Kind.QUOTED || (kind == Kind.WORD && !Character.isDigit(text.charAt(0)));
        }

        /** @return the keyword in upper case (bare words only; empty otherwise) */
        String upper() {
            return kind == Kind.WORD ? text.toUpperCase(Locale.ROOT) : "";
        }
    }

    /** Why a text was refused: a statement no server shows, or (see {@link #outside()}) one reaching beyond the restore. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean outside;

        Refused(String reason) {
            this(reason, false);
        }

        private Refused(String reason, boolean outside) {
            super(reason, null, false, false);
            this.outside = outside;
        }

        /** @return a refusal of something a server may have but a restore does not create: an outside engine, function or source */
        static Refused outside(String reason) {
            return new Refused(reason, true);
        }

        boolean outside() {
            return outside;
        }
    }

    private final String in;
    private int pos;

    private DdlLexer(String in) {
        this.in = in;
    }

    /**
     * @param sql a statement
     * @return its tokens, without whitespace
     * @throws Refused naming what in the text this lexer does not accept
     */
    static List<Token> tokenize(String sql) throws Refused {
        return new DdlLexer(sql).run();
    }

    private List<Token> run() throws Refused {
        List<Token> out = new ArrayList<>();
        while (pos < in.length()) {
            char c = in.charAt(pos);
            int start = pos;
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                pos++;
            } else if (c == '\'' || c == '`' || c == '"') {
                String value = quoted(c);
                out.add(new Token(c == '\'' ? Kind.STRING : Kind.QUOTED, start, pos, in.substring(start, pos), value));
            } else if (isWordStart(c) || isDigit(c)) {
                word();
                out.add(new Token(Kind.WORD, start, pos, in.substring(start, pos), in.substring(start, pos)));
            } else if (c == '-' && next(1) == '-' || c == '/' && next(1) == '*') {
                throw new Refused("has a comment at character " + (start + 1) + " (restored DDL has none)");
            } else if (c == '#' || c == '$' || c == '\\') {
                throw new Refused("has '" + c + "' outside quotes at character " + (start + 1));
            } else if (c < 0x20 || c >= 0x7F) {
                throw new Refused("has the character U+" + String.format("%04X", (int) c) + " outside quotes at character " + (start + 1));
            } else {
                pos++;
                out.add(new Token(Kind.PUNCT, start, pos, String.valueOf(c), String.valueOf(c)));
            }
        }
        return out;
    }

    private char next(int ahead) {
        return pos + ahead < in.length() ? in.charAt(pos + ahead) : 0;
    }

    private static boolean isWordStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A bare word or a number ({@code 1}, {@code 1.5}, {@code 1e-5}, {@code 0x1F}). */
    private void word() {
        int start = pos;
        boolean number = isDigit(in.charAt(pos));
        boolean hex = number && (next(1) == 'x' || next(1) == 'X') && in.charAt(pos) == '0';
        pos++;
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (isWordStart(c) || isDigit(c)) {
                pos++;
            } else if (number && c == '.') {
                pos++;
            } else if (number && (c == '+' || c == '-') && !hex && "eEpP".indexOf(in.charAt(pos - 1)) >= 0 && pos - 1 > start) {
                pos++;
            } else {
                break;
            }
        }
    }

    /** A quoted string or identifier: a backslash escapes the next character, a doubled quote is one quote. */
    private String quoted(char quote) throws Refused {
        int start = pos;
        pos++;
        StringBuilder value = new StringBuilder();
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (c == '\\') {
                if (pos + 1 >= in.length()) {
                    break;
                }
                pos = escape(value);
            } else if (c == quote) {
                if (next(1) == quote) {
                    value.append(quote);
                    pos += 2;
                } else {
                    pos++;
                    return value.toString();
                }
            } else {
                value.append(c);
                pos++;
            }
        }
        throw new Refused("has an unterminated " + (quote == '\'' ? "string" : "quoted name") + " from character " + (start + 1));
    }

    /**
     * Decodes one escape sequence as ClickHouse reads string literals: {@code \xHH}, the C escapes, {@code \N} (nothing)
     * and, for any other character, the character itself with its backslash kept (so {@code '\%'} is two characters)
     * except for {@code \\ \' \" \` \/ \=}.
     *
     * @return the position after the sequence
     */
    private int escape(StringBuilder value) {
        char c = in.charAt(pos + 1);
        int after = pos + 2;
        if (c == 'x' && after + 1 < in.length() && isHex(in.charAt(after)) && isHex(in.charAt(after + 1))) {
            value.append((char) Integer.parseInt(in.substring(after, after + 2), 16));
            return after + 2;
        }
        if (c == 'N') {
            return after;
        }
        char decoded = switch (c) {
            case 'a' -> (char) 7;
            case 'b' -> '\b';
            case 'e' -> (char) 27;
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'v' -> (char) 11;
            case '0' -> (char) 0;
            default -> c;
        };
        if (decoded >= 0x20 && decoded != '\\' && decoded != '\'' && decoded != '"' && decoded != '`' && decoded != '/' && decoded != '=') {
            value.append('\\');
        }
        value.append(decoded);
        return after;
    }

    private static boolean isHex(char c) {
        return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
