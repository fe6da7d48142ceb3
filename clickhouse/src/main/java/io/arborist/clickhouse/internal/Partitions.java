package io.arborist.clickhouse.internal;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table's partitions and, for each, a WHERE condition that selects exactly its rows and lets every server skip the
 * other partitions. ClickHouse 18.16 does not prune parts on {@code _partition_id}, so a condition on it alone scans the
 * whole table; it does prune on the partition key's columns through their min-max index. Each condition therefore
 * compares every element of the partition key with the partition's value ({@code toYYYYMM(d) = 202401 AND s = 'x'}:
 * 18.16 prunes a conjunction, not a tuple equality), with {@code _partition_id} kept as the exact guard. The values come
 * from the server itself as SQL literals ({@code FORMAT Values}), read from one part of each partition.
 */
public final class Partitions {
    private static final Logger LOG = LoggerFactory.getLogger(Partitions.class);

    private Partitions() {
    }

    /**
     * @param http the server
     * @param db database
     * @param table a MergeTree table
     * @param partitionKey its {@code system.tables.partition_key}
     * @return every partition id with active parts, in order, each with its filter (without {@code WHERE})
     */
    public static Map<String, String> filters(Http http, String db, String table, String partitionKey) {
        Map<String, String> part = new LinkedHashMap<>();
        http.rows("SELECT partition_id AS p, min(name) AS n FROM system.parts WHERE active AND database = " + Sql.literal(db) + " AND table = "
                + Sql.literal(table) + " GROUP BY partition_id ORDER BY partition_id").forEach(r -> part.put(r.path("p").asText(), r.path("n").asText()));
        Map<String, String> filters = new LinkedHashMap<>();
        part.keySet().forEach(id -> filters.put(id, "_partition_id = " + Sql.literal(id)));
        List<String> keys = elements(partitionKey);
        if (keys.isEmpty() || part.isEmpty()) {
            return filters;
        }
        // A part merged away since the listing yields no row: its partition keeps the plain (exact, unpruned) filter.
        ByteArrayOutputStream values = new ByteArrayOutputStream();
        try {
            http.export("SELECT _partition_id, " + String.join(", ", keys) + " FROM " + Sql.qualified(db, table) + " WHERE _part IN ("
                    + String.join(", ", part.values().stream().map(Sql::literal).toList()) + ") LIMIT 1 BY _partition_id FORMAT Values", values);
        } catch (ArboristException e) {
            if (e.kind() == ErrorKind.INTERRUPTED) {
                throw e;
            }
            LOG.warn("{}.{}: partition values not readable ({}); each partition's export reads the whole table", db, table,
                    e.getMessage().lines().findFirst().orElse(""));
            return filters;
        }
        refine(filters, keys, values.toString(StandardCharsets.UTF_8));
        return filters;
    }

    /**
     * Adds to each partition's filter a comparison of every partition key element with the partition's value.
     *
     * @param filters by partition id: its {@code _partition_id} guard, refined in place
     * @param keys the partition key's elements
     * @param values rows {@code (_partition_id, value of each element)} in {@code FORMAT Values}; a row of another
     *     length or of an unknown partition is ignored
     */
    static void refine(Map<String, String> filters, List<String> keys, String values) {
        for (String row : rows(values)) {
            List<String> v = split(row);
            String id = unquote(v.get(0));
            if (v.size() != keys.size() + 1 || !filters.containsKey(id)) {
                continue;
            }
            StringBuilder f = new StringBuilder(filters.get(id));
            for (int i = 0; i < keys.size(); i++) {
                String literal = v.get(i + 1);
                // NULL and NaN equal nothing, not even themselves: those elements are left to the _partition_id guard.
                if (!literal.equalsIgnoreCase("NULL") && !literal.matches("-?nan")) {
                    f.append(" AND (").append(keys.get(i)).append(") = ").append(literal);
                }
            }
            filters.put(id, f.toString());
        }
    }

    /**
     * @param partitionKey a partition key expression as {@code system.tables} shows it
     * @return its elements: one for a single expression, each member of a tuple, none for {@code tuple()} or empty
     */
    static List<String> elements(String partitionKey) {
        String k = partitionKey.strip();
        if (k.startsWith("tuple(") && k.endsWith(")") && closes(k, "tuple(".length() - 1)) {
            return split(k.substring("tuple(".length(), k.length() - 1));
        }
        if (k.startsWith("(") && closes(k, 0)) {
            return split(k.substring(1, k.length() - 1));
        }
        return k.isEmpty() ? List.of() : List.of(k);
    }

    /** @return whether the bracket at {@code open} closes at the end of {@code s} */
    private static boolean closes(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(s, i);
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (depth == 0) {
                    return i == s.length() - 1;
                }
            }
        }
        return false;
    }

    /**
     * @param s SQL text: an expression list or a row of literals
     * @return its top-level comma-separated items, stripped (commas inside quotes and brackets do not split)
     */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(s, i);
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(from, i).strip());
                from = i + 1;
            }
        }
        String last = s.substring(from).strip();
        if (!last.isEmpty() || !out.isEmpty()) {
            out.add(last);
        }
        return out;
    }

    /** @return the index of the quote closing the one at {@code open} (backslash escapes and doubled quotes skipped) */
    private static int skipQuoted(String s, int open) {
        char q = s.charAt(open);
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == q) {
                if (i + 1 < s.length() && s.charAt(i + 1) == q) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return s.length() - 1;
    }

    /**
     * @param values a {@code FORMAT Values} answer
     * @return the inside of each top-level {@code (…)} row, whatever separates the rows (a comma, or nothing between
     *     blocks that were formatted one by one)
     */
    static List<String> rows(String values) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < values.length(); i++) {
            char c = values.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(values, i);
            } else if (c == '(' || c == '[' || c == '{') {
                if (depth++ == 0) {
                    from = i + 1;
                }
            } else if ((c == ')' || c == ']' || c == '}') && --depth == 0) {
                out.add(values.substring(from, i));
            }
        }
        return out;
    }

    /** @return the text of a single-quoted literal, escapes resolved */
    private static String unquote(String literal) {
        if (literal.length() < 2 || literal.charAt(0) != '\'') {
            return literal;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            sb.append(c == '\\' && i + 1 < literal.length() - 1 ? literal.charAt(++i) : c);
        }
        return sb.toString();
    }
}
