package io.arborist.mysql.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an archive needs that the target server lacks, found before a restore changes anything: collations and
 * character sets (MySQL 8's {@code utf8mb4_0900_*} on MariaDB 10.11), storage engines, MariaDB-only column types and
 * system-versioned tables on MySQL, MySQL's functional index parts on MariaDB, and users saved on the other flavour.
 * MySQL's native JSON columns restore into MariaDB as its JSON alias (LONGTEXT with a {@code json_valid} check), and
 * MariaDB's into MySQL as that LONGTEXT with its check, both with the same text: they are not refused.
 */
public final class Compatibility {
    private static final Pattern COLLATE = Pattern.compile("\\bCOLLATE\\s*=?\\s*'?([A-Za-z0-9_]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CHARSET = Pattern.compile("\\b(?:CHARACTER SET|CHARSET)\\s*=?\\s*'?([A-Za-z0-9_]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FUNCTIONAL_KEY = Pattern.compile("^\\s+(?:UNIQUE )?KEY `(?:[^`]|``)*` \\(\\(");
    private static final Set<String> MARIADB_TYPES = Set.of("uuid", "inet4", "inet6");

    private Compatibility() {
    }

    /**
     * @param m the archive's manifest
     * @param c a connection to the target
     * @param targetVersion the target's {@code VERSION()}
     * @param db maps an archive database to its name on the target
     * @param restoreUsers whether the archive's users are to be restored
     * @return one line per problem, naming the object (empty when the target can take the archive)
     */
    public static List<String> problems(Manifest m, Connection c, String targetVersion, UnaryOperator<String> db,
                                        boolean restoreUsers) throws SQLException {
        boolean toMySql = !Sql.isMariaDb(targetVersion);
        List<String> out = new ArrayList<>();
        Map<String, List<String>> collations = new LinkedHashMap<>();
        Map<String, List<String>> charsets = new LinkedHashMap<>();
        for (Manifest.Database d : m.databases()) {
            note(d.createSql(), "database " + db.apply(d.name()), collations, charsets);
        }
        Set<String> engines = engines(c);
        for (Manifest.Table t : m.tables()) {
            String table = db.apply(t.database()) + "." + t.name();
            for (String line : t.createSql().split("\n")) {
                String column = line.startsWith("  `") ? DeferredIndexes.identifier(line, 2) : null;
                note(line, column != null ? "column " + table + "." + column : "table " + table, collations, charsets);
                if (!toMySql && FUNCTIONAL_KEY.matcher(line).find()) {
                    out.add("table " + table + " has a functional index (" + line.strip() + "), which MariaDB does not have");
                }
            }
            if (!t.engine().isEmpty() && !engines.contains(t.engine().toLowerCase(Locale.ROOT))) {
                out.add("table " + table + " uses engine " + t.engine() + ", which the target does not have");
            }
            if (toMySql && t.createSql().contains(" WITH SYSTEM VERSIONING")) {
                out.add("table " + table + " is system-versioned, which MySQL does not have");
            }
            for (Manifest.Column col : t.columns()) {
                if (toMySql && MARIADB_TYPES.contains(col.dataType().toLowerCase(Locale.ROOT))) {
                    out.add("column " + table + "." + col.name() + " has MariaDB's type " + col.dataType() + ", which MySQL does not have");
                }
            }
        }
        for (var e : charsets.entrySet()) {
            if (!accepts(c, "SELECT CONVERT('' USING " + e.getKey() + ")")) {
                out.add(unknown("character set", e.getKey(), e.getValue()));
            }
        }
        for (var e : collations.entrySet()) {
            String name = e.getKey();
            int cut = name.indexOf('_');
            if (cut > 0 && !accepts(c, "SELECT CONVERT('' USING " + name.substring(0, cut) + ") COLLATE " + name)) {
                out.add(unknown("collation", name, e.getValue()));
            }
        }
        boolean fromMySql = m.server().flavour().equals("mysql");
        if (restoreUsers && !m.users().isEmpty() && fromMySql != toMySql) {
            out.add("the archive's users and grants were saved on " + m.server().flavour() + " " + m.server().version()
                    + ", and accounts do not carry over between MariaDB and MySQL (authentication plugins, roles and"
                    + " privileges differ): restore without restoring users and create the accounts on the target");
        } else if (restoreUsers) {
            Set<String> plugins = activePlugins(c);
            for (String statement : m.users()) {
                String plugin = Sql.authPlugin(statement);
                if (!plugin.isEmpty() && !plugins.contains(plugin.toLowerCase(Locale.ROOT))) {
                    // MySQL 8.4 ships mysql_native_password disabled
                    out.add("user " + Sql.createdAccount(statement) + " authenticates with " + plugin
                            + ", which is not active on the target (load the plugin, or change the user's authentication first)");
                }
            }
        }
        return out;
    }

    private static Set<String> activePlugins(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT PLUGIN_NAME FROM information_schema.PLUGINS"
                + " WHERE PLUGIN_TYPE = 'AUTHENTICATION' AND PLUGIN_STATUS = 'ACTIVE'")) {
            while (rs.next()) {
                out.add(rs.getString(1).toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static String unknown(String what, String name, List<String> users) {
        return what + " " + name + " (used by " + String.join(", ", users.stream().limit(3).toList())
                + (users.size() > 3 ? " and " + (users.size() - 3) + " more" : "") + ") is unknown to the target";
    }

    /** Adds the collations and character sets a DDL line or statement names. */
    static void note(String ddl, String object, Map<String, List<String>> collations, Map<String, List<String>> charsets) {
        Matcher m = COLLATE.matcher(ddl);
        while (m.find()) {
            collations.computeIfAbsent(m.group(1).toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(object);
        }
        m = CHARSET.matcher(ddl);
        while (m.find()) {
            charsets.computeIfAbsent(m.group(1).toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(object);
        }
    }

    private static Set<String> engines(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT ENGINE FROM information_schema.ENGINES WHERE SUPPORT IN ('YES', 'DEFAULT')")) {
            while (rs.next()) {
                out.add(rs.getString(1).toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static boolean accepts(Connection c, String sql) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next();
        } catch (SQLException e) {
            return false;
        }
    }
}
