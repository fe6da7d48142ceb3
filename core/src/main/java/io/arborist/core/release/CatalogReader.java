package io.arborist.core.release;

import io.arborist.core.internal.Names;
import io.arborist.core.internal.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arborist.core.CatalogException;
import io.arborist.core.aspects.AspectsFacts;
import io.arborist.core.aspects.AspectsLine;
import io.arborist.core.aspects.AspectsRelease;
import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.aspects.DeprecatedModel;
import io.arborist.core.aspects.DeprecatedModels;
import io.arborist.core.aspects.TableRename;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads catalog JSON, merges overlays into a base catalog and binds the result into records, naming the source, the
 * entry and the field in every error.
 */
final class CatalogReader {
    /** The catalog format this code reads. */
    public static final int FORMAT = 2;

    private CatalogReader() {
    }

    /**
     * @param in JSON text
     * @param source name used in error messages
     * @return the parsed tree
     */
    public static ObjectNode parse(InputStream in, String source) {
        try {
            JsonNode node;
            try {
                node = Json.read(in, "catalog " + source);
            } catch (io.arborist.core.ArboristException e) {
                throw new CatalogException(e.getMessage(), e);
            }
            if (node == null || !node.isObject()) {
                throw new CatalogException("catalog " + source + ": expected a JSON object at the top level", null);
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new CatalogException("catalog " + source + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Merges an overlay into a base tree: releases match by {@code name}, Aspects lines by {@code major}, Aspects
     * versions by {@code version}, rename maps by {@code from}/{@code to}; objects merge field by field, anything
     * else is replaced.
     *
     * @param base the base tree (not modified)
     * @param overlay the overlay tree
     * @param source overlay name for errors
     * @return the merged tree
     */
    public static ObjectNode merge(ObjectNode base, ObjectNode overlay, String source) {
        ObjectNode result = base.deepCopy();
        checkFormat(overlay, source);
        overlay.fields().forEachRemaining(e -> {
            switch (e.getKey()) {
                case "format" -> { }
                case "releases" -> result.set("releases", mergeKeyed(result.get("releases"), e.getValue(), "name", source, "releases"));
                case "estimates" -> result.set("estimates", deepMerge(result.get("estimates"), e.getValue()));
                case "aspects" -> {
                    ObjectNode aspects = result.has("aspects") ? (ObjectNode) result.get("aspects") : result.putObject("aspects");
                    if (!e.getValue().isObject()) {
                        throw new CatalogException("catalog " + source + ": field 'aspects' must be an object", null);
                    }
                    e.getValue().fields().forEachRemaining(a -> {
                        switch (a.getKey()) {
                            case "lines" -> aspects.set("lines", mergeKeyed(aspects.get("lines"), a.getValue(), "major", source, "aspects.lines"));
                            case "versions" -> aspects.set("versions", mergeKeyed(aspects.get("versions"), a.getValue(), "version", source, "aspects.versions"));
                            case "renames" -> aspects.set("renames", mergeKeyed(aspects.get("renames"), a.getValue(), "id", source, "aspects.renames"));
                            case "removeDeprecated" -> aspects.set("removeDeprecated",
                                    mergeKeyed(aspects.get("removeDeprecated"), a.getValue(), "id", source, "aspects.removeDeprecated"));
                            default -> throw new CatalogException("catalog " + source + ": unknown field 'aspects." + a.getKey()
                                    + "' (expected lines, versions, renames, removeDeprecated)", null);
                        }
                    });
                }
                default -> throw new CatalogException("catalog " + source + ": unknown top-level field '" + e.getKey()
                        + "' (expected format, estimates, releases, aspects)", null);
            }
        });
        return result;
    }

    private static JsonNode mergeKeyed(JsonNode base, JsonNode overlay, String key, String source, String field) {
        if (!overlay.isArray()) {
            throw new CatalogException("catalog " + source + ": field '" + field + "' must be an array", null);
        }
        ArrayNode out = base != null && base.isArray() ? ((ArrayNode) base).deepCopy() : Json.MAPPER.createArrayNode();
        int index = 0;
        for (JsonNode entry : overlay) {
            if (!entry.isObject() || !entry.hasNonNull(key)) {
                throw new CatalogException("catalog " + source + ": " + field + "[" + index + "]: field '" + key
                        + "' is missing (it identifies the entry to add or correct)", null);
            }
            String id = entry.get(key).asText();
            boolean merged = false;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).path(key).asText().equals(id)) {
                    out.set(i, deepMerge(out.get(i), entry));
                    merged = true;
                    break;
                }
            }
            if (!merged) {
                out.add(entry.deepCopy());
            }
            index++;
        }
        return out;
    }

    private static JsonNode deepMerge(JsonNode base, JsonNode overlay) {
        if (base == null || !base.isObject() || !overlay.isObject()) {
            return overlay.deepCopy();
        }
        ObjectNode out = ((ObjectNode) base).deepCopy();
        overlay.fields().forEachRemaining(e -> out.set(e.getKey(), deepMerge(out.get(e.getKey()), e.getValue())));
        return out;
    }

    private static void checkFormat(ObjectNode root, String source) {
        JsonNode format = root.get("format");
        if (format == null) {
            return;
        }
        if (!format.canConvertToExactIntegral() || format.asInt() != FORMAT) {
            throw new CatalogException("catalog " + source + ": field 'format' is " + format
                    + " but this Arborist reads catalog format " + FORMAT + "; use a matching Arborist version", null);
        }
    }

    /**
     * Binds and validates a whole catalog.
     *
     * @param root the (merged) tree
     * @param source name used in error messages
     * @return the bound catalog
     */
    public static CatalogData bind(ObjectNode root, String source) {
        checkFormat(root, source);
        Obj top = new Obj(root, source, "").allow("format", "checked", "estimates", "releases", "aspects");
        top.required("releases");
        Estimates estimates = top.get("estimates", o -> {
            Map<String, Duration> values = new HashMap<>();
            o.node.fieldNames().forEachRemaining(k -> values.put(k, o.duration(k)));
            return o.wrap(() -> new Estimates(values));
        });
        List<Release> releases = new ArrayList<>(top.list("releases", CatalogReader::release));
        releases.sort(Comparator.comparingInt(Release::ordinal));
        validateReleases(releases, source);
        Set<String> names = new HashSet<>();
        releases.forEach(r -> names.add(r.name().value()));

        Obj aspects = top.obj("aspects").allow("lines", "versions", "renames", "removeDeprecated", "facts");
        Obj factsNode = aspects.obj("facts").allow("inContextMetricsFrom", "cleanupFrom", "clickhouseBackup", "source");
        AspectsFacts facts = factsNode.wrap(() -> new AspectsFacts(factsNode.knownRelease("inContextMetricsFrom", names),
                factsNode.wrap("cleanupFrom", () -> AspectsVersion.parse(factsNode.text("cleanupFrom"))),
                factsNode.text("clickhouseBackup"), factsNode.text("source")));
        List<AspectsLine> lines = aspects.list("lines", o -> line(o, names));
        List<AspectsRelease> versions = new ArrayList<>(aspects.list("versions", o -> aspectsRelease(o, names)));
        versions.sort(Comparator.comparing(AspectsRelease::version));
        Map<String, List<TableRename>> renames = new LinkedHashMap<>();
        for (Map.Entry<String, List<TableRename>> e : aspects.list("renames", CatalogReader::renameMap)) {
            renames.put(e.getKey(), e.getValue());
        }
        Set<Integer> majors = new HashSet<>();
        for (AspectsLine l : lines) {
            if (!majors.add(l.major())) {
                throw new CatalogException("catalog " + source + ": aspects.lines: major " + l.major() + " appears twice", null);
            }
        }
        for (AspectsRelease v : versions) {
            if (!majors.contains(v.version().major())) {
                throw new CatalogException("catalog " + source + ": aspects.versions '" + v.version()
                        + "': no aspects.lines entry for major " + v.version().major(), null);
            }
        }
        return new CatalogData(source, List.copyOf(releases), List.copyOf(lines), List.copyOf(versions),
                Map.copyOf(renames), estimates, facts, top.date("checked"), aspects.list("removeDeprecated", CatalogReader::deprecated));
    }

    private static void validateReleases(List<Release> releases, String source) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < releases.size(); i++) {
            Release r = releases.get(i);
            if (!names.add(r.name().value())) {
                throw new CatalogException("catalog " + source + ": release '" + r.name() + "' appears twice", null);
            }
            if (i > 0) {
                Release prev = releases.get(i - 1);
                if (prev.ordinal() == r.ordinal()) {
                    throw new CatalogException("catalog " + source + ": releases '" + prev.name() + "' and '" + r.name()
                            + "' share ordinal " + r.ordinal(), null);
                }
                if (r.tutor().major() <= prev.tutor().major()) {
                    throw new CatalogException("catalog " + source + ": release '" + r.name() + "': field 'tutor.major' is "
                            + r.tutor().major() + " but must be greater than " + prev.name() + "'s " + prev.tutor().major(), null);
                }
            }
        }
        for (Release r : releases) {
            for (UpgradeAction a : r.leaving()) {
                a.availableFrom().ifPresent(f -> {
                    if (!names.contains(f.value())) {
                        throw new CatalogException("catalog " + source + ": release '" + r.name() + "': action '" + a.id()
                                + "': field 'availableFrom' names unknown release '" + f + "'", null);
                    }
                });
            }
        }
    }

    private static Release release(Obj o) {
        ReleaseName name = o.releaseName("name");
        Obj e = o.entry("release '" + name + "'").allow("name", "ordinal", "released", "branch", "tagPrefix", "points", "tutor",
                "python", "django", "datastores", "images", "leaving", "notes", "theming");
        Obj tutor = e.obj("tutor").allow("major", "pin", "pip");
        TutorLine line = tutor.wrap(() -> new TutorLine(tutor.integer("major"), tutor.tutorVersion("pin"), tutor.text("pip")));
        Obj ds = e.obj("datastores").allow("mysql", "mongodb", "search", "redis");
        Datastores datastores = ds.wrap(() -> new Datastores(ds.text("mysql"), ds.text("mongodb"),
                ds.get("search", s -> s.allow("engine", "version").wrap(() -> new SearchEngine(s.text("engine"), s.text("version")))), ds.optText("redis")));
        return e.wrap(() -> new Release(name, e.integer("ordinal"), e.optDate("released"), e.text("branch"),
                e.text("tagPrefix"), e.list("points", CatalogReader::point), line, e.text("python"), e.optText("django"),
                datastores, e.textList("images"), e.list("leaving", CatalogReader::action), e.textList("notes"), e.optText("theming")));
    }

    private static PointRelease point(Obj o) {
        String name = o.text("name");
        Obj e = o.entry("point '" + name + "'").allow("name", "date", "firstTutor", "lastTutor");
        return e.wrap(() -> new PointRelease(name, e.optDate("date"), e.optTutorVersion("firstTutor"),
                e.optTutorVersion("lastTutor")));
    }

    private static UpgradeAction action(Obj o) {
        String id = o.text("id");
        Obj e = o.entry("action '" + id + "'").allow("id", "title", "kind", "phase", "summary", "migratesData", "k8sManual", "mongo",
                "commands", "k8sCommands", "availableFrom", "required", "backups", "landOn", "performedFrom", "implicitSummary",
                "searchEngine", "rollback", "source");
        Optional<UpgradeAction.MongoUpgrade> mongo = e.node.has("mongo") ? Optional.of(e.get("mongo", m -> {
            m.allow("image", "laterImages", "featureCompatibility", "shell", "confirm");
            Map<TutorVersion, String> later = new HashMap<>();
            if (m.node.has("laterImages")) {
                Obj l = m.obj("laterImages");
                l.node.fieldNames().forEachRemaining(v -> later.put(l.wrap(v, () -> TutorVersion.parse(v)), l.text(v)));
            }
            return m.wrap(() -> new UpgradeAction.MongoUpgrade(m.text("image"), later, m.text("featureCompatibility"), m.text("shell"),
                    m.optBool("confirm", false)));
        })) : Optional.empty();
        Map<Datastore, String> landOn = new HashMap<>();
        if (e.node.has("landOn")) {
            Obj l = e.obj("landOn").allow("mysql", "mongodb");
            l.node.fieldNames().forEachRemaining(k -> landOn.put(Datastore.valueOf(k.toUpperCase(Locale.ROOT)), l.text(k)));
        }
        return e.wrap(() -> new UpgradeAction(id, e.enumValue("kind", ActionKind.class), e.enumValue("phase", ActionPhase.class),
                e.optText("title"), e.text("summary"), e.bool("migratesData"), e.optBool("k8sManual", false), mongo,
                e.commands("commands"), e.node.has("k8sCommands") ? Optional.of(e.commands("k8sCommands")) : Optional.empty(),
                e.optText("availableFrom").map(ReleaseName::new), e.optBool("required", false),
                e.node.has("backups") ? e.list("backups", b -> b.enumValueOf(Datastore.class)) : List.of(), landOn,
                e.optTutorVersion("performedFrom"), e.optText("implicitSummary"), e.optText("searchEngine"),
                e.optText("rollback"), e.text("source")));
    }

    private static AspectsLine line(Obj o, Set<String> releases) {
        int major = o.integer("major");
        Obj e = o.entry("Aspects line " + major).allow("major", "documentedFrom", "documentedTo", "toleratedFrom", "toleratedTo",
                "clickhouse", "requirement", "source");
        return e.wrap(() -> new AspectsLine(major, e.knownRelease("documentedFrom", releases),
                e.optText("documentedTo").map(t -> e.checkKnown("documentedTo", t, releases)),
                e.knownRelease("toleratedFrom", releases),
                e.optText("toleratedTo").map(t -> e.checkKnown("toleratedTo", t, releases)),
                e.text("clickhouse"), e.text("requirement"), e.text("source")));
    }

    private static AspectsRelease aspectsRelease(Obj o, Set<String> releases) {
        String v = o.text("version");
        Obj e = o.entry("Aspects version '" + v + "'").allow("version", "date", "clickhouse", "dbt", "superset", "minRelease", "extraSteps");
        AspectsVersion version = e.wrap("version", () -> AspectsVersion.parse(v));
        return e.wrap(() -> new AspectsRelease(version, e.optDate("date"), e.text("clickhouse"), e.text("dbt"),
                e.text("superset"), e.knownRelease("minRelease", releases),
                e.node.has("extraSteps") ? e.list("extraSteps", s -> new AspectsRelease.ExtraStep(s.allow("summary", "commands").text("summary"),
                        s.commands("commands"))) : List.of()));
    }

    private static DeprecatedModels deprecated(Obj o) {
        String id = o.text("id");
        Obj e = o.entry("removeDeprecated '" + id + "'").allow("id", "source", "models");
        return e.wrap(() -> new DeprecatedModels(id, e.optText("source").orElse(""), e.list("models", m -> {
            m.allow("schema", "name", "type");
            return m.wrap(() -> new DeprecatedModel(m.text("schema"), m.text("name"), DeprecatedModel.Type.parse(m.text("type"))));
        })));
    }

    private static Map.Entry<String, List<TableRename>> renameMap(Obj o) {
        String id = o.text("id");
        Obj e = o.entry("renames '" + id + "'").allow("id", "source", "tables");
        List<TableRename> tables = e.list("tables", t -> t.allow("old", "new", "note").wrap(() -> new TableRename(t.text("old"), t.optText("new"),
                t.optText("note").orElse(""))));
        return Map.entry(id, tables);
    }

    /** A JSON object with its location, for error messages. */
    private static final class Obj {
        final JsonNode node;
        final String source;
        final String where;

        Obj(JsonNode node, String source, String where) {
            this.node = node;
            this.source = source;
            this.where = where;
        }

        Obj entry(String label) {
            int cut = where.lastIndexOf(": ");
            return new Obj(node, source, cut < 0 ? label : where.substring(0, cut + 2) + label);
        }

        /** Rejects fields this entry does not have, so a typo in an overlay is an error rather than ignored. */
        Obj allow(String... fields) {
            if (!node.isObject()) {
                throw new CatalogException("catalog " + source + ": " + where + ": expected an object, got " + node, null);
            }
            java.util.List<String> known = java.util.List.of(fields);
            node.fieldNames().forEachRemaining(f -> {
                if (!known.contains(f)) {
                    String hint = Names.nearest(f, known).map(n -> " (did you mean '" + n + "'?)").orElse("");
                    throw new CatalogException("catalog " + source + ": " + (where.isEmpty() ? "" : where + ": ") + "unknown field '" + f + "'"
                            + hint + "; expected one of " + String.join(", ", known), null);
                }
            });
            return this;
        }

        CatalogException error(String field, String problem) {
            String location = where.isEmpty() ? "" : where + ": ";
            return new CatalogException("catalog " + source + ": " + location + "field '" + field + "' " + problem, null);
        }

        JsonNode required(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                throw error(field, "is missing");
            }
            return v;
        }

        String text(String field) {
            JsonNode v = required(field);
            if (!v.isTextual() || v.asText().isBlank()) {
                throw error(field, "must be a non-empty string, got " + v);
            }
            return v.asText();
        }

        Optional<String> optText(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            return Optional.of(text(field));
        }

        int integer(String field) {
            JsonNode v = required(field);
            if (!v.canConvertToExactIntegral() || !v.isNumber()) {
                throw error(field, "must be an integer, got " + v);
            }
            return v.asInt();
        }

        boolean bool(String field) {
            JsonNode v = required(field);
            if (!v.isBoolean()) {
                throw error(field, "must be true or false, got " + v);
            }
            return v.asBoolean();
        }

        boolean optBool(String field, boolean fallback) {
            return node.hasNonNull(field) ? bool(field) : fallback;
        }

        LocalDate date(String field) {
            required(field);
            return optDate(field).orElseThrow();
        }

        Optional<LocalDate> optDate(String field) {
            return optText(field).map(t -> {
                try {
                    return LocalDate.parse(t);
                } catch (DateTimeParseException ex) {
                    throw error(field, "must be a date like 2024-06-19, got \"" + t + "\"");
                }
            });
        }

        Duration duration(String field) {
            String t = text(field);
            try {
                return Json.duration(t, field);
            } catch (IllegalArgumentException ex) {
                throw new CatalogException("catalog " + source + ": " + (where.isEmpty() ? "" : where + ": ") + ex.getMessage(), null);
            }
        }

        TutorVersion tutorVersion(String field) {
            String t = text(field);
            return wrap(field, () -> TutorVersion.parse(t));
        }

        Optional<TutorVersion> optTutorVersion(String field) {
            return optText(field).map(t -> wrap(field, () -> TutorVersion.parse(t)));
        }

        ReleaseName releaseName(String field) {
            String t = text(field);
            return wrap(field, () -> new ReleaseName(t));
        }

        ReleaseName knownRelease(String field, Set<String> releases) {
            return checkKnown(field, text(field), releases);
        }

        ReleaseName checkKnown(String field, String value, Set<String> releases) {
            if (!releases.contains(value)) {
                throw error(field, "names unknown release \"" + value + "\"");
            }
            return new ReleaseName(value);
        }

        <E extends Enum<E>> E enumValue(String field, Class<E> type) {
            String t = text(field);
            try {
                return Enum.valueOf(type, t.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw error(field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", got \"" + t + "\"");
            }
        }

        <E extends Enum<E>> E enumValueOf(Class<E> type) {
            if (!node.isTextual()) {
                throw new CatalogException("catalog " + source + ": " + where + ": expected a string, got " + node, null);
            }
            try {
                return Enum.valueOf(type, node.asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw new CatalogException("catalog " + source + ": " + where + ": must be one of "
                        + java.util.Arrays.toString(type.getEnumConstants()) + ", got \"" + node.asText() + "\"", null);
            }
        }

        List<String> textList(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw error(field, "must be an array of strings, got " + v);
            }
            List<String> out = new ArrayList<>();
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    throw error(field, "must contain only strings, got " + item);
                }
                out.add(item.asText());
            }
            return out;
        }

        List<List<String>> commands(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw error(field, "must be an array of argv arrays, got " + v);
            }
            List<List<String>> out = new ArrayList<>();
            for (JsonNode argv : v) {
                if (!argv.isArray() || argv.isEmpty()) {
                    throw error(field, "must contain non-empty argv arrays, got " + argv);
                }
                List<String> args = new ArrayList<>();
                for (JsonNode a : argv) {
                    if (!a.isTextual()) {
                        throw error(field, "argv elements must be strings, got " + a);
                    }
                    args.add(a.asText());
                }
                out.add(args);
            }
            return out;
        }

        Obj obj(String field) {
            JsonNode v = required(field);
            if (!v.isObject()) {
                throw error(field, "must be an object, got " + v);
            }
            String label = where.isEmpty() ? field : where + ": " + field;
            return new Obj(v, source, label);
        }

        <T> T get(String field, Function<Obj, T> binder) {
            return binder.apply(obj(field));
        }

        <T> List<T> list(String field, Function<Obj, T> binder) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw error(field, "must be an array, got " + v.getNodeType().toString().toLowerCase(Locale.ROOT));
            }
            List<T> out = new ArrayList<>();
            Iterator<JsonNode> it = v.elements();
            int i = 0;
            while (it.hasNext()) {
                String label = (where.isEmpty() ? "" : where + ": ") + field + "[" + i + "]";
                out.add(binder.apply(new Obj(it.next(), source, label)));
                i++;
            }
            return out;
        }

        <T> T wrap(java.util.function.Supplier<T> build) {
            try {
                return build.get();
            } catch (IllegalArgumentException | NullPointerException ex) {
                throw new CatalogException("catalog " + source + ": " + where + ": " + ex.getMessage(), ex);
            }
        }

        <T> T wrap(String field, java.util.function.Supplier<T> build) {
            try {
                return build.get();
            } catch (IllegalArgumentException ex) {
                throw error(field, "is invalid: " + ex.getMessage());
            }
        }
    }
}
