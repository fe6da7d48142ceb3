package io.arborist.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import io.arborist.clickhouse.internal.Http;
import io.arborist.clickhouse.internal.Sql;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.aspects.DeprecatedModel;
import io.arborist.core.aspects.DeprecatedModels;
import io.arborist.core.aspects.SchemaRenameMap;
import io.arborist.core.aspects.TableRename;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Aspects schema-rename tools on a live server: inspection against a rename map, an apply mode that moves tables
 * with {@code RENAME TABLE} (dry run unless asked, idempotent, with an inverse plan), and the deprecated-model removal
 * with a dependents check.
 *
 * <pre>{@code
 * AspectsSchemaTool tool = AspectsSchemaTool.builder(endpoint).build();   // v1 -> v2 map, newest removal list
 * tool.inspect().forEach(System.out::println);
 * RenamePlan plan = tool.applyRenames(false);                              // dry run: plan.statements(), plan.inverse()
 * }</pre>
 *
 * <p>Dependents come from the server's metadata ({@code system.tables.dependencies_*}) and from the DDL text of every
 * view and materialized view. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class AspectsSchemaTool {
    private final ClickHouseEndpoint endpoint;
    private final SchemaRenameMap renames;
    private final DeprecatedModels deprecated;

    private AspectsSchemaTool(Builder b) {
        this.endpoint = b.endpoint;
        this.renames = b.renames.orElseGet(() -> SchemaRenameMap.bundled(1, 2));
        this.deprecated = b.deprecated.orElseGet(DeprecatedModels::bundledLatest);
    }

    /**
     * @param endpoint the server
     * @return a builder (defaults: the bundled v1→v2 map and the newest bundled removal list)
     */
    public static Builder builder(ClickHouseEndpoint endpoint) {
        return new Builder(endpoint);
    }

    /** @return one status per map entry, in map order */
    public List<RenameStatus> inspect() {
        try (Http http = http()) {
            Meta meta = new Meta(http);
            List<RenameStatus> out = new ArrayList<>();
            for (TableRename e : renames.entries()) {
                boolean oldP = meta.exists(e.oldTable());
                boolean newP = e.newTable().map(meta::exists).orElse(false);
                RenameStatus.State state = e.deprecated() ? RenameStatus.State.DEPRECATED
                        : oldP && !newP ? RenameStatus.State.TO_RENAME
                        : !oldP && newP ? RenameStatus.State.DONE
                        : oldP ? RenameStatus.State.CONFLICT : RenameStatus.State.ABSENT;
                out.add(new RenameStatus(e, oldP, newP, oldP ? meta.dependents(e.oldTable(), Set.of()) : List.of(), state));
            }
            return out;
        }
    }

    /**
     * Plans, and with {@code apply} runs, {@code RENAME TABLE old TO new} for every entry whose old table exists and
     * whose new one does not. A second run finds nothing to do.
     *
     * @param apply run the statements (false: dry run)
     * @return the plan with its inverse
     */
    public RenamePlan applyRenames(boolean apply) {
        List<RenameStatus> status = inspect();
        List<String> statements = new ArrayList<>();
        List<String> inverse = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> newDbs = new LinkedHashSet<>();
        for (RenameStatus s : status) {
            TableRename e = s.entry();
            switch (s.state()) {
                case TO_RENAME -> {
                    String target = e.newTable().orElseThrow();
                    newDbs.add(target.substring(0, target.indexOf('.')));
                    statements.add("RENAME TABLE " + q(e.oldTable()) + " TO " + q(target));
                    inverse.add("RENAME TABLE " + q(target) + " TO " + q(e.oldTable()));
                    if (!s.dependents().isEmpty()) {
                        notes.add(e.oldTable() + " is used by " + s.dependents() + "; they keep the old name and must be rebuilt (dbt run) after the rename");
                    }
                }
                case CONFLICT -> notes.add(e.oldTable() + " and " + e.newTable().orElseThrow() + " both exist; skipped (compare and drop one by hand)");
                case DEPRECATED -> {
                    if (s.oldPresent()) {
                        notes.add(e.oldTable() + " is deprecated with no successor; see remove-deprecated");
                    }
                }
                default -> { }
            }
        }
        List<String> all = new ArrayList<>();
        newDbs.forEach(d -> all.add("CREATE DATABASE IF NOT EXISTS " + Sql.id(d)));
        all.addAll(statements);
        Collections.reverse(inverse);
        if (statements.isEmpty()) {
            return new RenamePlan(List.of(), List.of(), notes, false);
        }
        if (apply) {
            try (Http http = http()) {
                for (String sql : all) {
                    http.execute(sql, Optional.empty());
                }
            }
        }
        return new RenamePlan(all, inverse, notes, apply);
    }

    /**
     * Plans, and with {@code apply} runs, the drops of the removal list for the objects that exist. Refuses to drop
     * an object still used by a view or materialized view outside the list, unless {@code force}.
     *
     * @param apply run the drops (false: dry run)
     * @param force drop even when dependents remain
     * @return the plan
     * @throws ArboristException of kind CONFIGURATION when {@code apply} is set, dependents remain and {@code force} is not
     */
    public RemovalPlan removeDeprecated(boolean apply, boolean force) {
        try (Http http = http()) {
            Meta meta = new Meta(http);
            Set<String> dropped = new LinkedHashSet<>();
            List<String> statements = new ArrayList<>();
            List<DeprecatedModel.DroppedObject> objects = new ArrayList<>();
            for (DeprecatedModel m : deprecated.models()) {
                for (DeprecatedModel.DroppedObject o : m.droppedObjects()) {
                    if (meta.exists(o.qualifiedName())) {
                        objects.add(o);
                        dropped.add(o.qualifiedName());
                    }
                }
            }
            Map<String, List<String>> blockers = new LinkedHashMap<>();
            for (DeprecatedModel.DroppedObject o : objects) {
                String engine = meta.engine(o.qualifiedName());
                statements.add("DROP " + (engine.equals("Dictionary") ? "DICTIONARY" : "TABLE") + " IF EXISTS " + q(o.qualifiedName()));
                List<String> deps = meta.dependents(o.qualifiedName(), dropped);
                if (!deps.isEmpty()) {
                    blockers.put(o.qualifiedName(), deps);
                }
            }
            if (apply && !blockers.isEmpty() && !force) {
                throw new ArboristException(ErrorKind.CONFIGURATION, "refusing to drop deprecated objects still in use: " + blockers
                        + "; rebuild or drop the dependents first, or force");
            }
            if (apply) {
                for (String sql : statements) {
                    http.execute(sql, Optional.empty());
                }
            }
            return new RemovalPlan(statements, blockers, apply && !statements.isEmpty());
        }
    }

    private Http http() {
        return new Http(endpoint, Duration.ofMinutes(10), ErrorKind.CONFIGURATION);
    }

    private static String q(String qualified) {
        int dot = qualified.indexOf('.');
        return Sql.qualified(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    /** A snapshot of the server's tables. */
    private static final class Meta {
        private final Map<String, JsonNode> tables = new LinkedHashMap<>();

        Meta(Http http) {
            for (JsonNode r : http.rows("SELECT database, name, engine, create_table_query, dependencies_database, dependencies_table FROM system.tables"
                    + " WHERE database NOT IN ('system', 'INFORMATION_SCHEMA', 'information_schema')")) {
                tables.put(r.path("database").asText() + "." + r.path("name").asText(), r);
            }
        }

        String engine(String qualified) {
            JsonNode t = tables.get(qualified);
            return t == null ? "" : t.path("engine").asText();
        }

        boolean exists(String qualified) {
            return tables.containsKey(qualified);
        }

        List<String> dependents(String qualified, Set<String> ignore) {
            Set<String> out = new LinkedHashSet<>();
            JsonNode self = tables.get(qualified);
            if (self != null) {
                JsonNode dbs = self.path("dependencies_database");
                JsonNode names = self.path("dependencies_table");
                for (int i = 0; i < names.size(); i++) {
                    out.add(dbs.get(i).asText() + "." + names.get(i).asText());
                }
            }
            int dot = qualified.indexOf('.');
            String bare = qualified;
            String quoted = Sql.qualified(qualified.substring(0, dot), qualified.substring(dot + 1));
            for (Map.Entry<String, JsonNode> t : tables.entrySet()) {
                String engine = t.getValue().path("engine").asText();
                if (!engine.equals("View") && !engine.equals("MaterializedView") || t.getKey().equals(qualified)) {
                    continue;
                }
                String ddl = t.getValue().path("create_table_query").asText();
                if (mentions(ddl, bare) || ddl.contains(quoted)) {
                    out.add(t.getKey());
                }
            }
            out.removeAll(ignore);
            out.remove(qualified);
            return List.copyOf(out);
        }

        private static boolean mentions(String ddl, String name) {
            int at = ddl.indexOf(name);
            while (at >= 0) {
                int end = at + name.length();
                boolean before = at == 0 || !(Character.isLetterOrDigit(ddl.charAt(at - 1)) || ddl.charAt(at - 1) == '_' || ddl.charAt(at - 1) == '.');
                boolean after = end >= ddl.length() || !(Character.isLetterOrDigit(ddl.charAt(end)) || ddl.charAt(end) == '_');
                if (before && after) {
                    return true;
                }
                at = ddl.indexOf(name, at + 1);
            }
            return false;
        }
    }

    /** Collects the tool's settings. */
    public static final class Builder {
        private final ClickHouseEndpoint endpoint;
        private Optional<SchemaRenameMap> renames = Optional.empty();
        private Optional<DeprecatedModels> deprecated = Optional.empty();

        private Builder(ClickHouseEndpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /**
         * @param map the rename map (default: bundled v1→v2)
         * @return this builder
         */
        public Builder renames(SchemaRenameMap map) {
            this.renames = Optional.of(Objects.requireNonNull(map, "map"));
            return this;
        }

        /**
         * @param list the removal list (default: the newest bundled one)
         * @return this builder
         */
        public Builder deprecatedModels(DeprecatedModels list) {
            this.deprecated = Optional.of(Objects.requireNonNull(list, "list"));
            return this;
        }

        /** @return the tool */
        public AspectsSchemaTool build() {
            return new AspectsSchemaTool(this);
        }
    }
}
