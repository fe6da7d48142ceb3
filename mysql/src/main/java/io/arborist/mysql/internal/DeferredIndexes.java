package io.arborist.mysql.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code SHOW CREATE TABLE} statement into the table without its secondary indexes and foreign keys, and the
 * {@code ADD ...} clauses that put them back in one {@code ALTER TABLE} after the data is loaded (as MySQL Shell's
 * {@code deferTableIndexes}): InnoDB then builds each index by sorting once instead of inserting row by row, and a
 * deferred {@code UNIQUE} key is checked for duplicates when it is built.
 *
 * <p>Only InnoDB tables with a primary key are split (without one, InnoDB would cluster on the first unique key), and
 * only plain {@code KEY} / {@code UNIQUE KEY} lines and {@code FOREIGN KEY} constraints move; FULLTEXT, SPATIAL,
 * {@code USING HASH} keys, keys led by the AUTO_INCREMENT column, CHECK constraints and system-versioned tables stay
 * as they are. When the statement does not have the shape {@code SHOW CREATE TABLE} prints, nothing is deferred.
 *
 * @param create the CREATE TABLE statement to run before loading
 * @param clauses the {@code ADD ...} clauses to run after loading (empty: nothing deferred)
 */
public record DeferredIndexes(String create, List<String> clauses) {

    /** @return the statement split, or unchanged with no clauses when it cannot or need not be */
    public static DeferredIndexes split(String createSql) {
        DeferredIndexes none = new DeferredIndexes(createSql, List.of());
        if (!createSql.contains("\n  PRIMARY KEY (") || !createSql.contains(") ENGINE=InnoDB")
                || createSql.contains("WITH SYSTEM VERSIONING")) {
            return none;
        }
        String[] lines = createSql.split("\n", -1);
        if (!lines[0].startsWith("CREATE TABLE ") || !lines[0].endsWith(" (")) {
            return none;
        }
        int end = -1;
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].startsWith(")")) {
                end = i;
                break;
            }
            if (!lines[i].startsWith("  ")) {
                return none;
            }
        }
        if (end < 2) {
            return none;
        }
        String autoIncrement = null;
        for (int i = 1; i < end; i++) {
            if (lines[i].startsWith("  `") && lines[i].contains(" AUTO_INCREMENT")) {
                autoIncrement = identifier(lines[i], 2);
            }
        }
        List<String> kept = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        for (int i = 1; i < end; i++) {
            String def = lines[i].endsWith(",") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            String body = def.substring(2);
            if ((body.startsWith("KEY `") || body.startsWith("UNIQUE KEY `")) && !body.contains(" USING HASH")) {
                int at = body.indexOf('`');
                String name = identifier(body, at);
                int cols = name == null ? -1 : at + quotedLength(name);
                String first = cols > 0 && body.startsWith(" (`", cols) ? identifier(body, cols + 2) : null;
                if (first == null) {
                    return none;
                }
                if (!first.equals(autoIncrement)) {
                    keys.add("ADD " + body);
                    continue;
                }
            } else if (body.startsWith("CONSTRAINT `")) {
                String name = identifier(body, 11);
                if (name == null) {
                    return none;
                }
                if (body.startsWith(" FOREIGN KEY (", 11 + quotedLength(name))) {
                    foreign.add("ADD " + body);
                    continue;
                }
            }
            kept.add(def);
        }
        if (keys.isEmpty() && foreign.isEmpty()) {
            return none;
        }
        StringBuilder sb = new StringBuilder(lines[0]).append('\n').append(String.join(",\n", kept));
        for (int i = end; i < lines.length; i++) {
            sb.append('\n').append(lines[i]);
        }
        List<String> clauses = new ArrayList<>(keys);
        clauses.addAll(foreign);
        return new DeferredIndexes(sb.toString(), List.copyOf(clauses));
    }

    /** @return the ALTER TABLE statement that adds the deferred clauses */
    public String alter(String qualifiedTable) {
        return "ALTER TABLE " + qualifiedTable + " " + String.join(", ", clauses);
    }

    /** @return the name of the backquoted identifier starting at {@code at} (a backquote), or null */
    static String identifier(String s, int at) {
        if (at < 0 || at >= s.length() || s.charAt(at) != '`') {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = at + 1; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '`') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '`') {
                    sb.append('`');
                    i++;
                } else {
                    return sb.toString();
                }
            } else {
                sb.append(ch);
            }
        }
        return null;
    }

    private static int quotedLength(String name) {
        return Sql.id(name).length();
    }
}
