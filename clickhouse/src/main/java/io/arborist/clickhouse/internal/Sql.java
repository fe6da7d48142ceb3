package io.arborist.clickhouse.internal;

import java.util.ArrayList;
import java.util.List;

/** SQL text helpers that are valid on ClickHouse 18.16 and 24–25. */
public final class Sql {
    private Sql() {
    }

    /**
     * @param engine a table engine ({@code system.tables.engine})
     * @return whether background merges of this engine change its rows (Replacing, Collapsing, VersionedCollapsing,
     *     Summing, Aggregating, Coalescing, Graphite MergeTree, Replicated or not)
     */
    public static boolean mergesChangeRows(String engine) {
        return engine.matches(".*(Replacing|Collapsing|Summing|Aggregating|Coalescing|Graphite)MergeTree");
    }

    /** @return the name quoted with backticks */
    public static String id(String name) {
        return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    /** @return {@code `db`.`name`} */
    public static String qualified(String db, String name) {
        return id(db) + "." + id(name);
    }

    /** @return a single-quoted string literal */
    public static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * An order-independent row hash for a table's columns: {@code cityHash64(h1, …, hn)} where each column is made
     * hashable on every version ({@code cityHash64} rejects UUID on 18.16 and yields NULL for NULL).
     *
     * @param columns name and type of each column, in table order
     * @return the expression
     */
    public static String rowHash(List<String[]> columns) {
        List<String> parts = new ArrayList<>();
        for (String[] c : columns) {
            parts.add(hash(id(c[0]), c[1].strip(), 0));
        }
        if (parts.isEmpty()) {
            return "toUInt64(0)";
        }
        return "cityHash64(" + String.join(", ", parts) + ")";
    }

    private static String hash(String expr, String type, int depth) {
        if (type.startsWith("LowCardinality(")) {
            return hash(expr, inner(type, "LowCardinality("), depth);
        }
        if (type.startsWith("Nullable(")) {
            return "if(isNull(" + expr + "), toUInt64(1), " + hash("assumeNotNull(" + expr + ")", inner(type, "Nullable("), depth) + ")";
        }
        if (type.equals("UUID")) {
            return "cityHash64(toString(" + expr + "))";
        }
        if (type.startsWith("Array(")) {
            String el = inner(type, "Array(");
            if (plain(el)) {
                return "cityHash64(" + expr + ")";
            }
            String x = "x" + depth;
            return "cityHash64(arrayMap(" + x + " -> " + hash(x, el, depth + 1) + ", " + expr + "))";
        }
        return "cityHash64(" + expr + ")";
    }

    private static boolean plain(String type) {
        return !(type.contains("Nullable(") || type.contains("UUID") || type.contains("LowCardinality(") || type.startsWith("Array("));
    }

    private static String inner(String type, String prefix) {
        return type.substring(prefix.length(), type.length() - 1).strip();
    }
}
