package io.arborist.mysql.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** SQL text: identifier quoting, per-column encodings, row checksums and the LOAD DATA statement. */
public final class Sql {
    /** Column bytes written escaped as text. */
    public static final String TEXT = "text";
    /** Column bytes written as hexadecimal. */
    public static final String HEX = "hex";
    /** BIT columns written as an unsigned number. */
    public static final String BIT = "bit";
    /** Numbers, temporal and other types written as the server formats them. */
    public static final String VALUE = "value";

    private static final Set<String> BINARY = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob",
            "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
            "geometrycollection");
    private static final Set<String> STRINGS = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext",
            "enum", "set", "json");

    private Sql() {
    }

    /** @return a backquoted identifier */
    public static String id(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** @return {@code `db`.`table`} */
    public static String id(String db, String table) {
        return id(db) + "." + id(table);
    }

    /** @return a quoted string literal */
    public static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** @return the encoding for a column from information_schema's data type and character set */
    public static String encodingOf(String dataType, String charset) {
        String t = dataType.toLowerCase(Locale.ROOT);
        if (BINARY.contains(t) || (STRINGS.contains(t) && "binary".equalsIgnoreCase(charset))) {
            return HEX;
        }
        if (t.equals("bit")) {
            return BIT;
        }
        return STRINGS.contains(t) ? TEXT : VALUE;
    }

    /** @return the expression that selects a column for dumping */
    public static String selectExpr(Manifest.Column c) {
        switch (c.encoding()) {
            case BIT:
                return "CONCAT(" + id(c.name()) + "+0)";
            case VALUE:
                return "CONCAT(" + id(c.name()) + ")";
            default:
                return id(c.name());
        }
    }

    /**
     * The server-side row hash: the first 60 bits of an MD5 over every dumped column (hex for strings, so that
     * charsets do not matter; a marker for NULL), as an unsigned integer. Summed modulo 2^64 per chunk and table, it
     * is independent of row order and counts duplicates.
     */
    public static String rowHash(List<Manifest.Column> columns) {
        String parts = columns.stream().map(c -> {
            String col = id(c.name());
            String e;
            switch (c.encoding()) {
                case TEXT:
                case HEX:
                    e = "HEX(" + col + ")";
                    break;
                case BIT:
                    e = "CONCAT(" + col + "+0)";
                    break;
                default:
                    e = "CONCAT(" + col + ")";
            }
            return "IFNULL(" + e + ",'\\\\N')";
        }).collect(Collectors.joining(","));
        if (columns.isEmpty()) {
            parts = "''";
        }
        return "CAST(CONV(LEFT(MD5(CONCAT_WS('#'," + parts + ")),15),16,10) AS UNSIGNED)";
    }

    /** @return {@code SELECT COUNT(*), SUM(hash)} over a table (and optional range) */
    public static String checksumQuery(String db, Manifest.Table t, String where) {
        return "SELECT COUNT(*), CAST(COALESCE(SUM(" + rowHash(t.columns()) + "),0) AS CHAR) FROM " + id(db, t.name())
                + where;
    }

    /** @return a WHERE clause for a chunk's range, or empty text for the whole table */
    public static String rangeWhere(String rangeColumn, String from, String to) {
        if (rangeColumn.isEmpty() || (from.isEmpty() && to.isEmpty())) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" WHERE ");
        if (!from.isEmpty()) {
            sb.append(id(rangeColumn)).append(" >= ").append(Long.parseLong(from));
        }
        if (!to.isEmpty()) {
            if (!from.isEmpty()) {
                sb.append(" AND ");
            }
            sb.append(id(rangeColumn)).append(" < ").append(Long.parseLong(to));
        }
        return sb.toString();
    }

    /** @return the LOAD DATA LOCAL INFILE statement for a table's chunk files */
    public static String loadData(String db, Manifest.Table t) {
        StringBuilder cols = new StringBuilder();
        StringBuilder sets = new StringBuilder();
        int i = 0;
        for (Manifest.Column c : t.columns()) {
            if (cols.length() > 0) {
                cols.append(',');
            }
            if (c.encoding().equals(HEX) || c.encoding().equals(BIT)) {
                String var = "@v" + i;
                cols.append(var);
                sets.append(sets.length() == 0 ? " SET " : ", ").append(id(c.name())).append(" = ")
                        .append(c.encoding().equals(HEX) ? "UNHEX(" + var + ")" : "CAST(" + var + " AS UNSIGNED)");
            } else {
                cols.append(id(c.name()));
            }
            i++;
        }
        return "LOAD DATA LOCAL INFILE 'arborist.tsv' INTO TABLE " + id(db, t.name())
                + " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ("
                + cols + ")" + sets;
    }

    /** @return a dumping SELECT for a chunk, with the row hash as the last column */
    public static String selectChunk(String db, Manifest.Table t, String where) {
        String cols = t.columns().stream().map(Sql::selectExpr).collect(Collectors.joining(", "));
        return "SELECT " + (cols.isEmpty() ? "" : cols + ", ") + rowHash(t.columns()) + " FROM " + id(db, t.name()) + where;
    }
}
