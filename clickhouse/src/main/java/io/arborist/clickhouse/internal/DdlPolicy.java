package io.arborist.clickhouse.internal;

import io.arborist.clickhouse.ObjectKind;
import io.arborist.clickhouse.internal.DdlLexer.Kind;
import io.arborist.clickhouse.internal.DdlLexer.Refused;
import io.arborist.clickhouse.internal.DdlLexer.Token;
import io.arborist.core.aspects.SqlReferenceRewriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a restore runs from an archive: each object's {@code CREATE} statement, checked and rewritten here before it is
 * sent. An archive is untrusted input: anyone who can edit it can put any SQL in its manifest. A statement is run only
 * when it is exactly one {@code CREATE} of the kind and name the manifest lists, in the object's own (renamed)
 * database, and it:
 * <ul>
 *   <li>is not {@code CREATE OR REPLACE}, {@code TEMPORARY}, {@code ON CLUSTER}, a table copied from elsewhere
 *       ({@code AS}, {@code CLONE AS}, {@code EMPTY AS}) or a materialized view with {@code POPULATE};</li>
 *   <li>uses only local table engines (MergeTree family, Log family, Memory, Null, Set, Join, EmbeddedRocksDB,
 *       GenerateRandom; Buffer and Distributed only onto restored databases; Dictionary); a Replicated engine only
 *       with a ZooKeeper path that contains {@code {uuid}} or both {@code {database}} and {@code {table}}, so that a
 *       copy never shares the source's replicas;</li>
 *   <li>as a materialized view, writes ({@code TO}) only into a table of the archive;</li>
 *   <li>as a dictionary, reads from a {@code CLICKHOUSE} source on this server (no {@code HOST} or a loopback one) with
 *       a {@code DB} of the archive;</li>
 *   <li>calls no function or table function that reaches files, URLs, other servers or programs ({@code url},
 *       {@code file}, {@code s3}, {@code remote}, {@code mysql}, {@code executable}…), and reads tables
 *       ({@code FROM}, {@code JOIN}, {@code IN}, {@code dictGet}, {@code joinGet}, a dictionary's {@code QUERY}) only
 *       in the archive's databases, or in databases the caller allows.</li>
 * </ul>
 * Reads outside the archive are reported apart ({@link Verdict#outsideReads()}): a restore refuses them unless
 * allowed, {@code verify} lists them as notes. References to renamed databases are rewritten first (qualified names,
 * and the names held in strings: a dictionary's {@code DB} and {@code QUERY}, {@code dictGet('db.dict', …)}, Buffer
 * and Distributed targets), and the check runs on the statement that will be sent, in target names.
 */
public final class DdlPolicy {
    private static final Set<String> TABLE_ENGINES = Set.of("Log", "TinyLog", "StripeLog", "Memory", "Null", "Set", "Join", "EmbeddedRocksDB",
            "GenerateRandom");
    private static final Pattern MERGE_TREE = Pattern.compile("(Replicated)?(Replacing|Summing|Aggregating|Collapsing|VersionedCollapsing|Graphite|Coalescing)?"
            + "MergeTree");
    private static final Set<String> DATABASE_ENGINES = Set.of("Atomic", "Ordinary", "Memory", "Lazy");
    private static final Set<String> TABLE_FUNCTIONS = Set.of("numbers", "numbers_mt", "zeros", "zeros_mt", "values", "generaterandom",
            "generate_series", "generateseries", "null", "view", "viewifpermitted");
    /** Functions (and table functions) that reach outside the server's own tables, lower case. */
    private static final Set<String> OUTSIDE_FUNCTIONS = Set.of("url", "urlcluster", "file", "filecluster", "s3", "s3cluster", "gcs", "oss", "cosn",
            "hdfs", "hdfscluster", "remote", "remotesecure", "cluster", "clusterallreplicas", "mysql", "postgresql", "mongodb", "odbc", "jdbc",
            "sqlite", "redis", "executable", "input", "merge", "hive", "meilisearch", "dictionary", "catboostevaluate", "modelevaluate", "disk",
            "sleep", "sleepeachrow", "ytsaurus", "arrowflight", "kafka", "loop", "fuzzjson", "fuzzquery", "prometheusquery", "timeseriesdata",
            "timeseriestags", "timeseriesmetrics", "ssd_cache", "complex_key_ssd_cache");
    private static final List<String> OUTSIDE_PREFIXES = List.of("iceberg", "deltalake", "hudi", "azureblob", "mergetree", "paimon");
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");
    private static final Set<String> CLAUSE_WORDS = Set.of("WHERE", "PREWHERE", "GROUP", "ORDER", "LIMIT", "HAVING", "UNION", "EXCEPT", "INTERSECT",
            "SETTINGS", "FORMAT", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "ANY", "ALL", "ASOF", "SEMI", "ANTI", "GLOBAL", "ARRAY",
            "SAMPLE", "ON", "USING", "WINDOW", "QUALIFY", "INTO", "OFFSET", "PASTE");

    private DdlPolicy() {
    }

    /**
     * What restored statements may name.
     *
     * @param databases every database of the archive, by its name in the archive, with its name on the target
     * @param tables the archive's tables (kind TABLE) as {@code database.name} on the target: what a materialized view
     *     may write into
     * @param alsoReadable databases outside the archive that views, materialized views and dictionaries may read
     */
    public record Scope(Map<String, String> databases, Set<String> tables, Set<String> alsoReadable) {
        /**
         * Copies.
         *
         * @param databases every database of the archive, by its name in the archive, with its name on the target
         * @param tables the archive's tables (kind TABLE) as {@code database.name} on the target: what a materialized view may
         *     write into
         * @param alsoReadable databases outside the archive that views, materialized views and dictionaries may read
         */
        public Scope {
            databases = Map.copyOf(databases);
            tables = Set.copyOf(tables);
            alsoReadable = Set.copyOf(alsoReadable);
        }

        boolean restored(String targetDb) {
            return databases.containsValue(targetDb);
        }

        boolean readable(String targetDb) {
            return restored(targetDb) || alsoReadable.contains(targetDb);
        }

        Optional<String> renamed(String sourceDb) {
            return Optional.ofNullable(databases.get(sourceDb));
        }

        boolean renames() {
            return databases.entrySet().stream().anyMatch(e -> !e.getKey().equals(e.getValue()));
        }
    }

    /**
     * The outcome of a check.
     *
     * @param sql the statement to send (in target names), when accepted
     * @param problem why the statement is refused; empty when accepted
     * @param outside whether the problem is that the object reaches beyond the restored databases or the server (an
     *     engine, function, source or target a server may well have; a restore can skip the object), rather than a
     *     statement no server shows (tampering)
     * @param outsideReads {@code database.table} names it reads outside the restored databases and those allowed
     */
    public record Verdict(String sql, Optional<String> problem, boolean outside, List<String> outsideReads) {
        /**
         * Copies.
         *
         * @param sql the statement to send (in target names), when accepted
         * @param problem why the statement is refused; empty when accepted
         * @param outside whether the problem is that the object reaches beyond the restored databases or the server (an engine,
         *     function, source or target a server may well have; a restore can skip the object), rather than a statement no server
         *     shows (tampering)
         * @param outsideReads {@code database.table} names it reads outside the restored databases and those allowed
         */
        public Verdict {
            Objects.requireNonNull(sql, "sql");
            Objects.requireNonNull(problem, "problem");
            outsideReads = List.copyOf(outsideReads);
        }

        static Verdict refused(String problem) {
            return new Verdict("", Optional.of(problem), false, List.of());
        }
    }

    /**
     * Checks a database's {@code CREATE DATABASE} and builds the statement a restore sends.
     *
     * @param ddl the statement in the archive
     * @param source the database's name in the archive
     * @param target its name on the target
     * @return {@code CREATE DATABASE IF NOT EXISTS target [ENGINE = …] [COMMENT '…']}, or the problem
     */
    public static Verdict database(String ddl, String source, String target) {
        List<Token> t;
        try {
            t = statement(DdlLexer.tokenize(ddl));
        } catch (Refused e) {
            return Verdict.refused(e.getMessage());
        }
        int i = 0;
        if (t.size() < 3 || !t.get(0).word("CREATE") || !t.get(1).word("DATABASE")) {
            return Verdict.refused("is not a CREATE DATABASE statement (" + opening(t) + ")");
        }
        i = 2;
        if (at(t, i, "IF", "NOT", "EXISTS")) {
            i += 3;
        }
        if (i >= t.size() || !t.get(i).name()) {
            return Verdict.refused("names no database");
        }
        if (!t.get(i).value().equals(source) || i + 1 < t.size() && t.get(i + 1).is(".")) {
            return Verdict.refused("creates the database " + shown(t.get(i).value()) + ", not " + shown(source));
        }
        i++;
        StringBuilder sql = new StringBuilder("CREATE DATABASE IF NOT EXISTS ").append(Sql.id(target));
        if (i < t.size() && t.get(i).word("ON")) {
            return Verdict.refused("runs ON CLUSTER (restore on each node instead)");
        }
        if (i < t.size() && t.get(i).word("ENGINE")) {
            if (i + 2 >= t.size() || !t.get(i + 1).is("=") || t.get(i + 2).kind() != Kind.WORD) {
                return Verdict.refused("has an ENGINE clause without an engine name");
            }
            String engine = t.get(i + 2).text();
            if (!DATABASE_ENGINES.contains(engine)) {
                return Verdict.refused("uses the database engine " + shown(engine) + " (restored: " + String.join(", ", new java.util.TreeSet<>(DATABASE_ENGINES)) + ")");
            }
            sql.append(" ENGINE = ").append(engine);
            i += 3;
            if (i < t.size() && t.get(i).is("(")) {
                if (!engine.equals("Lazy") || i + 2 >= t.size() || !t.get(i + 1).text().matches("[0-9]+") || !t.get(i + 2).is(")")) {
                    return Verdict.refused("gives the engine " + engine + " arguments it does not take");
                }
                sql.append('(').append(t.get(i + 1).text()).append(')');
                i += 3;
            }
        }
        if (i < t.size() && t.get(i).word("COMMENT")) {
            if (i + 1 >= t.size() || t.get(i + 1).kind() != Kind.STRING) {
                return Verdict.refused("has a COMMENT that is not a string");
            }
            sql.append(" COMMENT ").append(Sql.literal(t.get(i + 1).value()));
            i += 2;
        }
        if (i < t.size()) {
            return Verdict.refused("has " + shown(t.get(i).text()) + " after the database's engine and comment");
        }
        return new Verdict(sql.toString(), Optional.empty(), false, List.of());
    }

    /**
     * Checks an object's {@code CREATE} statement and rewrites its references to renamed databases.
     *
     * @param kind what the manifest says the object is
     * @param ddl the statement (from the archive, or the caller's override)
     * @param database the object's database in the archive
     * @param name the object's name
     * @param scope what restored statements may name
     * @return the statement to send, or the problem
     */
    public static Verdict object(ObjectKind kind, String ddl, String database, String name, Scope scope) {
        String target = scope.renamed(database).orElse(database);
        if (!scope.databases().containsKey(database)) {
            return Verdict.refused("is in the database " + shown(database) + ", which the archive does not list");
        }
        String sql = ddl;
        if (scope.renames()) {
            SqlReferenceRewriter.Builder rb = SqlReferenceRewriter.builder();
            scope.databases().forEach(rb::renameDatabase);
            sql = rb.build().rewrite(ddl).sql();
        }
        try {
            Check c = new Check(sql, scope, target);
            c.renamed = !target.equals(database);
            c.object(kind, name);
            return new Verdict(c.rewritten(), Optional.empty(), false, List.copyOf(c.outsideReads));
        } catch (Refused e) {
            return new Verdict("", Optional.of(e.getMessage()), e.outside(), List.of());
        }
    }

    /** Drops one trailing semicolon; refuses any other (a second statement). */
    private static List<Token> statement(List<Token> t) throws Refused {
        List<Token> out = t;
        if (!out.isEmpty() && out.get(out.size() - 1).is(";")) {
            out = out.subList(0, out.size() - 1);
        }
        for (Token x : out) {
            if (x.is(";")) {
                throw new Refused("holds more than one statement (a ';' at character " + (x.start() + 1) + ")");
            }
        }
        if (out.isEmpty()) {
            throw new Refused("is empty");
        }
        return out;
    }

    private static boolean at(List<Token> t, int i, String... words) {
        for (int k = 0; k < words.length; k++) {
            if (i + k >= t.size() || !t.get(i + k).word(words[k])) {
                return false;
            }
        }
        return true;
    }

    private static String opening(List<Token> t) {
        StringBuilder sb = new StringBuilder("it starts with");
        for (int k = 0; k < Math.min(3, t.size()); k++) {
            sb.append(' ').append(t.get(k).kind() == Kind.STRING ? "'…'" : shown(t.get(k).text()));
        }
        return sb.toString();
    }

    /** @return a name or word from an archive, safe to show on one line */
    public static String shown(String s) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < s.length() && sb.length() < 80; k++) {
            char c = s.charAt(k);
            sb.append(c < 0x20 || c == 0x7F ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return sb.length() < 80 ? sb.toString() : sb + "…";
    }

    /** The check of one statement (and of the SQL held in its strings), with the edits it makes. */
    private static final class Check {
        private final String sql;
        private final List<Token> t;
        private final int[] close;
        private final Scope scope;
        private final String own;
        private final List<Token> editAt = new ArrayList<>();
        private final List<String> editTo = new ArrayList<>();
        private final Set<String> outsideReads;
        private boolean renamed;

        Check(String sql, Scope scope, String own) throws Refused {
            this(sql, scope, own, new LinkedHashSet<>());
        }

        private Check(String sql, Scope scope, String own, Set<String> outsideReads) throws Refused {
            this.sql = sql;
            this.t = statement(DdlLexer.tokenize(sql));
            this.scope = scope;
            this.own = own;
            this.outsideReads = outsideReads;
            this.close = new int[t.size()];
            Deque<Integer> open = new ArrayDeque<>();
            for (int k = 0; k < t.size(); k++) {
                if (t.get(k).is("(")) {
                    open.push(k);
                } else if (t.get(k).is(")")) {
                    if (open.isEmpty()) {
                        throw new Refused("has a ')' without its '(' at character " + (t.get(k).start() + 1));
                    }
                    close[open.pop()] = k;
                }
            }
            if (!open.isEmpty()) {
                throw new Refused("has a '(' without its ')' at character " + (t.get(open.peek()).start() + 1));
            }
        }

        String rewritten() {
            if (editAt.isEmpty()) {
                return sql;
            }
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < editAt.size(); k++) {
                order.add(k);
            }
            order.sort(Comparator.comparingInt(k -> editAt.get(k).start()));
            StringBuilder out = new StringBuilder();
            int at = 0;
            for (int k : order) {
                out.append(sql, at, editAt.get(k).start()).append(editTo.get(k));
                at = editAt.get(k).end();
            }
            return out.append(sql.substring(at)).toString();
        }

        private void edit(Token tok, String replacement) {
            if (!tok.text().equals(replacement)) {
                editAt.add(tok);
                editTo.add(replacement);
            }
        }

        private Token tok(int i) throws Refused {
            if (i >= t.size()) {
                throw new Refused("ends too early");
            }
            return t.get(i);
        }

        private boolean is(int i, String punct) {
            return i < t.size() && t.get(i).is(punct);
        }

        private boolean word(int i, String w) {
            return i < t.size() && t.get(i).word(w);
        }

        void object(ObjectKind kind, String name) throws Refused {
            if (!tok(0).word("CREATE")) {
                throw new Refused("is not a CREATE statement (" + opening(t) + ")");
            }
            int i = 1;
            if (word(i, "OR")) {
                throw new Refused("is CREATE OR REPLACE, which would replace an existing object");
            }
            if (word(i, "TEMPORARY")) {
                throw new Refused("creates a temporary table");
            }
            String expected = switch (kind) {
                case TABLE, INNER_TABLE -> "TABLE";
                case VIEW -> "VIEW";
                case MATERIALIZED_VIEW -> "MATERIALIZED VIEW";
                case DICTIONARY -> "DICTIONARY";
            };
            String[] words = expected.split(" ");
            if (!at(t, i, words)) {
                throw new Refused("is not a CREATE " + expected + " (" + opening(t) + "), the manifest lists a " + kind.name().toLowerCase(Locale.ROOT)
                        .replace('_', ' '));
            }
            i += words.length;
            if (at(t, i, "IF", "NOT", "EXISTS")) {
                i += 3;
            }
            if (!tok(i).name()) {
                throw new Refused("names no object after CREATE " + expected);
            }
            String db = own;
            String n = t.get(i).value();
            if (is(i + 1, ".")) {
                if (!tok(i + 2).name()) {
                    throw new Refused("has a malformed name");
                }
                db = n;
                n = t.get(i + 2).value();
                i += 2;
            }
            if (!db.equals(own) || !n.equals(name)) {
                throw new Refused("creates " + shown(db) + "." + shown(n) + ", not " + shown(own) + "." + shown(name) + " as the manifest says");
            }
            i++;
            if (word(i, "ON") && word(i + 1, "CLUSTER")) {
                throw new Refused("runs ON CLUSTER (restore on each node instead)");
            }
            switch (kind) {
                case TABLE, INNER_TABLE -> table(i);
                case VIEW -> view(i);
                case MATERIALIZED_VIEW -> materializedView(i);
                case DICTIONARY -> dictionary(i);
            }
            scan(0, t.size());
        }

        private void table(int i) throws Refused {
            if (word(i, "UUID")) {
                throw new Refused("fixes the table's UUID");
            }
            if (word(i, "AS") || word(i, "CLONE") || word(i, "EMPTY")) {
                throw new Refused("copies another table (CREATE TABLE … " + t.get(i).upper() + ")");
            }
            if (!is(i, "(")) {
                throw new Refused("has no column list");
            }
            boolean engine = false;
            for (int k = close[i] + 1; k < t.size(); k = next(k)) {
                Token x = t.get(k);
                if (x.word("AS") || x.word("CLONE") || x.word("EMPTY") || x.word("POPULATE")) {
                    throw new Refused("copies rows from elsewhere (" + x.upper() + " after the columns)");
                }
                if (x.word("ENGINE") && !engine) {
                    engine = true;
                    engine(k);
                }
            }
            if (!engine) {
                throw new Refused("has no ENGINE clause");
            }
        }

        private void view(int i) throws Refused {
            int k = is(i, "(") ? close[i] + 1 : i;
            while (k < t.size() && !t.get(k).word("AS")) {
                Token x = t.get(k);
                if (x.word("DEFINER") && is(k + 1, "=") && k + 2 < t.size()) {
                    k += 3;
                } else if (x.word("SQL") && word(k + 1, "SECURITY") && k + 2 < t.size()) {
                    k += 3;
                } else {
                    throw new Refused("has " + shown(x.text()) + " where its AS SELECT belongs");
                }
            }
            select(k);
        }

        private void materializedView(int i) throws Refused {
            int k = i;
            boolean to = false;
            boolean engine = false;
            while (k < t.size() && !t.get(k).word("AS")) {
                Token x = t.get(k);
                if (x.word("POPULATE")) {
                    throw new Refused("has POPULATE, which copies rows when it is created");
                } else if (x.word("TO") && (word(k + 1, "DISK") || word(k + 1, "VOLUME"))) {
                    k += 2;
                } else if (x.word("TO") && !to) {
                    to = true;
                    k = target(k + 1);
                } else if (x.word("ENGINE") && !engine) {
                    engine = true;
                    k = engine(k);
                } else {
                    k = next(k);
                }
            }
            if (!to && !engine) {
                throw new Refused("has neither TO nor ENGINE");
            }
            select(k);
        }

        /** Checks the table after TO: a table of the archive. @return the index after its name */
        private int target(int k) throws Refused {
            if (!tok(k).name()) {
                throw new Refused("has no table after TO");
            }
            String db = own;
            String n = t.get(k).value();
            if (is(k + 1, ".") && k + 2 < t.size() && t.get(k + 2).name()) {
                db = n;
                n = t.get(k + 2).value();
                k += 2;
            }
            if (!scope.tables().contains(db + "." + n)) {
                throw Refused.outside("writes (TO) into " + shown(db) + "." + shown(n) + ", which is not a table of the archive");
            }
            return k + 1;
        }

        private void select(int k) throws Refused {
            if (k >= t.size() || !(word(k + 1, "SELECT") || word(k + 1, "WITH") || is(k + 1, "("))) {
                throw new Refused("has no AS SELECT");
            }
        }

        /** Checks {@code ENGINE = Name[(args)]} at {@code k}. @return the index after it */
        private int engine(int k) throws Refused {
            if (!is(k + 1, "=") || k + 2 >= t.size() || t.get(k + 2).kind() != Kind.WORD) {
                throw new Refused("has an ENGINE clause without an engine name");
            }
            String e = t.get(k + 2).text();
            int argsAt = k + 3;
            List<List<Token>> args = is(argsAt, "(") ? args(argsAt) : List.of();
            int after = is(argsAt, "(") ? close[argsAt] + 1 : argsAt;
            if (MERGE_TREE.matcher(e).matches()) {
                if (e.startsWith("Replicated") && renamed && !args.isEmpty()) {
                    List<Token> path = args.get(0);
                    String p = path.size() == 1 && path.get(0).kind() == Kind.STRING ? path.get(0).value() : "";
                    if (!(p.contains("{uuid}") || p.contains("{database}") && p.contains("{table}"))) {
                        throw Refused.outside("keeps its replicas at a fixed ZooKeeper path; a copy in a renamed database would share the source"
                                + " table's data (use the {database} and {table} or {uuid} macros)");
                    }
                }
            } else if (e.equals("Buffer") || e.equals("Distributed")) {
                int at = e.equals("Buffer") ? 0 : 1;
                if (args.size() <= at) {
                    throw new Refused("has a " + e + " engine without its database");
                }
                String db = databaseArgument(args.get(at));
                if (!scope.restored(db)) {
                    throw Refused.outside("sends rows (" + e + ") into the database " + shown(db) + ", which the archive does not restore");
                }
            } else if (e.equals("Dictionary")) {
                if (args.size() != 1) {
                    throw new Refused("has a Dictionary engine without its dictionary");
                }
                List<Token> a = args.get(0);
                if (a.size() == 1 && a.get(0).kind() == Kind.STRING) {
                    qualifiedString(a.get(0));
                } else if (a.size() == 3 && a.get(0).name() && a.get(1).is(".") && a.get(2).name()) {
                    read(a.get(0).value(), a.get(2).value());
                } else if (!(a.size() == 1 && a.get(0).name())) {
                    throw new Refused("has a Dictionary engine whose argument is not a dictionary name");
                }
            } else if (!TABLE_ENGINES.contains(e)) {
                throw Refused.outside("uses the table engine " + shown(e) + ", which reaches beyond the server's own tables or is not restored"
                        + " (restored: MergeTree family, Log family, Memory, Null, Set, Join, EmbeddedRocksDB, GenerateRandom, Dictionary, and"
                        + " Buffer and Distributed onto restored databases); create it by hand after the restore");
            }
            return after;
        }

        /** @return the comma-separated arguments inside the parentheses at {@code open} */
        private List<List<Token>> args(int open) {
            List<List<Token>> out = new ArrayList<>();
            List<Token> cur = new ArrayList<>();
            for (int k = open + 1; k < close[open]; k++) {
                if (t.get(k).is(",")) {
                    out.add(cur);
                    cur = new ArrayList<>();
                } else if (t.get(k).is("(")) {
                    for (int j = k; j <= close[k]; j++) {
                        cur.add(t.get(j));
                    }
                    k = close[k];
                } else {
                    cur.add(t.get(k));
                }
            }
            if (!cur.isEmpty() || !out.isEmpty()) {
                out.add(cur);
            }
            return out;
        }

        /** A database named by an engine argument (a name, a string, or {@code currentDatabase()}), renamed in place. */
        private String databaseArgument(List<Token> a) throws Refused {
            if (a.size() == 3 && a.get(0).word("currentDatabase") && a.get(1).is("(") && a.get(2).is(")")) {
                return own;
            }
            if (a.size() != 1 || !(a.get(0).name() || a.get(0).kind() == Kind.STRING)) {
                throw new Refused("names a database with an expression");
            }
            Token d = a.get(0);
            Optional<String> to = scope.renamed(d.value());
            if (to.isPresent()) {
                edit(d, d.kind() == Kind.STRING ? Sql.literal(to.get()) : Sql.id(to.get()));
                return to.get();
            }
            return d.value();
        }

        private void dictionary(int i) throws Refused {
            if (!is(i, "(")) {
                throw new Refused("has no attribute list");
            }
            int source = -1;
            for (int k = close[i] + 1; k < t.size(); k = next(k)) {
                if (t.get(k).word("SOURCE") && is(k + 1, "(")) {
                    if (source >= 0) {
                        throw new Refused("has two SOURCE clauses");
                    }
                    source = k;
                }
            }
            if (source < 0) {
                throw new Refused("has no SOURCE");
            }
            int open = source + 1;
            Token type = tok(open + 1);
            if (!type.word("CLICKHOUSE") || !is(open + 2, "(") || close[open + 2] + 1 != close[open]) {
                throw Refused.outside("reads from a SOURCE of type " + shown(type.text()) + " (restored: CLICKHOUSE on this server)");
            }
            Optional<Token> db = Optional.empty();
            boolean reads = false;
            List<Token> queries = new ArrayList<>();
            for (int k = open + 3; k < close[open + 2]; k += 2) {
                Token key = t.get(k);
                Token value = tok(k + 1);
                if (key.kind() != Kind.WORD || value.kind() == Kind.PUNCT || k + 1 >= close[open + 2]) {
                    throw new Refused("has a SOURCE argument that is not a plain KEY value pair (at " + shown(key.text()) + ")");
                }
                switch (key.upper()) {
                    case "HOST" -> {
                        if (!LOOPBACK.contains(value.value().toLowerCase(Locale.ROOT))) {
                            throw Refused.outside("reads from another server (SOURCE HOST " + shown(value.value()) + ")");
                        }
                    }
                    case "PORT", "USER", "PASSWORD", "UPDATE_FIELD", "UPDATE_LAG", "SECURE" -> { }
                    case "DB" -> db = Optional.of(value);
                    case "TABLE" -> {
                        reads = true;
                        if (value.value().contains(".")) {
                            throw Refused.outside("names its SOURCE TABLE with a database (" + shown(value.value()) + "); a restore needs it in DB");
                        }
                    }
                    case "QUERY", "INVALIDATE_QUERY", "WHERE" -> {
                        reads |= !key.upper().equals("INVALIDATE_QUERY");
                        queries.add(key);
                        queries.add(value);
                    }
                    default -> throw Refused.outside("has the SOURCE argument " + shown(key.text()) + ", which a restore does not accept");
                }
            }
            if (db.isEmpty()) {
                if (reads) {
                    throw Refused.outside("has no DB in its SOURCE (it would read the server's default database)");
                }
            } else {
                Token d = db.get();
                Optional<String> to = scope.renamed(d.value());
                String target = to.orElse(d.value());
                to.ifPresent(x -> edit(d, Sql.literal(x)));
                if (!scope.readable(target)) {
                    outsideReads.add(target + ".*");
                }
            }
            for (int q = 0; q < queries.size(); q += 2) {
                String key = queries.get(q).upper();
                Token value = queries.get(q + 1);
                String dbOfQuery = db.map(d -> scope.renamed(d.value()).orElse(d.value())).orElse(own);
                String after;
                try {
                    Check inner = new Check(value.value(), scope, dbOfQuery, outsideReads);
                    if (!key.equals("WHERE") && !(inner.t.get(0).word("SELECT") || inner.t.get(0).word("WITH") || inner.t.get(0).is("("))) {
                        throw new Refused("is not a SELECT");
                    }
                    if (scope.renames()) {
                        SqlReferenceRewriter.Builder rb = SqlReferenceRewriter.builder();
                        scope.databases().forEach(rb::renameDatabase);
                        inner = new Check(rb.build().rewrite(value.value()).sql(), scope, dbOfQuery, outsideReads);
                    }
                    inner.scan(0, inner.t.size());
                    after = inner.rewritten();
                } catch (Refused e) {
                    throw e.outside() ? Refused.outside("has a SOURCE " + key + " that " + e.getMessage())
                            : new Refused("has a SOURCE " + key + " that " + e.getMessage());
                }
                if (!after.equals(value.value())) {
                    edit(value, Sql.literal(after));
                }
            }
        }

        /** @return the index after the token at {@code k}, skipping a parenthesised group as one */
        private int next(int k) {
            return t.get(k).is("(") ? close[k] + 1 : k + 1;
        }

        /** Functions, table functions and table references in {@code [from, to)}. */
        void scan(int from, int to) throws Refused {
            for (int k = from; k < to; k++) {
                Token x = t.get(k);
                if (x.kind() == Kind.WORD && x.name() && is(k + 1, "(") && !(k > 0 && t.get(k - 1).is("."))
                        && !(k >= 2 && t.get(k - 1).is("=") && t.get(k - 2).word("ENGINE"))
                        && !(k >= 2 && t.get(k - 1).is("(") && t.get(k - 2).word("SOURCE"))) {
                    function(k);
                }
                if (x.word("FROM") || x.word("JOIN") && !(k > 0 && t.get(k - 1).word("ARRAY"))) {
                    tables(k + 1, x.word("FROM"));
                } else if (x.word("IN") && k + 1 < to && t.get(k + 1).name() && !is(k + 2, "(")) {
                    reference(k + 1);
                }
            }
        }

        private void function(int k) throws Refused {
            String f = t.get(k).text().toLowerCase(Locale.ROOT);
            if (OUTSIDE_FUNCTIONS.contains(f) || OUTSIDE_PREFIXES.stream().anyMatch(f::startsWith)) {
                throw Refused.outside("calls " + shown(t.get(k).text()) + "(), which reaches beyond the server's own tables (files, URLs, other servers"
                        + " or programs)");
            }
            if (f.startsWith("dictget") || f.startsWith("dicthas") || f.startsWith("dictisin") || f.equals("joinget") || f.equals("joingetornull")) {
                Token first = tok(k + 2);
                if (first.kind() != Kind.STRING || !(is(k + 3, ",") || is(k + 3, ")"))) {
                    throw Refused.outside("calls " + shown(t.get(k).text()) + "() with a name that is not a string");
                }
                qualifiedString(first);
            }
        }

        /** A {@code 'db.name'} string naming a dictionary or table to read: checked, and renamed in place. */
        private void qualifiedString(Token s) {
            String v = s.value();
            int dot = v.indexOf('.');
            if (dot < 0) {
                return;
            }
            String db = v.substring(0, dot);
            Optional<String> to = scope.renamed(db);
            if (to.isPresent()) {
                edit(s, Sql.literal(to.get() + v.substring(dot)));
                db = to.get();
            }
            if (!scope.readable(db)) {
                outsideReads.add(db + v.substring(dot));
            }
        }

        /** The tables after FROM or JOIN (a list after FROM): subqueries, table functions and names. */
        private void tables(int k, boolean list) throws Refused {
            while (k < t.size()) {
                Token x = t.get(k);
                if (x.is("(")) {
                    k = close[k] + 1;
                } else if (x.name() && is(k + 1, "(")) {
                    String f = x.text().toLowerCase(Locale.ROOT);
                    if (!TABLE_FUNCTIONS.contains(f)) {
                        throw Refused.outside("reads through the table function " + shown(x.text()) + "()");
                    }
                    k = close[k + 1] + 1;
                } else if (x.name()) {
                    k = reference(k);
                } else {
                    return;
                }
                if (!list) {
                    return;
                }
                for (int skipped = 0; skipped < 3 && k < t.size() && (t.get(k).word("AS") || t.get(k).word("FINAL")
                        || t.get(k).name() && !CLAUSE_WORDS.contains(t.get(k).upper())); skipped++) {
                    k++;
                }
                if (!is(k, ",")) {
                    return;
                }
                k++;
            }
        }

        /** A table name at {@code k}, qualified or not. @return the index after it */
        private int reference(int k) {
            if (is(k + 1, ".") && k + 2 < t.size() && t.get(k + 2).name()) {
                read(t.get(k).value(), t.get(k + 2).value());
                return k + 3;
            }
            return k + 1;
        }

        private void read(String db, String table) {
            if (!scope.readable(db)) {
                outsideReads.add(db + "." + table);
            }
        }
    }
}
