package io.arborist.core.aspects;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL (ClickHouse dialect, optionally with dbt Jinja) into tokens with their positions. Inside Jinja
 * ({@code {{ … }}}, {@code {% … %}}) a double-quoted text is a string, as in Jinja; outside it is a quoted identifier,
 * as in SQL. Never fails: unterminated strings, identifiers and comments run to the end of the input.
 */
final class SqlLexer {
    enum Kind { WHITESPACE, COMMENT, STRING, QUOTED_IDENT, WORD, PUNCT }

    /** A token: {@code [start, end)} in the input, 1-based line and column of its first character. */
    record Token(Kind kind, int start, int end, int line, int column, String text) {
        boolean is(String punct) {
            return kind == Kind.PUNCT && text.equals(punct);
        }

        boolean significant() {
            return kind != Kind.WHITESPACE && kind != Kind.COMMENT;
        }
    }

    private final String in;
    private int pos;
    private int line = 1;
    private int lineStart;
    private int jinjaDepth;

    private SqlLexer(String in) {
        this.in = in;
    }

    static List<Token> tokenize(String sql) {
        return new SqlLexer(sql).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (pos < in.length()) {
            int start = pos;
            int tokLine = line;
            int tokCol = pos - lineStart + 1;
            Kind kind = next();
            out.add(new Token(kind, start, pos, tokLine, tokCol, in.substring(start, pos)));
        }
        return out;
    }

    private Kind next() {
        char c = in.charAt(pos);
        if (Character.isWhitespace(c)) {
            while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
                advance();
            }
            return Kind.WHITESPACE;
        }
        if (startsWith("--") || (c == '#' && jinjaDepth == 0)) {
            while (pos < in.length() && in.charAt(pos) != '\n') {
                advance();
            }
            return Kind.COMMENT;
        }
        if (startsWith("/*")) {
            return until("*/");
        }
        if (startsWith("{#")) {
            return until("#}");
        }
        if (startsWith("{{") || startsWith("{%")) {
            jinjaDepth++;
            advance();
            advance();
            return Kind.PUNCT;
        }
        if (jinjaDepth > 0 && (startsWith("}}") || startsWith("%}"))) {
            jinjaDepth--;
            advance();
            advance();
            return Kind.PUNCT;
        }
        if (c == '\'') {
            quoted('\'');
            return Kind.STRING;
        }
        if (c == '"') {
            quoted('"');
            return jinjaDepth > 0 ? Kind.STRING : Kind.QUOTED_IDENT;
        }
        if (c == '`') {
            quoted('`');
            return Kind.QUOTED_IDENT;
        }
        if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
            while (pos < in.length() && (Character.isLetterOrDigit(in.charAt(pos)) || in.charAt(pos) == '_' || in.charAt(pos) == '$')) {
                advance();
            }
            return Kind.WORD;
        }
        advance();
        return Kind.PUNCT;
    }

    private Kind until(String end) {
        advance();
        advance();
        while (pos < in.length() && !startsWith(end)) {
            advance();
        }
        for (int i = 0; i < end.length() && pos < in.length(); i++) {
            advance();
        }
        return Kind.COMMENT;
    }

    /** A quoted run; the quote is escaped by doubling it or by a backslash. */
    private void quoted(char q) {
        advance();
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (c == '\\' && pos + 1 < in.length()) {
                advance();
                advance();
            } else if (c == q) {
                advance();
                if (pos < in.length() && in.charAt(pos) == q) {
                    advance();
                } else {
                    return;
                }
            } else {
                advance();
            }
        }
    }

    private boolean startsWith(String s) {
        return in.startsWith(s, pos);
    }

    private void advance() {
        if (in.charAt(pos) == '\n') {
            line++;
            lineStart = pos + 1;
        }
        pos++;
    }

    /** @return the text of a quoted identifier or string without quotes and escapes; a word unchanged */
    static String unquote(Token t) {
        if (t.kind() == Kind.WORD || t.text().length() < 2) {
            return t.text();
        }
        char q = t.text().charAt(0);
        String body = t.text().substring(1, t.text().length() - (t.text().charAt(t.text().length() - 1) == q ? 1 : 0));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                sb.append(body.charAt(++i));
            } else if (c == q && i + 1 < body.length() && body.charAt(i + 1) == q) {
                sb.append(q);
                i++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** @return {@code name} written the way {@code like} was written (bare, backticks or double quotes) */
    static String quoteLike(Token like, String name) {
        char q = like.kind() == Kind.WORD ? 0 : like.text().charAt(0);
        if (q == 0) {
            return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : "`" + name.replace("`", "``") + "`";
        }
        return q + name.replace(String.valueOf(q), String.valueOf(q) + q) + q;
    }
}
