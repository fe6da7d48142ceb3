package io.arborist.mysql.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits one SQL text into tokens the way MySQL and MariaDB do, to check statements taken from an archive before they
 * run. Comments are dropped; the contents of executable comments ({@code /*!80016 ...}, {@code /*M!100100 ...}) are
 * code, and must end where a server that skips them would end them (a quote inside one that would hide the rest of the
 * statement from either reading is an error). Strings follow the statement's SQL mode: backslash escapes unless
 * {@code NO_BACKSLASH_ESCAPES}, double quotes delimit identifiers under {@code ANSI_QUOTES}.
 *
 * <p>Refused outright, as an error: control characters other than tab and line breaks, unterminated strings, quoted
 * identifiers and comments, optimizer hint comments ({@code /*+}, which MySQL reads with a parser of its own), and
 * comments nested in executable comments.
 */
final class SqlLexer {
    /** What a token is. */
    enum Kind {
        /** A bare word: keyword or identifier. */
        WORD,
        /** A backquoted identifier (or double-quoted under ANSI_QUOTES); {@link Token#value()} is unquoted. */
        QUOTED,
        /** A string literal. */
        STRING,
        /** A number. */
        NUMBER,
        /** {@code @name}, {@code @'name'}, {@code @@scope.name}. */
        VARIABLE,
        /** One punctuation character. */
        SYMBOL
    }

    /** A token; {@code value} is the identifier without quotes, or the text. */
    record Token(Kind kind, String text, String value, int start) {
        boolean is(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isSymbol(char c) {
            return kind == Kind.SYMBOL && text.charAt(0) == c;
        }

        boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }

        String upper() {
            return text.toUpperCase(Locale.ROOT);
        }
    }

    /**
     * @param tokens the code tokens
     * @param comments whether the text has comments (other than executable ones)
     * @param error what makes the text unreadable, or empty text
     */
    record Result(List<Token> tokens, boolean comments, String error) {
    }

    private final String s;
    private final boolean backslashEscapes;
    private final boolean ansiQuotes;
    private final List<Token> tokens = new ArrayList<>();
    private boolean comments;
    private int i;
    /** The end ({@code *}{@code /}) of the executable comment being read, or -1 outside one. */
    private int executableEnd = -1;

    private SqlLexer(String s, boolean backslashEscapes, boolean ansiQuotes) {
        this.s = s;
        this.backslashEscapes = backslashEscapes;
        this.ansiQuotes = ansiQuotes;
    }

    /**
     * @param sql the text
     * @param backslashEscapes whether {@code \} escapes in strings (not under NO_BACKSLASH_ESCAPES)
     * @param ansiQuotes whether {@code "} quotes identifiers (ANSI_QUOTES)
     * @return the tokens, or an error
     */
    static Result lex(String sql, boolean backslashEscapes, boolean ansiQuotes) {
        SqlLexer l = new SqlLexer(sql, backslashEscapes, ansiQuotes);
        String error = l.run();
        return new Result(List.copyOf(l.tokens), l.comments, error);
    }

    private String run() {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
            } else if (c < 0x20 || c == 0x7f) {
                return "it holds a control character (code " + (int) c + ")";
            } else if (executableEnd >= 0 && c == '*' && i + 1 < n && s.charAt(i + 1) == '/') {
                if (i != executableEnd) {
                    return "an executable comment ends where a server that skips it would not";
                }
                executableEnd = -1;
                i += 2;
            } else if (c == '#') {
                comments = true;
                skipLine();
            } else if (c == '-' && i + 2 <= n && s.startsWith("--", i)
                    && (i + 2 == n || " \t\n\r".indexOf(s.charAt(i + 2)) >= 0)) {
                comments = true;
                skipLine();
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                String e = comment();
                if (!e.isEmpty()) {
                    return e;
                }
            } else if (c == '\'' || (c == '"' && !ansiQuotes)) {
                int start = i;
                String e = quoted(c, backslashEscapes);
                if (!e.isEmpty()) {
                    return e;
                }
                tokens.add(new Token(Kind.STRING, s.substring(start, i), s.substring(start, i), start));
            } else if (c == '`' || c == '"') {
                int start = i;
                String e = quoted(c, false);
                if (!e.isEmpty()) {
                    return e;
                }
                String text = s.substring(start, i);
                String q = String.valueOf(c);
                tokens.add(new Token(Kind.QUOTED, text, text.substring(1, text.length() - 1).replace(q + q, q), start));
            } else if (c == '@') {
                String e = variable();
                if (!e.isEmpty()) {
                    return e;
                }
            } else if (isWordChar(c)) {
                int start = i;
                while (i < n && isWordChar(s.charAt(i))) {
                    i++;
                }
                String text = s.substring(start, i);
                boolean number = text.chars().allMatch(Character::isDigit);
                tokens.add(new Token(number ? Kind.NUMBER : Kind.WORD, text, text, start));
            } else {
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), String.valueOf(c), i));
                i++;
            }
            if (executableEnd >= 0 && i > executableEnd + 1) {
                return "an executable comment ends where a server that skips it would not";
            }
        }
        if (executableEnd >= 0) {
            return "an executable comment is not closed";
        }
        return "";
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' || c >= 0x80;
    }

    private void skipLine() {
        int nl = s.indexOf('\n', i);
        if (executableEnd >= 0) {
            // a line comment inside an executable comment: MySQL and MariaDB read it differently
            i = s.length() + 1;
            return;
        }
        i = nl < 0 ? s.length() : nl + 1;
    }

    private String comment() {
        int n = s.length();
        int end = s.indexOf("*/", i + 2);
        if (end < 0) {
            return "a comment is not closed";
        }
        boolean mysql = i + 2 < n && s.charAt(i + 2) == '!';
        boolean mariadb = s.startsWith("/*M!", i);
        if (executableEnd >= 0) {
            return "a comment is nested in an executable comment";
        }
        if (s.startsWith("/*+", i)) {
            return "it holds an optimizer hint comment (/*+ ... */)";
        }
        if (!mysql && !mariadb) {
            comments = true;
            i = end + 2;
            return "";
        }
        // executable: its contents are code; a server too old for its version skips them, up to this very */
        i += mariadb ? 4 : 3;
        while (i < n && Character.isDigit(s.charAt(i))) {
            i++;
        }
        executableEnd = end;
        return "";
    }

    private String quoted(char q, boolean escapes) {
        int n = s.length();
        int start = i;
        i++;
        while (i < n) {
            char c = s.charAt(i);
            if (c == 0) {
                return "it holds a NUL character";
            }
            if (escapes && c == '\\') {
                i += 2;
                continue;
            }
            if (c == q) {
                if (i + 1 < n && s.charAt(i + 1) == q) {
                    i += 2;
                    continue;
                }
                i++;
                if (executableEnd >= 0 && start < executableEnd && i > executableEnd) {
                    return "a quoted text runs past the end of an executable comment";
                }
                return "";
            }
            i++;
        }
        return (q == '`' || (q == '"' && ansiQuotes) ? "a quoted identifier" : "a string") + " is not closed";
    }

    private String variable() {
        int start = i;
        int n = s.length();
        i++;
        if (i < n && s.charAt(i) == '@') {
            i++;
        }
        if (i < n && (s.charAt(i) == '\'' || s.charAt(i) == '"' || s.charAt(i) == '`')) {
            String e = quoted(s.charAt(i), s.charAt(i) != '`' && backslashEscapes);
            if (!e.isEmpty()) {
                return e;
            }
        } else {
            while (i < n && (isWordChar(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
        }
        tokens.add(new Token(Kind.VARIABLE, s.substring(start, i), s.substring(start, i), start));
        return "";
    }
}
