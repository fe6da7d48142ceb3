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

    /** An account {@code `user`@`host`} or a role {@code `role`}, backquoted as SHOW CREATE writes it. */
    private static final String ACCOUNT = "`(?:[^`]|``)*`(?:@`(?:[^`]|``)*`)?";
    /** The DEFINER clause at the start of a SHOW CREATE statement (quoted with ' by some servers). */
    private static final java.util.regex.Pattern DEFINER = java.util.regex.Pattern.compile(
            "^(CREATE(?:\\s+OR\\s+REPLACE)?(?:\\s+ALGORITHM\\s*=\\s*\\w+)?)\\s+DEFINER\\s*=\\s*"
                    + "(" + ACCOUNT + "|'(?:[^']|'')*'(?:@'(?:[^']|'')*')?)",
            java.util.regex.Pattern.CASE_INSENSITIVE);
    /** The account a SHOW CREATE USER (or ROLE) statement creates. */
    private static final java.util.regex.Pattern CREATED_ACCOUNT = java.util.regex.Pattern.compile(
            "^CREATE\\s+(?:ROLE|USER)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(" + ACCOUNT + ")",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /** The authentication plugin a CREATE USER statement names: MySQL's {@code IDENTIFIED WITH 'p'}, MariaDB's {@code VIA p}. */
    private static final java.util.regex.Pattern AUTH_PLUGIN = java.util.regex.Pattern.compile(
            "\\bIDENTIFIED\\s+(?:WITH|VIA)\\s+'?([A-Za-z0-9_]+)'?", java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * @param createUser a statement as SHOW CREATE USER returns it
     * @return the authentication plugin it names, or empty when it names none (MariaDB's {@code IDENTIFIED BY
     *     PASSWORD} is the built-in mysql_native_password)
     */
    public static String authPlugin(String createUser) {
        java.util.regex.Matcher m = AUTH_PLUGIN.matcher(createUser);
        return m.find() ? m.group(1) : "";
    }

    /**
     * @param createUser a statement as SHOW CREATE USER returns it
     * @return the account it creates as {@code `user`@`host`} (or {@code `role`}), or empty for another statement
     */
    public static String createdAccount(String createUser) {
        java.util.regex.Matcher m = CREATED_ACCOUNT.matcher(createUser);
        return m.find() ? m.group(1) : "";
    }

    /**
     * @param createSql a view, routine, trigger or event definition as SHOW CREATE returns it
     * @return its definer as {@code `user`@`host`} (or {@code `role`}), or empty when it names none
     */
    public static String definer(String createSql) {
        java.util.regex.Matcher m = DEFINER.matcher(createSql);
        return m.find() ? m.group(2) : "";
    }

    /** @return the definition without its DEFINER clause, so that the account that runs it becomes the definer */
    public static String withoutDefiner(String createSql) {
        java.util.regex.Matcher m = DEFINER.matcher(createSql);
        return m.find() ? m.group(1) + createSql.substring(m.end()) : createSql;
    }

    /** @return an account {@code user@host} written as {@code `user`@`host`}, as DEFINER clauses show it */
    public static String account(String user, String host) {
        return host.isEmpty() ? id(user) : id(user) + "@" + id(host);
    }

    private static final java.util.regex.Pattern GENERATED = java.util.regex.Pattern.compile(
            "\\b(?:VIRTUAL|STORED|PERSISTENT)\\b", java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * @param extra a column's {@code information_schema.COLUMNS.EXTRA} (MariaDB and MySQL alike: {@code VIRTUAL
     *     GENERATED}, {@code STORED GENERATED}; MySQL's {@code DEFAULT_GENERATED} is a default, not a generated column)
     * @return whether the column is computed by the server, so neither dumped nor loaded
     */
    public static boolean isGenerated(String extra) {
        return extra != null && GENERATED.matcher(extra).find();
    }

    /** The SQL modes MySQL 8.0 and later know; the others (MariaDB's, and those MySQL 8.0 removed) are refused there. */
    private static final Set<String> MYSQL8_MODES = Set.of("REAL_AS_FLOAT", "PIPES_AS_CONCAT", "ANSI_QUOTES", "IGNORE_SPACE",
            "ONLY_FULL_GROUP_BY", "NO_UNSIGNED_SUBTRACTION", "NO_DIR_IN_CREATE", "ANSI", "NO_AUTO_VALUE_ON_ZERO",
            "NO_BACKSLASH_ESCAPES", "STRICT_TRANS_TABLES", "STRICT_ALL_TABLES", "NO_ZERO_IN_DATE", "NO_ZERO_DATE",
            "ALLOW_INVALID_DATES", "ERROR_FOR_DIVISION_BY_ZERO", "TRADITIONAL", "HIGH_NOT_PRECEDENCE",
            "NO_ENGINE_SUBSTITUTION", "PAD_CHAR_TO_FULL_LENGTH", "TIME_TRUNCATE_FRACTIONAL");
    /** MySQL's SQL modes that MariaDB does not know. */
    private static final Set<String> MYSQL_ONLY_MODES = Set.of("TIME_TRUNCATE_FRACTIONAL");

    /**
     * An object's recorded SQL mode as the target server accepts it: on MySQL without the modes MySQL 8.0 removed or
     * never had (MariaDB's {@code NO_AUTO_CREATE_USER} default, {@code EMPTY_STRING_IS_NULL}, ...), on MariaDB without
     * MySQL's {@code TIME_TRUNCATE_FRACTIONAL}.
     *
     * @param sqlMode the mode as {@code SHOW CREATE} recorded it
     * @param targetIsMySql whether the target is MySQL (not MariaDB)
     * @return the modes the target knows, comma-separated, in their order
     */
    public static String sqlModeFor(String sqlMode, boolean targetIsMySql) {
        return java.util.Arrays.stream(sqlMode.split(",")).map(String::strip).filter(m -> !m.isEmpty())
                .filter(m -> targetIsMySql ? MYSQL8_MODES.contains(m.toUpperCase(Locale.ROOT))
                        : !MYSQL_ONLY_MODES.contains(m.toUpperCase(Locale.ROOT)))
                .collect(Collectors.joining(","));
    }

    /**
     * The statement that reads the binary log position: {@code SHOW BINARY LOG STATUS} on MySQL 8.2 and later (8.4
     * removed {@code SHOW MASTER STATUS}), {@code SHOW MASTER STATUS} on older MySQL and on MariaDB.
     *
     * @param version the server's {@code VERSION()}
     * @return the statement
     */
    public static String binlogStatus(String version) {
        return !isMariaDb(version) && atLeast(version, 8, 2, 0) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
    }

    /** @return whether a {@code VERSION()} string is MariaDB's */
    public static boolean isMariaDb(String version) {
        return version.toLowerCase(Locale.ROOT).contains("mariadb");
    }

    /** @return whether a version string such as {@code 10.11.6-MariaDB-0+deb12u1} is at least major.minor.patch */
    public static boolean atLeast(String version, int major, int minor, int patch) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)").matcher(version);
        if (!m.find()) {
            return false;
        }
        int[] v = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
        int[] want = {major, minor, patch};
        return java.util.Arrays.compare(v, want) >= 0;
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

    /** The row hash of archives written before format 2 (manifests without {@code rowHash}): MD5 over HEX(). */
    public static final String HASH_MD5 = "md5-60";
    /** The server-side row hash of format 2: CRC32-based, see {@link #rowHash(List, String)}. */
    public static final String HASH_CRC32 = "crc32x2";
    /**
     * The row hash of format 3, computed by Arborist over the server's result rows (the values exactly as the server
     * returns them for {@link #selectChunk}), not by the server: see {@link RowHasher}. At restore, the restored table is
     * read back through the same query and hashed the same way.
     */
    public static final String HASH_CLIENT = "client-crc32c-crc32";

    /** @return whether an algorithm is computed by the server in SQL ({@link #rowHash}) rather than by the client */
    public static boolean serverSide(String algorithm) {
        return HASH_MD5.equals(algorithm) || HASH_CRC32.equals(algorithm);
    }

    /** @return the row hash algorithm of a manifest ({@link #HASH_MD5} when it names none) */
    public static String hashOf(Manifest m) {
        return m.rowHash() == null || m.rowHash().isEmpty() ? HASH_MD5 : m.rowHash();
    }

    /**
     * The server-side row hash of older archives (format 1 and 2), an unsigned integer summed modulo 2^64 per chunk and
     * table: the sum is independent of row order and counts duplicate rows. {@link #HASH_CLIENT} has no SQL form.
     *
     * <p>{@link #HASH_CRC32} (the default): the high 32 bits are {@code CRC32} over the comma-separated list of one
     * element per column: {@code CRC32(col)} of a string or binary column's own bytes (no charset conversion, no
     * concatenation of values, so no boundary ambiguity and no max_allowed_packet limit), the server's text of a
     * number or temporal value (never containing a comma), {@code col+0} for BIT, and {@code N} for NULL (so NULL
     * differs from {@code 'NULL'} or {@code '\N'}, whose element is a CRC). The low 32 bits are {@code CRC32} over
     * the string columns' lengths in bytes ({@code N} for NULL). Portable to MySQL and MariaDB.
     *
     * <p>{@link #HASH_MD5} (read for old archives): the first 60 bits of an MD5 over every column (hex for strings, a
     * marker for NULL).
     */
    public static String rowHash(List<Manifest.Column> columns, String algorithm) {
        if (HASH_MD5.equals(algorithm)) {
            return md5RowHash(columns);
        }
        if (!HASH_CRC32.equals(algorithm)) {
            throw new IllegalArgumentException("row hash '" + algorithm + "' is not computed by the server");
        }
        if (columns.isEmpty()) {
            return "0";
        }
        StringBuilder content = new StringBuilder();
        StringBuilder lengths = new StringBuilder();
        for (Manifest.Column c : columns) {
            String col = id(c.name());
            content.append(content.length() == 0 ? "" : ",");
            switch (c.encoding()) {
                case TEXT:
                case HEX:
                    content.append("IFNULL(CRC32(").append(col).append("),'N')");
                    lengths.append(lengths.length() == 0 ? "" : ",").append("IFNULL(LENGTH(").append(col).append("),'N')");
                    break;
                case BIT:
                    content.append("IFNULL(").append(col).append("+0,'N')");
                    break;
                default:
                    content.append("IFNULL(").append(col).append(",'N')");
            }
        }
        String hi = "CRC32(CONCAT_WS(','," + content + ")) << 32";
        return lengths.length() == 0 ? "(" + hi + ")" : "(" + hi + " | CRC32(CONCAT_WS(','," + lengths + ")))";
    }

    private static String md5RowHash(List<Manifest.Column> columns) {
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
    public static String checksumQuery(String db, Manifest.Table t, String where, String algorithm) {
        return "SELECT COUNT(*), CAST(COALESCE(SUM(" + rowHash(t.columns(), algorithm) + "),0) AS CHAR) FROM "
                + id(db, t.name()) + where;
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

    /**
     * @return the dumping SELECT for a chunk (every column as a string or binary value); also the query that reads a
     *         restored table back to verify it with {@link #HASH_CLIENT}
     */
    public static String selectChunk(String db, Manifest.Table t, String where) {
        String cols = t.columns().stream().map(Sql::selectExpr).collect(Collectors.joining(", "));
        return "SELECT " + (cols.isEmpty() ? "''" : cols) + " FROM " + id(db, t.name()) + where;
    }
}
