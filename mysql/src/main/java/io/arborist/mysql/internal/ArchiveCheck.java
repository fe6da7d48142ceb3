package io.arborist.mysql.internal;

import io.arborist.mysql.internal.SqlLexer.Kind;
import io.arborist.mysql.internal.SqlLexer.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an archive's manifest asks a restore to run, checked before anything runs: an archive is untrusted input (anyone
 * who can write it can recompute its plain checksum). A restore creates only the databases, tables, views, routines,
 * triggers, events and (when asked) users the manifest lists, with statements that are each one statement of the
 * listed kind and name, in the listed database, naming no other database.
 *
 * <p>Each statement is read as the server will read it ({@link SqlLexer}, in the SQL mode it runs under) and must be:
 *
 * <ul>
 *   <li>a database: exactly what {@code SHOW CREATE DATABASE} writes, for that database (the restore then writes its
 *       own {@code CREATE DATABASE IF NOT EXISTS} for the target name, keeping only the character set, collation,
 *       encryption and comment);</li>
 *   <li>a table: {@code CREATE TABLE `name` (...)} with table options, no comments, nothing copied from elsewhere
 *       ({@code SELECT}, {@code LIKE}, {@code TABLE}), no {@code DATA}/{@code INDEX DIRECTORY} or {@code CONNECTION},
 *       an engine that keeps its data in the server's own files, and qualified names only in its own database;</li>
 *   <li>a view, routine, trigger or event: {@code CREATE [ALGORITHM=...] [DEFINER=...] [SQL SECURITY ...] KIND name},
 *       one statement (a {@code ;} only inside the body's {@code BEGIN ... END}), naming no other database where a table,
 *       routine or database goes (after {@code FROM}, {@code JOIN}, {@code INTO}, {@code UPDATE}, {@code CALL}, ...),
 *       in a three-part name or before a function call, and without statements that change the server rather than
 *       data ({@code DROP}, {@code ALTER}, {@code GRANT}, {@code PREPARE}, {@code SET GLOBAL}, {@code INTO OUTFILE},
 *       {@code LOAD_FILE} ...); a trigger's table is a table of the archive in the same database;</li>
 *   <li>a user statement: one {@code CREATE USER}, {@code CREATE ROLE}, {@code GRANT} or {@code SET DEFAULT ROLE}.</li>
 * </ul>
 *
 * <p>Also checked: every table and object belongs to a listed database, names are unique and free of control
 * characters, data file names are the archive's own ({@code data/tNNNNN.cNNNNN.tsv.zst}), ranges are numbers, column
 * encodings are known, objects' SQL modes are modes the servers know.
 */
public final class ArchiveCheck {
    /** Data file names an archive may list. */
    public static final Pattern DATA_FILE = Pattern.compile("data/t\\d{5}\\.c\\d{5}\\.tsv\\.zst");
    private static final Pattern CREATE_DATABASE = Pattern.compile("CREATE DATABASE (?:/\\*!32312 IF NOT EXISTS\\*/ )?`((?:[^`]|``)+)`"
            + "((?: /\\*!40100 DEFAULT CHARACTER SET [A-Za-z0-9_]+(?: COLLATE [A-Za-z0-9_]+)? \\*/)?"
            + "(?: /\\*!80016 DEFAULT ENCRYPTION='[YN]' \\*/)?(?: COMMENT '(?:[^'\\\\\\x00-\\x1f]|'')*')?)");
    private static final Set<String> TYPES = Set.of("FUNCTION", "PROCEDURE", "VIEW", "TRIGGER", "EVENT");
    private static final Set<String> ENCODINGS = Set.of(Sql.TEXT, Sql.HEX, Sql.BIT, Sql.VALUE);
    /** Engines whose tables live in the server's own data files (no other server, file or directory reached). */
    private static final Set<String> ENGINES = Set.of("INNODB", "MYISAM", "ARIA", "MEMORY", "HEAP", "ARCHIVE", "BLACKHOLE", "CSV",
            "MRG_MYISAM", "MERGE", "ROCKSDB", "TOKUDB", "NDB", "NDBCLUSTER", "SEQUENCE");
    /** Words a table's DDL never holds unless it copies, moves or reaches outside: refused. */
    private static final Set<String> TABLE_DENIED = Set.of("SELECT", "TABLE", "ROW", "DROP", "RENAME", "ALTER",
            "DIRECTORY", "CONNECTION", "LOAD_FILE", "IGNORE");
    /** Statements (and clauses) that change the server rather than data, or reach its files: refused in objects. */
    private static final Set<String> OBJECT_DENIED = Set.of("DROP", "ALTER", "RENAME", "TRUNCATE", "GRANT", "REVOKE", "CREATE",
            "FLUSH", "KILL", "SHUTDOWN", "RESTART", "INSTALL", "UNINSTALL", "PURGE", "RESET", "PREPARE", "EXECUTE", "DEALLOCATE",
            "OUTFILE", "DUMPFILE", "LOAD_FILE", "LOAD", "GLOBAL", "PERSIST", "PERSIST_ONLY", "SHOW", "CHANGE", "STOP", "CLONE",
            "BINLOG", "XA", "PASSWORD", "ROLE", "AUTHORIZATION", "BACKUP");
    /** Words after which a name is a table, routine or sequence (and its qualifier a database). */
    private static final Set<String> TABLE_KEYWORDS = Set.of("FROM", "JOIN", "STRAIGHT_JOIN", "INTO", "UPDATE", "TABLE", "CALL", "FOR",
            "REFERENCES", "USING", "DELETE", "INSERT", "REPLACE", "HANDLER", "TABLES");
    /** Words that open a list of tables, separated by commas. */
    private static final Set<String> TABLE_LISTS = Set.of("FROM", "UPDATE", "USING", "DELETE");
    /** Words that end a list of tables. */
    private static final Set<String> LIST_ENDS = Set.of("WHERE", "SET", "GROUP", "HAVING", "ORDER", "LIMIT", "UNION", "EXCEPT",
            "INTERSECT", "WINDOW", "INTO", "FOR", "LOCK", "VALUES", "SELECT", "RETURNING");
    /** Modifiers between a table keyword and the table. */
    private static final Set<String> MODIFIERS = Set.of("LOW_PRIORITY", "HIGH_PRIORITY", "DELAYED", "IGNORE", "QUICK", "LATERAL");
    /** Tokens after which a statement starts inside a stored program. */
    private static final Set<String> STATEMENT_STARTS = Set.of(";", ":", "BEGIN", "THEN", "ELSE", "DO", "LOOP", "REPEAT", "ROW");
    private static final Set<String> BLOCKS = Set.of("IF", "CASE", "LOOP", "WHILE", "REPEAT");
    /** The SQL modes MySQL and MariaDB know. */
    private static final Set<String> MODES = Set.of("REAL_AS_FLOAT", "PIPES_AS_CONCAT", "ANSI_QUOTES", "IGNORE_SPACE",
            "IGNORE_BAD_TABLE_OPTIONS", "ONLY_FULL_GROUP_BY", "NO_UNSIGNED_SUBTRACTION", "NO_DIR_IN_CREATE", "POSTGRESQL", "ORACLE",
            "MSSQL", "DB2", "MAXDB", "NO_KEY_OPTIONS", "NO_TABLE_OPTIONS", "NO_FIELD_OPTIONS", "MYSQL323", "MYSQL40", "ANSI",
            "NO_AUTO_VALUE_ON_ZERO", "NO_BACKSLASH_ESCAPES", "STRICT_TRANS_TABLES", "STRICT_ALL_TABLES", "NO_ZERO_IN_DATE",
            "NO_ZERO_DATE", "INVALID_DATES", "ALLOW_INVALID_DATES", "ERROR_FOR_DIVISION_BY_ZERO", "TRADITIONAL",
            "NO_AUTO_CREATE_USER", "HIGH_NOT_PRECEDENCE", "NO_ENGINE_SUBSTITUTION", "PAD_CHAR_TO_FULL_LENGTH",
            "EMPTY_STRING_IS_NULL", "SIMULTANEOUS_ASSIGNMENT", "TIME_ROUND_FRACTIONAL", "TIME_TRUNCATE_FRACTIONAL");
    private static final Set<String> ANSI_QUOTING = Set.of("ANSI_QUOTES", "ANSI", "DB2", "MSSQL", "POSTGRESQL", "MAXDB", "ORACLE");

    private ArchiveCheck() {
    }

    /**
     * @param m a manifest
     * @return one line per problem, each naming the object and what is wrong (empty when the archive asks for nothing
     *     else than recreating what it lists)
     */
    public static List<String> problems(Manifest m) {
        List<String> out = new ArrayList<>();
        if (m.databases() == null || m.tables() == null || m.objects() == null) {
            out.add("the manifest lacks its databases, tables or objects");
            return out;
        }
        Set<String> dbs = new HashSet<>();
        for (Manifest.Database d : m.databases()) {
            String what = "database " + shown(d.name());
            if (!name(d.name(), what, out) || !dbs.add(d.name())) {
                if (d.name() != null && !dbs.add(d.name())) {
                    out.add(what + ": listed twice");
                }
                continue;
            }
            String problem = database(d);
            if (!problem.isEmpty()) {
                out.add(what + ": " + problem);
            }
        }
        Set<String> tables = new HashSet<>();
        Set<String> files = new HashSet<>();
        for (Manifest.Table t : m.tables()) {
            String what = "table " + shown(t.database()) + "." + shown(t.name());
            if (!name(t.name(), what, out) || !owned(t.database(), dbs, what, out)) {
                continue;
            }
            if (!tables.add(t.database() + "\u0000" + t.name())) {
                out.add(what + ": listed twice");
                continue;
            }
            table(t, what, files, out);
        }
        Set<String> objects = new HashSet<>();
        for (Manifest.Routine r : m.objects()) {
            String type = r.type() == null ? "" : r.type();
            String what = (TYPES.contains(type) ? type.toLowerCase(Locale.ROOT) : "object") + " " + shown(r.database()) + "."
                    + shown(r.name());
            if (!TYPES.contains(type)) {
                out.add(what + ": its kind '" + shown(type) + "' is not one an archive holds (view, function, procedure, trigger, event)");
                continue;
            }
            if (!name(r.name(), what, out) || !owned(r.database(), dbs, what, out)) {
                continue;
            }
            String key = (type.equals("VIEW") ? "TABLE" : type) + "\u0000" + r.database() + "\u0000"
                    + (type.equals("VIEW") ? r.name() : r.name().toLowerCase(Locale.ROOT));
            if (!objects.add(key) || (type.equals("VIEW") && tables.contains(r.database() + "\u0000" + r.name()))) {
                out.add(what + ": listed twice");
                continue;
            }
            String problem = object(r, tables);
            if (!problem.isEmpty()) {
                out.add(what + ": " + problem);
            }
        }
        if (m.users() != null) {
            for (String u : m.users()) {
                String problem = user(u);
                if (!problem.isEmpty()) {
                    out.add("user statement '" + abbreviate(u) + "': " + problem);
                }
            }
        }
        return out;
    }

    private static boolean name(String name, String what, List<String> out) {
        if (name == null || name.isEmpty()) {
            out.add(what + ": has no name");
            return false;
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            out.add(what + ": its name holds a control character");
            return false;
        }
        return true;
    }

    private static boolean owned(String db, Set<String> dbs, String what, List<String> out) {
        if (db == null || !dbs.contains(db)) {
            out.add(what + ": its database is not one the archive lists");
            return false;
        }
        return true;
    }

    /** @return a name for messages: control characters shown as {@code ?} */
    static String shown(String name) {
        return name == null ? "(none)" : name.replaceAll("[\\x00-\\x1f\\x7f]", "?");
    }

    private static String abbreviate(String sql) {
        String s = sql == null ? "" : shown(sql);
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** @return the database clause after the name ({@code /*!40100 DEFAULT CHARACTER SET ...}), or null when malformed */
    public static String databaseOptions(Manifest.Database d) {
        Matcher matcher = d.createSql() == null ? null : CREATE_DATABASE.matcher(d.createSql());
        if (matcher == null || !matcher.matches() || !matcher.group(1).replace("``", "`").equals(d.name())) {
            return null;
        }
        return matcher.group(2);
    }

    private static String database(Manifest.Database d) {
        if (d.createSql() == null) {
            return "it has no CREATE DATABASE statement";
        }
        Matcher matcher = CREATE_DATABASE.matcher(d.createSql());
        if (!matcher.matches()) {
            return "its statement is not what SHOW CREATE DATABASE writes ('" + abbreviate(d.createSql()) + "')";
        }
        if (!matcher.group(1).replace("``", "`").equals(d.name())) {
            return "its statement creates database " + shown(matcher.group(1).replace("``", "`")) + ", not " + shown(d.name());
        }
        return "";
    }

    private static void table(Manifest.Table t, String what, Set<String> files, List<String> out) {
        if (t.columns() == null || t.chunks() == null || t.createSql() == null || t.rangeColumn() == null) {
            out.add(what + ": incomplete entry (columns, chunks, DDL or range column missing)");
            return;
        }
        Set<String> columns = new HashSet<>();
        for (Manifest.Column c : t.columns()) {
            if (c.name() == null || c.name().isEmpty() || !columns.add(c.name()) || !ENCODINGS.contains(c.encoding())) {
                out.add(what + ": column " + shown(c.name()) + " is unnamed, listed twice or has an unknown encoding");
                return;
            }
        }
        if (!t.rangeColumn().isEmpty() && !columns.contains(t.rangeColumn())) {
            out.add(what + ": its range column " + shown(t.rangeColumn()) + " is not one of its columns");
        }
        for (Manifest.Chunk c : t.chunks()) {
            if (c.file() == null || !DATA_FILE.matcher(c.file()).matches()) {
                out.add(what + ": data file '" + shown(c.file()) + "' is not an archive data file name (data/tNNNNN.cNNNNN.tsv.zst)");
            } else if (!files.add(c.file())) {
                out.add(what + ": data file " + c.file() + " is listed twice");
            }
            if (!number(c.from()) || !number(c.to()) || c.rows() < 0 || c.sha256() == null || !c.sha256().matches("[0-9a-f]{64}")) {
                out.add(what + ": data file " + shown(c.file()) + " has a malformed range, row count or SHA-256");
            }
        }
        String problem = tableDdl(t);
        if (!problem.isEmpty()) {
            out.add(what + ": " + problem);
        }
    }

    private static boolean number(String s) {
        if (s == null) {
            return false;
        }
        if (s.isEmpty()) {
            return true;
        }
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String tableDdl(Manifest.Table t) {
        SqlLexer.Result r = SqlLexer.lex(t.createSql(), true, false);
        if (!r.error().isEmpty()) {
            return "its CREATE TABLE cannot be read: " + r.error();
        }
        if (r.comments()) {
            return "its CREATE TABLE holds comments, which SHOW CREATE TABLE never writes";
        }
        List<Token> tk = r.tokens();
        if (tk.size() < 4 || !tk.get(0).is("CREATE") || !tk.get(1).is("TABLE")) {
            return "its statement is not a CREATE TABLE (" + start(tk) + ")";
        }
        if (!tk.get(2).isName() || !tk.get(3).isSymbol('(')) {
            return "its CREATE TABLE does not start CREATE TABLE `name` (";
        }
        if (!tk.get(2).value().equals(t.name())) {
            return "its CREATE TABLE creates " + shown(tk.get(2).value()) + ", not " + shown(t.name());
        }
        if (tk.size() > 4 && tk.get(4).is("LIKE")) {
            return "its CREATE TABLE copies another table (LIKE), which restores refuse";
        }
        int close = firstClose(tk);
        int depth = 0;
        for (int i = 0; i < tk.size(); i++) {
            Token x = tk.get(i);
            if (x.isSymbol(';')) {
                return "its CREATE TABLE holds more than one statement";
            }
            if (x.isSymbol('(')) {
                depth++;
            } else if (x.isSymbol(')')) {
                depth--;
                if (depth < 0) {
                    return "its CREATE TABLE has unbalanced parentheses";
                }
            }
            if (i > 1 && x.kind() == Kind.WORD && TABLE_DENIED.contains(x.upper())) {
                return "its CREATE TABLE uses " + x.upper() + ", which restores refuse (it copies, moves or reaches outside the"
                        + " table)";
            }
            if (x.is("ENGINE") && i + 1 < tk.size()) {
                Token e = tk.get(i + 1).isSymbol('=') && i + 2 < tk.size() ? tk.get(i + 2) : tk.get(i + 1);
                if (!ENGINES.contains(e.value().toUpperCase(Locale.ROOT))) {
                    return "its engine " + shown(e.value()) + " keeps data outside the server's own files; restores refuse it";
                }
                if (!t.engine().isEmpty() && i == close + 1 && !e.value().equalsIgnoreCase(t.engine())) {
                    return "its CREATE TABLE uses engine " + shown(e.value()) + ", the manifest says " + shown(t.engine());
                }
            }
            String chain = chainProblem(tk, i, t.database(), false);
            if (!chain.isEmpty()) {
                return "its CREATE TABLE " + chain;
            }
        }
        if (depth != 0) {
            return "its CREATE TABLE has unbalanced parentheses";
        }
        for (String clause : DeferredIndexes.split(t.createSql()).clauses()) {
            SqlLexer.Result c = SqlLexer.lex(clause, true, false);
            int d = 0;
            for (Token x : c.tokens()) {
                d += x.isSymbol('(') ? 1 : x.isSymbol(')') ? -1 : 0;
                if (d == 0 && x.isSymbol(',')) {
                    return "its index line '" + abbreviate(clause) + "' holds more than one clause";
                }
            }
        }
        return "";
    }

    private static int firstClose(List<Token> tk) {
        int depth = 0;
        for (int i = 0; i < tk.size(); i++) {
            depth += tk.get(i).isSymbol('(') ? 1 : tk.get(i).isSymbol(')') ? -1 : 0;
            if (depth == 0 && tk.get(i).isSymbol(')')) {
                return i;
            }
        }
        return tk.size();
    }

    /**
     * A qualified name starting at token i: its first part must be the object's own database when it has three parts,
     * when it names a function (followed by {@code (}), or (tableContext) when it stands where a table goes.
     *
     * @return what is wrong, or empty text
     */
    private static String chainProblem(List<Token> tk, int i, String own, boolean tablePosition) {
        Token first = tk.get(i);
        if (!first.isName() || (i > 0 && tk.get(i - 1).isSymbol('.'))) {
            return "";
        }
        int parts = 1;
        int j = i + 1;
        while (j + 1 < tk.size() && tk.get(j).isSymbol('.') && (tk.get(j + 1).isName() || tk.get(j + 1).isSymbol('*'))) {
            parts++;
            j += 2;
        }
        if (parts < 2 || first.value().equals(own)) {
            return "";
        }
        boolean call = j < tk.size() && tk.get(j).isSymbol('(');
        if (parts >= 3 || call || tablePosition) {
            return "names database " + shown(first.value()) + " (" + shown(first.value()) + "." + shown(tk.get(i + 2).value())
                    + "); an archive's objects may name only their own database";
        }
        return "";
    }

    /** The flags a statement is read with for each SQL mode it may run under (the mode mapped for MySQL and MariaDB). */
    private static Set<List<Boolean>> readings(String sqlMode) {
        Set<List<Boolean>> out = new LinkedHashSet<>();
        for (boolean mysql : new boolean[] {true, false}) {
            boolean[] f = flags(sqlMode, mysql);
            out.add(List.of(f[0], f[1]));
        }
        return out;
    }

    private static String object(Manifest.Routine r, Set<String> tables) {
        if (r.createSql() == null || r.sqlMode() == null) {
            return "it has no statement or SQL mode";
        }
        for (String mode : r.sqlMode().split(",")) {
            String m = mode.strip().toUpperCase(Locale.ROOT);
            if (!m.isEmpty() && !MODES.contains(m)) {
                return "its SQL mode " + shown(m) + " is not one the servers know";
            }
            if (m.equals("ORACLE")) {
                return "its SQL mode ORACLE reads statements with another grammar; restores refuse it";
            }
        }
        for (List<Boolean> flags : readings(r.sqlMode())) {
            String problem = object(r, tables, flags.get(0), flags.get(1));
            if (!problem.isEmpty()) {
                return problem;
            }
        }
        return "";
    }

    private static String object(Manifest.Routine r, Set<String> tables, boolean escapes, boolean ansiQuotes) {
        SqlLexer.Result lexed = SqlLexer.lex(r.createSql(), escapes, ansiQuotes);
        String kind = "CREATE " + r.type();
        if (!lexed.error().isEmpty()) {
            return "its " + kind + " cannot be read: " + lexed.error();
        }
        boolean program = !r.type().equals("VIEW");
        if (lexed.comments() && !program) {
            return "its " + kind + " holds comments, which SHOW CREATE VIEW never writes";
        }
        List<Token> tk = lexed.tokens();
        if (tk.isEmpty() || !tk.get(0).is("CREATE")) {
            return "its statement is not a " + kind + " (" + start(tk) + ")";
        }
        int i = 1;
        while (i < tk.size()) {
            Token x = tk.get(i);
            if (x.is("ALGORITHM") && i + 2 < tk.size() && tk.get(i + 1).isSymbol('=')) {
                i += 3;
            } else if (x.is("DEFINER") && i + 2 < tk.size() && tk.get(i + 1).isSymbol('=')) {
                i += 3;
                if (tk.get(i - 1).is("CURRENT_USER") && i + 1 < tk.size() && tk.get(i).isSymbol('(') && tk.get(i + 1).isSymbol(')')) {
                    i += 2;
                } else if (i < tk.size() && tk.get(i).kind() == Kind.VARIABLE && !tk.get(i).text().startsWith("@@")) {
                    i++;
                }
            } else if (x.is("SQL") && i + 2 < tk.size() && tk.get(i + 1).is("SECURITY")) {
                i += 3;
            } else if (x.is("AGGREGATE") && r.type().equals("FUNCTION")) {
                i++;
            } else {
                break;
            }
        }
        if (i >= tk.size() || !tk.get(i).is(r.type())) {
            return "its statement is not a " + kind + " (" + start(tk) + ")";
        }
        i++;
        if (i < tk.size() && tk.get(i).is("IF")) {
            return "its " + kind + " has IF NOT EXISTS, which SHOW CREATE never writes";
        }
        if (i >= tk.size() || !tk.get(i).isName()) {
            return "its " + kind + " names no object";
        }
        String name = tk.get(i).value();
        if (i + 2 < tk.size() && tk.get(i + 1).isSymbol('.') && tk.get(i + 2).isName()) {
            if (!name.equals(r.database())) {
                return "its " + kind + " creates it in database " + shown(name) + ", not " + shown(r.database());
            }
            name = tk.get(i + 2).value();
            i += 2;
        }
        boolean sameName = r.type().equals("VIEW") ? name.equals(r.name()) : name.equalsIgnoreCase(r.name());
        if (!sameName) {
            return "its " + kind + " creates " + shown(name) + ", not " + shown(r.name());
        }
        i++;
        if (r.type().equals("TRIGGER")) {
            String problem = triggerTable(tk, i, r, tables);
            if (!problem.isEmpty()) {
                return problem;
            }
        }
        if (r.type().equals("VIEW")) {
            int as = i;
            if (as < tk.size() && tk.get(as).isSymbol('(')) {
                while (as < tk.size() && !tk.get(as).isSymbol(')')) {
                    as++;
                }
                as++;
            }
            if (as + 1 >= tk.size() || !tk.get(as).is("AS") || !(tk.get(as + 1).is("SELECT") || tk.get(as + 1).is("WITH")
                    || tk.get(as + 1).isSymbol('(') || tk.get(as + 1).is("VALUES") || tk.get(as + 1).is("TABLE"))) {
                return "its CREATE VIEW has no AS SELECT ... body";
            }
        }
        return body(tk, i, r.database(), program, kind);
    }

    /** A trigger's {@code BEFORE|AFTER event ON table}: the table must be one of the archive's in the same database. */
    private static String triggerTable(List<Token> tk, int i, Manifest.Routine r, Set<String> tables) {
        int on = i;
        while (on < tk.size() && !tk.get(on).is("ON")) {
            Token x = tk.get(on);
            if (!(x.is("BEFORE") || x.is("AFTER") || x.is("INSERT") || x.is("UPDATE") || x.is("DELETE") || x.is("OR"))) {
                return "its CREATE TRIGGER has '" + shown(x.text()) + "' where BEFORE|AFTER INSERT|UPDATE|DELETE ON goes";
            }
            on++;
        }
        if (on + 1 >= tk.size() || !tk.get(on + 1).isName()) {
            return "its CREATE TRIGGER names no table";
        }
        String table = tk.get(on + 1).value();
        if (on + 3 < tk.size() && tk.get(on + 2).isSymbol('.') && tk.get(on + 3).isName()) {
            if (!table.equals(r.database())) {
                return "its CREATE TRIGGER is on a table of database " + shown(table) + ", not " + shown(r.database());
            }
            table = tk.get(on + 3).value();
        }
        if (!tables.contains(r.database() + "\u0000" + table)) {
            return "its CREATE TRIGGER is on table " + shown(table) + ", which the archive does not hold";
        }
        return "";
    }

    /**
     * The rest of an object's statement: no other database named where a table, routine or database goes, no statement
     * that changes the server, and for a stored program a body whose {@code ;} all lie inside its BEGIN ... END.
     */
    private static String body(List<Token> tk, int from, String own, boolean program, String kind) {
        Deque<String> blocks = new ArrayDeque<>();
        Set<Integer> lists = new HashSet<>();
        int depth = 0;
        boolean tableNext = false;
        boolean ended = false;
        for (int i = from; i < tk.size(); i++) {
            Token x = tk.get(i);
            Token prev = tk.get(i - 1);
            if (ended) {
                if (i == tk.size() - 1 && x.isName()) {
                    continue; // END label
                }
                return "its " + kind + " goes on after the end of its body ('" + shown(x.text()) + "'): more than one statement";
            }
            String word = x.kind() == Kind.WORD ? x.upper() : "";
            if (OBJECT_DENIED.contains(word) && !(word.equals("START") && i + 1 < tk.size() && tk.get(i + 1).is("TRANSACTION"))) {
                return "its " + kind + " uses " + word + ", which restores refuse in views, routines, triggers and events"
                        + " (it changes the server or reaches its files rather than data)";
            }
            if (word.equals("START") && !(i + 1 < tk.size() && tk.get(i + 1).is("TRANSACTION"))) {
                return "its " + kind + " uses START, which restores refuse in views, routines, triggers and events";
            }
            if (x.kind() == Kind.VARIABLE) {
                String v = x.text().toLowerCase(Locale.ROOT);
                if (v.startsWith("@@global.") || v.startsWith("@@persist")) {
                    return "its " + kind + " uses " + shown(x.text()) + ", a server-wide setting, which restores refuse";
                }
            }
            String chain = chainProblem(tk, i, own, tableNext);
            if (!chain.isEmpty()) {
                return "its " + kind + " " + chain;
            }
            if (x.isName() && !(i + 1 < tk.size() && tk.get(i + 1).isSymbol('.'))) {
                // the last part of a name: a modifier keeps the table position for the next one
                tableNext = tableNext && MODIFIERS.contains(word) && !prev.isSymbol('.');
            } else if (!x.isSymbol('.') && !x.isName()) {
                tableNext = false;
            }
            if (TABLE_KEYWORDS.contains(word)) {
                tableNext = true;
            }
            if (TABLE_LISTS.contains(word)) {
                lists.add(depth);
            } else if (LIST_ENDS.contains(word) || x.isSymbol(';')) {
                lists.remove(depth);
            }
            if (x.isSymbol(',') && lists.contains(depth)) {
                tableNext = true;
            }
            if (x.isSymbol('(')) {
                boolean tables = i + 1 < tk.size() && !(tk.get(i + 1).is("SELECT") || tk.get(i + 1).is("WITH")
                        || tk.get(i + 1).is("VALUES") || tk.get(i + 1).is("TABLE"))
                        && (prev.is("FROM") || prev.is("JOIN") || prev.is("STRAIGHT_JOIN")
                        || ((prev.isSymbol(',') || prev.isSymbol('(')) && lists.contains(depth)));
                depth++;
                if (tables) {
                    lists.add(depth);
                    tableNext = true;
                }
            } else if (x.isSymbol(')')) {
                lists.remove(depth);
                depth--;
            }
            if (!program) {
                if (x.isSymbol(';')) {
                    return "its " + kind + " holds more than one statement";
                }
                continue;
            }
            String open = blocks.peek();
            String block = block(tk, i, blocks);
            if (!block.isEmpty()) {
                return "its " + kind + " " + block;
            }
            if (x.is("END")) {
                boolean closer = i + 1 < tk.size() && tk.get(i + 1).kind() == Kind.WORD && BLOCKS.contains(tk.get(i + 1).upper());
                if (closer) {
                    i++; // END IF, END LOOP ...: the word belongs to END
                }
                // the body ends with its BEGIN ... END or its block statement, not with a CASE expression
                ended = blocks.isEmpty() && (closer || !"CASE".equals(open));
            }
            if (x.isSymbol(';') && blocks.isEmpty()) {
                return "its " + kind + " holds more than one statement (a ';' outside its BEGIN ... END)";
            }
        }
        if (!blocks.isEmpty()) {
            return "its " + kind + " does not close its " + blocks.peek();
        }
        if (depth != 0) {
            return "its " + kind + " has unbalanced parentheses";
        }
        return "";
    }

    /**
     * Tracks a stored program's blocks (BEGIN, IF, CASE, LOOP, WHILE, REPEAT ... END) at token i.
     *
     * @return what is wrong, or empty text
     */
    private static String block(List<Token> tk, int i, Deque<String> blocks) {
        Token x = tk.get(i);
        Token prev = tk.get(i - 1);
        boolean next = i + 1 < tk.size();
        boolean statementStart = STATEMENT_STARTS.contains(prev.upper()) || blocks.isEmpty();
        if (x.is("BEGIN")) {
            if (next && tk.get(i + 1).isSymbol(':')) {
                return ""; // a label
            }
            if (!(STATEMENT_STARTS.contains(prev.upper()) || blocks.isEmpty()) || (next && tk.get(i + 1).is("WORK"))) {
                return "uses BEGIN where no block can start (quote a name spelt begin)";
            }
            blocks.push("BEGIN");
        } else if (x.is("IF") || x.is("REPEAT")) {
            boolean function = next && tk.get(i + 1).isSymbol('(') && commas(tk, i + 1) == (x.is("IF") ? 2 : 1);
            boolean clause = next && (tk.get(i + 1).is("EXISTS") || tk.get(i + 1).is("NOT"));
            if (!function && !clause) {
                if (!statementStart) {
                    return "uses " + x.upper() + " where no block can start";
                }
                blocks.push(x.upper());
            }
        } else if (x.is("CASE") || x.is("LOOP") || x.is("WHILE")) {
            blocks.push(x.upper());
        } else if (x.is("END")) {
            String closes = next && tk.get(i + 1).kind() == Kind.WORD && BLOCKS.contains(tk.get(i + 1).upper())
                    ? tk.get(i + 1).upper() : "";
            if (blocks.isEmpty()) {
                return "has an END that closes no block";
            }
            String open = blocks.peek();
            if (!closes.isEmpty()) {
                // END REPEAT follows UNTIL's condition; the other blocks end after a statement's ';'
                if (!open.equals(closes) || !(prev.isSymbol(';') || closes.equals("REPEAT"))) {
                    return "has END " + closes + " where its " + open + " is not closed";
                }
                blocks.pop();
            } else if (open.equals("CASE") && !prev.isSymbol(';')) {
                blocks.pop(); // a CASE expression
            } else if (open.equals("BEGIN") && (prev.isSymbol(';') || prev.is("BEGIN"))) {
                blocks.pop();
            } else {
                return "has an END where its " + open + " cannot end";
            }
        }
        return "";
    }

    /** @return the commas at the top level of the parentheses opening at token i */
    private static int commas(List<Token> tk, int open) {
        int depth = 0;
        int n = 0;
        for (int i = open; i < tk.size(); i++) {
            Token x = tk.get(i);
            if (x.isSymbol('(')) {
                depth++;
            } else if (x.isSymbol(')')) {
                if (--depth == 0) {
                    return n;
                }
            } else if (depth == 1 && x.isSymbol(',')) {
                n++;
            }
        }
        return -1;
    }

    private static String user(String sql) {
        if (sql == null) {
            return "it is empty";
        }
        SqlLexer.Result r = SqlLexer.lex(sql, true, false);
        if (!r.error().isEmpty()) {
            return "it cannot be read: " + r.error();
        }
        if (r.comments()) {
            return "it holds comments, which SHOW CREATE USER and SHOW GRANTS never write";
        }
        List<Token> tk = r.tokens();
        boolean create = sql.startsWith("CREATE USER ") || sql.startsWith("CREATE ROLE ");
        boolean kind = create || (tk.size() > 1 && tk.get(0).is("GRANT"))
                || (tk.size() > 2 && tk.get(0).is("SET") && tk.get(1).is("DEFAULT") && tk.get(2).is("ROLE"));
        if (!kind) {
            return "it is not a CREATE USER, CREATE ROLE, GRANT or SET DEFAULT ROLE statement";
        }
        if (create && tk.size() > 2 && tk.get(2).is("IF")) {
            return "it has IF NOT EXISTS, which SHOW CREATE USER never writes";
        }
        for (Token x : tk) {
            if (x.isSymbol(';')) {
                return "it holds more than one statement";
            }
        }
        return "";
    }

    private static String start(List<Token> tk) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(3, tk.size()); i++) {
            sb.append(i == 0 ? "" : " ").append(shown(tk.get(i).text()));
        }
        return sb.length() == 0 ? "empty" : "starts '" + abbreviate(sb.toString()) + "'";
    }

    /**
     * Renames databases in a statement the way the server reads it: every qualifier (a name followed by {@code .})
     * equal to a renamed database becomes the new name; strings, comments and other names are left alone.
     *
     * @param sql a checked statement
     * @param rename source database to target database
     * @param escapes whether backslashes escape in strings under the statement's SQL mode
     * @param ansiQuotes whether double quotes quote identifiers under it
     * @return the statement for the target
     */
    public static String rename(String sql, Map<String, String> rename, boolean escapes, boolean ansiQuotes) {
        if (rename.isEmpty()) {
            return sql;
        }
        SqlLexer.Result r = SqlLexer.lex(sql, escapes, ansiQuotes);
        if (!r.error().isEmpty()) {
            throw new IllegalStateException("a checked statement could not be read: " + r.error());
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        List<Token> tk = r.tokens();
        for (int i = 0; i + 1 < tk.size(); i++) {
            Token x = tk.get(i);
            String to = x.isName() ? rename.get(x.value()) : null;
            if (to != null && tk.get(i + 1).isSymbol('.') && (i == 0 || !tk.get(i - 1).isSymbol('.'))) {
                out.append(sql, at, x.start()).append(Sql.id(to));
                at = x.start() + x.text().length();
            }
        }
        return out.append(sql.substring(at)).toString();
    }

    /** @return whether an object's statement reads with backslash escapes and ANSI quotes under its mode on this target */
    public static boolean[] flags(String sqlMode, boolean targetIsMySql) {
        Set<String> modes = new HashSet<>(List.of(Sql.sqlModeFor(sqlMode, targetIsMySql).toUpperCase(Locale.ROOT).split(",")));
        return new boolean[] {!modes.contains("NO_BACKSLASH_ESCAPES"), modes.stream().anyMatch(ANSI_QUOTING::contains)};
    }
}
