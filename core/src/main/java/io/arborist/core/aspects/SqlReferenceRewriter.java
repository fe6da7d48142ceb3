package io.arborist.core.aspects;

import io.arborist.core.aspects.SqlLexer.Kind;
import io.arborist.core.aspects.SqlLexer.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Rewrites table references in custom dbt models and Superset dataset SQL from old Aspects names to new ones, and
 * reports references to deprecated models. Works on tokens, not regular expressions: string literals and comments
 * are never touched, except the string arguments of dbt's {@code ref('…')} and {@code source('…', '…')}.
 *
 * <pre>{@code
 * SqlReferenceRewriter rw = SqlReferenceRewriter.builder().renames(SchemaRenameMap.bundled(1, 2)).build();
 * RewriteResult r = rw.rewrite("select * from xapi.responses");   // select * from reporting.dim_learner_response_attempt
 * r.deprecated().forEach(System.out::println);
 * }</pre>
 *
 * <p>What is rewritten:
 * <ul>
 *   <li>qualified names {@code schema.table} in any quoting ({@code `xapi`.`responses`}, {@code "xapi"."responses"});
 *       each part keeps its own quoting; a name preceded by a dot ({@code a.schema.table}) is left alone;</li>
 *   <li>{@code ref('name')} and {@code ref('package', 'name')} when exactly one old table has that name;</li>
 *   <li>{@code source('schema', 'table')}: both arguments;</li>
 *   <li>with {@link Builder#renameDatabase(String, String)}: the database part of every qualified name.</li>
 * </ul>
 * Unqualified table names are not rewritten (they depend on the session's database) and are not reported.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class SqlReferenceRewriter {
    private final SchemaRenameMap renames;
    private final Map<String, String> databases;
    private final Optional<DeprecatedModels> alsoDeprecated;

    private SqlReferenceRewriter(Builder b) {
        this.renames = b.renames;
        this.databases = Map.copyOf(b.databases);
        this.alsoDeprecated = b.alsoDeprecated;
    }

    /** @return a builder with no renames */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this rewriter's settings */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.renames = renames;
        b.databases.putAll(databases);
        b.alsoDeprecated = alsoDeprecated;
        return b;
    }

    /**
     * @param sql the text to rewrite
     * @return the rewritten text with what changed and what is deprecated
     */
    public RewriteResult rewrite(String sql) {
        Objects.requireNonNull(sql, "sql");
        List<Token> all = SqlLexer.tokenize(sql);
        List<Token> toks = all.stream().filter(Token::significant).toList();
        List<Edit> edits = new ArrayList<>();
        List<Replacement> replacements = new ArrayList<>();
        List<DeprecatedReference> deprecated = new ArrayList<>();
        for (int i = 0; i < toks.size(); i++) {
            Token t = toks.get(i);
            if (t.kind() == Kind.WORD && (t.text().equals("ref") || t.text().equals("source")) && i + 1 < toks.size() && toks.get(i + 1).is("(")) {
                int consumed = dbtCall(sql, toks, i, edits, replacements, deprecated);
                if (consumed > 0) {
                    i += consumed - 1;
                    continue;
                }
            }
            if (isIdent(t) && i + 2 < toks.size() && toks.get(i + 1).is(".") && isIdent(toks.get(i + 2))
                    && adjacent(t, toks.get(i + 1)) && adjacent(toks.get(i + 1), toks.get(i + 2))
                    && !(i > 0 && toks.get(i - 1).is(".") && adjacent(toks.get(i - 1), t))) {
                qualified(sql, t, toks.get(i + 2), edits, replacements, deprecated);
                i += 2;
            }
        }
        StringBuilder out = new StringBuilder(sql.length() + 64);
        int at = 0;
        for (Edit e : edits) {
            out.append(sql, at, e.start).append(e.text);
            at = e.end;
        }
        out.append(sql.substring(at));
        return new RewriteResult(out.toString(), replacements, deprecated);
    }

    private void qualified(String sql, Token schemaTok, Token tableTok, List<Edit> edits, List<Replacement> replacements,
                           List<DeprecatedReference> deprecated) {
        String schema = SqlLexer.unquote(schemaTok);
        String table = SqlLexer.unquote(tableTok);
        String before = sql.substring(schemaTok.start(), tableTok.end());
        Optional<TableRename> entry = renames.find(schema + "." + table);
        if (entry.isPresent() && entry.get().deprecated()) {
            deprecated.add(new DeprecatedReference(schemaTok.line(), schemaTok.column(), before, entry.get().oldTable(),
                    "deprecated in Aspects " + renames.toMajor() + " with no successor"));
            return;
        }
        String newSchema = schema;
        String newTable = table;
        String note = "";
        if (entry.isPresent()) {
            String target = entry.get().newTable().orElseThrow();
            newSchema = target.substring(0, target.indexOf('.'));
            newTable = target.substring(target.indexOf('.') + 1);
            note = entry.get().note();
        }
        newSchema = databases.getOrDefault(newSchema, newSchema);
        if (newSchema.equals(schema) && newTable.equals(table)) {
            checkAlsoDeprecated(schemaTok, before, schema + "." + table, deprecated);
            return;
        }
        String after = SqlLexer.quoteLike(schemaTok, newSchema) + "." + SqlLexer.quoteLike(tableTok, newTable);
        edits.add(new Edit(schemaTok.start(), tableTok.end(), after));
        replacements.add(new Replacement(schemaTok.line(), schemaTok.column(), before, after, note));
        checkAlsoDeprecated(schemaTok, before, newSchema + "." + newTable, deprecated);
    }

    /** Handles {@code ref(…)} or {@code source(…)} at {@code i}; returns the tokens consumed, or 0 when it is not a dbt call. */
    private int dbtCall(String sql, List<Token> toks, int i, List<Edit> edits, List<Replacement> replacements,
                        List<DeprecatedReference> deprecated) {
        List<Token> args = new ArrayList<>();
        int j = i + 2;
        while (j < toks.size() && toks.get(j).kind() == Kind.STRING) {
            args.add(toks.get(j));
            j++;
            if (j < toks.size() && toks.get(j).is(",")) {
                j++;
            } else {
                break;
            }
        }
        if (j >= toks.size() || !toks.get(j).is(")") || args.isEmpty() || args.size() > 2) {
            return 0;
        }
        Token call = toks.get(i);
        String before = sql.substring(call.start(), toks.get(j).end());
        boolean isRef = call.text().equals("ref");
        if (!isRef && args.size() != 2) {
            return 0;
        }
        Optional<TableRename> entry;
        if (isRef) {
            entry = renames.findByTable(SqlLexer.unquote(args.get(args.size() - 1)));
        } else {
            entry = renames.find(SqlLexer.unquote(args.get(0)) + "." + SqlLexer.unquote(args.get(1)));
        }
        if (entry.isEmpty()) {
            if (!isRef) {
                checkAlsoDeprecated(call, before, SqlLexer.unquote(args.get(0)) + "." + SqlLexer.unquote(args.get(1)), deprecated);
            }
            return j - i + 1;
        }
        if (entry.get().deprecated()) {
            deprecated.add(new DeprecatedReference(call.line(), call.column(), before, entry.get().oldTable(),
                    "deprecated in Aspects " + renames.toMajor() + " with no successor"));
            return j - i + 1;
        }
        String target = entry.get().newTable().orElseThrow();
        String newSchema = target.substring(0, target.indexOf('.'));
        String newTable = target.substring(target.indexOf('.') + 1);
        Token nameTok = args.get(args.size() - 1);
        edits.add(new Edit(nameTok.start(), nameTok.end(), requote(nameTok, newTable)));
        if (!isRef) {
            edits.add(edits.size() - 1, new Edit(args.get(0).start(), args.get(0).end(), requote(args.get(0), newSchema)));
        }
        StringBuilder after = new StringBuilder();
        int at = call.start();
        for (Token a : isRef ? List.of(nameTok) : args) {
            after.append(sql, at, a.start()).append(requote(a, a == nameTok ? newTable : newSchema));
            at = a.end();
        }
        after.append(sql, at, toks.get(j).end());
        replacements.add(new Replacement(call.line(), call.column(), before, after.toString(), entry.get().note()));
        checkAlsoDeprecated(call, before, target, deprecated);
        return j - i + 1;
    }

    private void checkAlsoDeprecated(Token at, String before, String qualified, List<DeprecatedReference> deprecated) {
        alsoDeprecated.flatMap(list -> list.find(qualified)).ifPresent(m -> deprecated.add(new DeprecatedReference(at.line(), at.column(),
                before, m.qualifiedName(), "in the remove_deprecated_models list " + alsoDeprecated.get().id())));
    }

    private static String requote(Token stringTok, String value) {
        char q = stringTok.text().charAt(0);
        return q + value + q;
    }

    private static boolean isIdent(Token t) {
        return (t.kind() == Kind.WORD && !Character.isDigit(t.text().charAt(0))) || t.kind() == Kind.QUOTED_IDENT;
    }

    private static boolean adjacent(Token a, Token b) {
        return a.end() == b.start();
    }

    private record Edit(int start, int end, String text) { }

    /** Collects a rewriter's settings. Not thread-safe. */
    public static final class Builder {
        private SchemaRenameMap renames = new SchemaRenameMap(0, 0, List.of());
        private final Map<String, String> databases = new LinkedHashMap<>();
        private Optional<DeprecatedModels> alsoDeprecated = Optional.empty();

        private Builder() {
        }

        /**
         * @param map the table moves to apply (default: none)
         * @return this builder
         */
        public Builder renames(SchemaRenameMap map) {
            this.renames = Objects.requireNonNull(map, "map");
            return this;
        }

        /**
         * Renames the database part of every qualified name (applied after the table map).
         *
         * @param from old database
         * @param to new database
         * @return this builder
         */
        public Builder renameDatabase(String from, String to) {
            databases.put(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to"));
            return this;
        }

        /**
         * Also reports references (after rewriting) to models in a removal list, e.g. v2 names dropped in 2.5
         * (default: not checked).
         *
         * @param list the removal list
         * @return this builder
         */
        public Builder alsoDeprecated(DeprecatedModels list) {
            this.alsoDeprecated = Optional.of(Objects.requireNonNull(list, "list"));
            return this;
        }

        /** @return the rewriter */
        public SqlReferenceRewriter build() {
            return new SqlReferenceRewriter(this);
        }
    }
}
