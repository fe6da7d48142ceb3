package io.arborist.core.report;

import io.arborist.core.internal.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** JSON of snapshots (format 1) and comparisons. */
final class SnapshotJson {
    private SnapshotJson() {
    }

    /** @param s a snapshot @return its JSON */
    public static String write(Snapshot s) {
        return text(tree(s));
    }

    private static ObjectNode tree(Snapshot s) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("format", 1);
        o.put("kind", "arborist-snapshot");
        o.put("takenAt", s.takenAt().toString());
        o.put("source", s.source());
        ArrayNode m = o.putArray("measures");
        for (Measure x : s.measures()) {
            ObjectNode e = m.addObject();
            e.put("area", x.area());
            e.put("key", x.key());
            e.put("value", x.value());
        }
        ArrayNode t = o.putArray("missingTables");
        s.missingTables().forEach(t::add);
        return o;
    }

    /** @param json snapshot JSON @return the snapshot */
    public static Snapshot read(String json) {
        JsonNode o = Json.read(json, "snapshot");
        if (o == null || !"arborist-snapshot".equals(o.path("kind").asText()) || o.path("format").asInt() != 1) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "snapshot: not an Arborist snapshot (format 1): expected \"kind\": "
                    + "\"arborist-snapshot\". Take one with 'arborist snapshot'.");
        }
        try {
            List<Measure> measures = new ArrayList<>();
            for (JsonNode e : o.path("measures")) {
                long value = Json.exactLong(e.get("value")).orElseThrow(() -> new IllegalArgumentException("measure '"
                        + Json.shorten(e.path("key").asText()) + "' has value " + Json.shorten(String.valueOf(e.get("value")))
                        + ", not a whole number that fits in 64 bits"));
                measures.add(new Measure(e.path("area").asText(), e.path("key").asText(), value));
            }
            List<String> missing = new ArrayList<>();
            o.path("missingTables").forEach(t -> missing.add(t.asText()));
            return new Snapshot(Instant.parse(o.path("takenAt").asText()), o.path("source").asText(), measures, missing);
        } catch (RuntimeException e) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "snapshot: " + e.getMessage(), e);
        }
    }

    /** @param c a comparison @return its JSON */
    public static String writeComparison(SnapshotComparison c) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("format", 1);
        o.put("kind", "arborist-comparison");
        o.put("loss", c.hasLoss());
        o.set("before", tree(c.before()).without("measures"));
        o.set("after", tree(c.after()).without("measures"));
        ArrayNode ds = o.putArray("differences");
        for (Difference d : c.differences()) {
            ObjectNode e = ds.addObject();
            e.put("area", d.area());
            e.put("key", d.key());
            e.put("before", d.before());
            e.put("after", d.after());
            e.put("change", d.change().name());
        }
        return text(o);
    }

    private static String text(JsonNode o) {
        try {
            return Json.MAPPER.writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON cannot be written", e);
        }
    }
}
