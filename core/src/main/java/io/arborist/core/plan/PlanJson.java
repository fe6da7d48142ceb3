package io.arborist.core.plan;

import io.arborist.core.internal.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.release.Datastore;
import io.arborist.core.release.ReleaseName;
import io.arborist.core.release.ReleasePoint;
import io.arborist.core.release.TutorVersion;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Plan JSON, format 2: written with a stable field order, read back into equal records. */
final class PlanJson {
    /** The plan format this code writes and reads. */
    public static final int FORMAT = 2;

    private PlanJson() {
    }

    /**
     * @param plan a plan
     * @return its JSON
     */
    public static String write(UpgradePlan plan) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("from", plan.from().release().release().value());
        root.put("to", plan.to().release().release().value());
        root.put("strategy", plan.strategy().word());
        plan.catalogChecked().ifPresent(c -> root.put("catalogChecked", c.toString()));
        root.put("mode", plan.from().mode().word());
        ObjectNode inst = root.putObject("installation");
        Installation i = plan.from();
        inst.put("release", i.release().toString());
        i.tutor().ifPresent(t -> inst.put("tutor", t.toString()));
        inst.put("mode", i.mode().word());
        i.aspects().ifPresent(a -> {
            ObjectNode o = inst.putObject("aspects");
            o.put("version", a.version().toString());
            o.put("inContextMetrics", a.inContextMetrics());
        });
        inst.put("customTheme", i.customTheme());
        inst.put("customRequirements", i.customRequirements());
        i.themeName().ifPresent(t -> inst.put("themeName", t));
        ArrayNode plugins = inst.putArray("plugins");
        i.plugins().forEach(plugins::add);
        ObjectNode ds = inst.putObject("datastores");
        new TreeMap<>(i.datastores()).forEach((k, v) -> ds.put(k.name().toLowerCase(Locale.ROOT), v));
        ObjectNode target = root.putObject("target");
        target.put("release", plan.to().release().toString());
        plan.to().aspects().ifPresent(a -> target.put("aspects", a.toString()));
        PlanSummary s = plan.summary();
        ObjectNode sum = root.putObject("summary");
        sum.put("hops", s.hops());
        sum.put("releasesCrossed", s.releasesCrossed());
        sum.put("imageBuilds", s.imageBuilds());
        sum.put("imagePulls", s.imagePulls());
        sum.put("buildTime", s.buildTime().toString());
        sum.put("estimate", s.estimate().toString());
        sum.put("estimateHours", Math.round(s.estimate().toMinutes() / 6.0) / 10.0);
        EstimateRange range = plan.estimateRange();
        sum.put("estimateLow", range.low().toString());
        sum.put("estimateHigh", range.high().toString());
        sum.put("naivePointReleases", s.naivePointReleases());
        sum.put("naiveImageBuilds", s.naiveImageBuilds());
        sum.put("naiveBuildTime", s.naiveBuildTime().toString());
        ArrayNode warnings = root.putArray("warnings");
        plan.warnings().forEach(warnings::add);
        ArrayNode steps = root.putArray("steps");
        for (UpgradeStep step : plan.steps()) {
            ObjectNode o = steps.addObject();
            o.put("id", step.id());
            o.put("kind", step.kind().name());
            o.put("release", step.release().value());
            o.put("title", step.title());
            if (step instanceof ManualStep m) {
                o.put("manual", true);
                ArrayNode items = o.putArray("instructions");
                m.instructions().forEach(items::add);
            }
            ArrayNode cmds = o.putArray("commands");
            for (List<String> argv : step.commands()) {
                ArrayNode a = cmds.addArray();
                argv.forEach(a::add);
            }
            o.put("rationale", step.rationale());
            o.put("estimate", step.estimate().toString());
            EstimateSource source = plan.estimateSource(step.id());
            if (source instanceof EstimateSource.Measured m) {
                ObjectNode measured = o.putObject("measured");
                measured.put("stagingStep", m.stagingStep());
                measured.put("took", m.took().toString());
                measured.put("scale", m.scale());
            }
            o.put("migratesData", step.migratesData());
            step.coveredBy().ifPresent(c -> o.put("coveredBy", c));
            step.rollback().ifPresent(r -> o.put("rollback", r));
            if (step instanceof BackupStep b) {
                ArrayNode t = o.putArray("targets");
                b.targets().forEach(x -> t.add(x.name()));
                ArrayNode c = o.putArray("covers");
                b.covers().forEach(c::add);
                o.put("keepUntilPlanCompletes", true);
            }
        }
        try {
            return Json.MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plan JSON cannot be written", e);
        }
    }

    /**
     * @param json plan JSON
     * @return the plan
     */
    public static UpgradePlan read(String json) {
        JsonNode root = Json.read(json, "plan");
        if (root == null || !root.isObject()) {
            throw bad("the top level", "must be an object");
        }
        int format = root.path("format").asInt(-1);
        if (format != FORMAT && format != 1) {
            throw bad("format", "is " + root.path("format") + "; this Arborist reads plan formats 1 and " + FORMAT);
        }
        try {
            JsonNode inst = need(root, "installation");
            Installation installation = new Installation(parsePoint(text(inst, "release")),
                    opt(inst, "tutor").map(TutorVersion::parse), DeploymentMode.parse(text(inst, "mode")),
                    inst.has("aspects") ? Optional.of(new AspectsSetup(AspectsVersion.parse(text(inst.get("aspects"), "version")),
                            inst.get("aspects").path("inContextMetrics").asBoolean(false))) : Optional.empty(),
                    inst.path("customTheme").asBoolean(false), opt(inst, "themeName"), strings(inst, "plugins"), datastores(inst),
                    inst.path("customRequirements").asBoolean(false));
            JsonNode tgt = need(root, "target");
            Target target = new Target(parsePoint(text(tgt, "release")), opt(tgt, "aspects").map(AspectsVersion::parse));
            JsonNode s = need(root, "summary");
            PlanSummary summary = new PlanSummary(s.path("hops").asInt(), s.path("releasesCrossed").asInt(), s.path("imageBuilds").asInt(),
                    s.path("imagePulls").asInt(0), opt(s, "buildTime").map(t -> Json.duration(t, "summary.buildTime")).orElse(Duration.ZERO),
                    Json.duration(text(s, "estimate"), "summary.estimate"), s.path("naivePointReleases").asInt(),
                    s.path("naiveImageBuilds").asInt(), Json.duration(text(s, "naiveBuildTime"), "summary.naiveBuildTime"));
            List<UpgradeStep> steps = new ArrayList<>();
            Map<String, EstimateSource.Measured> measured = new HashMap<>();
            int index = 0;
            for (JsonNode st : need(root, "steps")) {
                UpgradeStep step = step(st, index);
                steps.add(step);
                JsonNode m = st.get("measured");
                if (m != null && !m.isNull()) {
                    String where = "steps[" + index + "].measured";
                    measured.put(step.id(), new EstimateSource.Measured(text(m, "stagingStep", where),
                            Json.duration(text(m, "took", where), where + ".took"), m.path("scale").asDouble(1.0)));
                }
                index++;
            }
            return new UpgradePlan(installation, target, Strategy.parse(text(root, "strategy")), steps, strings(root, "warnings"), summary,
                    opt(root, "catalogChecked").map(LocalDate::parse), measured);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "plan: " + e.getMessage(), e);
        }
    }

    private static UpgradeStep step(JsonNode st, int index) {
        String where = "steps[" + index + "]";
        String id = text(st, "id", where);
        StepKind kind;
        try {
            kind = StepKind.valueOf(text(st, "kind", where));
        } catch (IllegalArgumentException e) {
            throw bad(where + ".kind", "is " + st.get("kind") + ", not one of " + java.util.Arrays.toString(StepKind.values()));
        }
        ReleaseName release = new ReleaseName(text(st, "release", where));
        String title = text(st, "title", where);
        String rationale = text(st, "rationale", where);
        Duration estimate = Json.duration(text(st, "estimate", where), where + ".estimate");
        if (kind == StepKind.BACKUP) {
            List<BackupTarget> targets = strings(st, "targets").stream().map(BackupTarget::valueOf).toList();
            return new BackupStep(id, release, title, targets, strings(st, "covers"), rationale, estimate);
        }
        List<List<String>> commands = new ArrayList<>();
        for (JsonNode argv : st.path("commands")) {
            List<String> args = new ArrayList<>();
            argv.forEach(a -> args.add(a.asText()));
            commands.add(args);
        }
        Optional<String> rollback = opt(st, "rollback");
        Optional<String> coveredBy = opt(st, "coveredBy");
        boolean migrates = st.path("migratesData").asBoolean(false);
        if (st.path("manual").asBoolean(false)) {
            return ManualStep.builder(id, kind, release).title(title).instructions(strings(st, "instructions")).commands(commands)
                    .rationale(rationale).estimate(estimate).rollback(rollback).migratesData(migrates, coveredBy).build();
        }
        return CommandStep.builder(id, kind, release).title(title).commands(commands).rationale(rationale).estimate(estimate)
                .rollback(rollback).migratesData(migrates, coveredBy).build();
    }

    private static ReleasePoint parsePoint(String text) {
        int dot = text.indexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("release must look like koa.3, got '" + text + "'");
        }
        return ReleasePoint.of(text.substring(0, dot), text.substring(dot + 1));
    }

    private static Map<Datastore, String> datastores(JsonNode inst) {
        Map<Datastore, String> out = new EnumMap<>(Datastore.class);
        inst.path("datastores").fields().forEachRemaining(e -> out.put(Datastore.valueOf(e.getKey().toUpperCase(Locale.ROOT)), e.getValue().asText()));
        return out;
    }

    private static JsonNode need(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw bad(field, "is missing");
        }
        return v;
    }

    private static String text(JsonNode node, String field) {
        return text(node, field, "");
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw bad((where.isEmpty() ? "" : where + ".") + field, v == null ? "is missing" : "must be a string, got " + v);
        }
        return v.asText();
    }

    private static Optional<String> opt(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        node.path(field).forEach(v -> out.add(v.asText()));
        return out;
    }

    private static ArboristException bad(String field, String problem) {
        return new ArboristException(ErrorKind.CONFIGURATION, "plan: field '" + field + "' " + problem
                + ". Write plans with 'arborist plan --format json' or UpgradePlan.toJson().");
    }
}
