package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArboristCliTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    /** What one run of the command line produced. */
    record Run(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            status = ArboristCli.execute(o, e, args);
        }
        return new Run(status, out.toString(), err.toString());
    }

    private static Path resource(String name) {
        try {
            return Path.of(ArboristCliTest.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bad input: status 2, one line on stderr without a stack trace, nothing on stdout. */
    private static String assertBadInput(Run r) {
        assertThat(r.status()).as("exit status; stderr: %s", r.err()).isEqualTo(ArboristCli.BAD_INPUT).isEqualTo(2);
        assertThat(r.out()).as("stdout").isEmpty();
        assertThat(r.errLines()).as("stderr lines").hasSize(1);
        assertThat(r.err()).doesNotContain("at io.arborist").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err()).startsWith("arborist: ");
        return r.errLines().get(0);
    }

    // ---------------------------------------------------------------- plan

    @Test
    void plan_koa_to_olive_prints_markdown_with_naive_build_count() {
        Run r = run("plan", "--from", "koa", "--to", "olive");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("# Upgrade plan: koa.3 to olive.4");
        String buildsRow = r.out().lines().filter(l -> l.startsWith("| Image builds")).findFirst().orElseThrow();
        assertThat(buildsRow).contains("| 24 |").contains("| 2 |");
        assertThat(r.out()).contains("Naive").contains("tutor local").contains("olive");
    }

    @Test
    void plan_accepts_lenient_release_forms() {
        Run r = run("plan", "--from", "open-release/koa.3", "--to", "Olive", "--format", "json");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"koa.3\"").contains("\"olive.4\"");
        Run tutor = run("plan", "--from", "12.2.0", "--to", "maple");
        assertThat(tutor.status()).as(tutor.err()).isZero();
        assertThat(tutor.out()).startsWith("# Upgrade plan: lilac.3 to maple.3");
    }

    @Test
    void plan_json_parses_and_has_the_documented_shape() throws IOException {
        Run r = run("plan", "--from", "koa", "--to", "olive", "--format", "json");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode plan = MAPPER.readTree(r.out());
        assertThat(plan.path("from").asText()).isEqualTo("koa");
        assertThat(plan.path("to").asText()).isEqualTo("olive");
        JsonNode steps = plan.path("steps");
        assertThat(steps.isArray()).isTrue();
        assertThat(steps.size()).isGreaterThan(5);
        List<String> kinds = new ArrayList<>();
        for (JsonNode step : steps) {
            String id = step.path("id").asText("?");
            assertThat(step.path("kind").isTextual()).as("kind of %s", id).isTrue();
            assertThat(step.path("release").isTextual()).as("release of %s", id).isTrue();
            assertThat(step.path("release").asText()).as("release of %s", id).isIn("koa", "lilac", "maple", "nutmeg", "olive");
            JsonNode commands = step.path("commands");
            assertThat(commands.isArray()).as("commands of %s", id).isTrue();
            for (JsonNode argv : commands) {
                assertThat(argv.isArray()).as("argv of %s: %s", id, argv).isTrue();
                assertThat(argv.size()).as("argv of %s", id).isPositive();
                argv.forEach(a -> assertThat(a.isTextual()).as("argument in %s", id).isTrue());
            }
            assertThat(step.path("rationale").asText()).as("rationale of %s", id).isNotBlank();
            kinds.add(step.path("kind").asText());
        }
        assertThat(kinds).contains("BACKUP", "BUILD_IMAGES");
        assertThat(kinds.indexOf("BACKUP")).isLessThan(kinds.lastIndexOf("BUILD_IMAGES"));
        assertThat(plan.path("summary").path("naiveImageBuilds").asInt()).isEqualTo(24);
    }

    @Test
    void plan_shell_starts_with_a_shebang() {
        Run r = run("plan", "--from", "koa", "--to", "olive", "--format", "shell");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("#!/bin/sh");
        assertThat(r.out()).contains("tutor");
        Run sh = run("plan", "--from", "koa", "--to", "olive", "--format", "SH");
        assertThat(sh.status()).isZero();
        assertThat(sh.out()).startsWith("#!/bin/sh");
    }

    @Test
    void plan_out_writes_the_file_and_keeps_stdout_empty() throws IOException {
        Path file = dir.resolve("plan.md");
        Run r = run("plan", "--from", "koa", "--to", "olive", "--out", file.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(file).exists();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).startsWith("# Upgrade plan: koa.3 to olive.4");
        assertThat(text).isEqualTo(run("plan", "--from", "koa", "--to", "olive").out());
        assertThat(r.err()).contains(file.toString());
    }

    @Test
    void plan_out_json_file_parses() throws IOException {
        Path file = dir.resolve("plan.json");
        Run r = run("plan", "--from", "koa", "--to", "olive", "--format", "json", "-o", file.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(MAPPER.readTree(file.toFile()).path("to").asText()).isEqualTo("olive");
    }

    @Test
    void plan_with_catalog_overlay_reaches_willow() {
        Run r = run("plan", "--catalog", resource("willow.json").toString(), "--from", "ulmo", "--to", "willow");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("# Upgrade plan: ulmo.3 to willow.2");
        assertThat(r.out()).contains("Verawood").contains("Willow");
    }

    @Test
    void catalog_option_before_the_subcommand_reaches_willow() {
        Run r = run("--catalog", resource("willow.json").toString(), "plan", "--from", "ulmo", "--to", "willow");
        assertThat(r.status()).as("status; stderr: %s", r.err()).isZero();
        assertThat(r.out()).startsWith("# Upgrade plan: ulmo.3 to willow.2");
    }

    @Test
    void plan_to_willow_without_the_overlay_is_an_unknown_release() {
        String line = assertBadInput(run("plan", "--from", "ulmo", "--to", "willow"));
        assertThat(line).contains("willow").contains("verawood");
    }

    // ---------------------------------------------------------------- releases and compat

    @Test
    void releases_prints_the_catalog_table() {
        Run r = run("releases");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Release").contains("Ironwood").contains("Koa").contains("Verawood");
        String verawood = r.out().lines().filter(l -> l.startsWith("Verawood")).findFirst().orElseThrow();
        assertThat(verawood).contains("22.0.0").contains("meilisearch v1.36.0").contains("8.4.9");
        String juniper = r.out().lines().filter(l -> l.startsWith("Juniper")).findFirst().orElseThrow();
        assertThat(juniper.strip()).endsWith("-");
        assertThat(r.out()).contains("release/teak.3").contains("open-release/koa.3");
        assertThat(r.out().indexOf("Ironwood")).isLessThan(r.out().indexOf("Verawood"));
    }

    @Test
    void releases_with_overlay_lists_willow_last() {
        Run r = run("releases", "--catalog", resource("willow.json").toString());
        assertThat(r.status()).as(r.err()).isZero();
        List<String> rows = r.out().lines().filter(l -> l.matches("^[A-Z][a-z]+ +\\d+ .*")).toList();
        assertThat(rows.get(rows.size() - 1)).startsWith("Willow");
        assertThat(r.out()).contains("willow.json");
    }

    @Test
    void compat_prints_the_matrix() {
        Run r = run("compat");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).contains("Aspects").contains("Nutmeg").contains("Verawood");
        String one = lines.stream().filter(l -> l.startsWith("1.x")).findFirst().orElseThrow();
        String four = lines.stream().filter(l -> l.startsWith("4.x")).findFirst().orElseThrow();
        assertThat(one).contains("yes").contains("tolerated").contains("1.3.2");
        assertThat(four).contains("4.0.0 (announced)").contains("yes");
        assertThat(lines.stream().filter(l -> l.matches("^[1-4]\\.x .*")).count()).isEqualTo(4);
        // the 3.x row: Ulmo documented, Verawood tolerated (the last two columns)
        String three = lines.stream().filter(l -> l.startsWith("3.x")).findFirst().orElseThrow();
        List<String> cells = List.of(three.strip().split("\\s+"));
        assertThat(cells.subList(cells.size() - 2, cells.size())).containsExactly("yes", "tolerated");
    }

    @Test
    void help_and_no_command() {
        Run help = run("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("plan").contains("releases").contains("compat");
        String line = assertBadInput(run());
        assertThat(line).contains("plan");
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void unknown_release_is_bad_input_with_suggestion() {
        String line = assertBadInput(run("plan", "--from", "liliac", "--to", "olive"));
        assertThat(line).contains("liliac").contains("Did you mean 'lilac'?");
    }

    @Test
    void downgrade_is_bad_input() {
        String line = assertBadInput(run("plan", "--from", "olive", "--to", "koa"));
        assertThat(line).containsIgnoringCase("downgrade");
    }

    @Test
    void unknown_mode_is_bad_input() {
        String line = assertBadInput(run("plan", "--from", "koa", "--to", "olive", "--mode", "docker"));
        assertThat(line).contains("docker").contains("k8s");
    }

    @Test
    void unknown_format_is_bad_input() {
        String line = assertBadInput(run("plan", "--from", "koa", "--to", "olive", "--format", "xml"));
        assertThat(line).contains("xml").contains("markdown");
    }

    @Test
    void unknown_strategy_is_bad_input() {
        String line = assertBadInput(run("plan", "--from", "koa", "--to", "olive", "--strategy", "fast"));
        assertThat(line).contains("fast").contains("waypoints");
    }

    @Test
    void aspects_to_without_aspects_is_bad_input() {
        String line = assertBadInput(run("plan", "--from", "redwood", "--to", "sumac", "--aspects-to", "2.5.3"));
        assertThat(line).contains("Aspects");
    }

    @Test
    void incompatible_aspects_target_is_bad_input() {
        String line = assertBadInput(run("plan", "--from", "ulmo", "--to", "verawood", "--aspects", "3.0.0",
                "--aspects-to", "3.0.3"));
        assertThat(line).contains("3.0.3").contains("Verawood");
    }

    @Test
    void unknown_aspects_version_is_bad_input() {
        String line = assertBadInput(run("plan", "--from", "sumac", "--to", "teak", "--aspects", "2.5.3",
                "--aspects-to", "2.9.9"));
        assertThat(line).contains("2.9.9");
    }

    @Test
    void missing_to_is_bad_input() {
        String line = assertBadInput(run("plan", "--from", "koa"));
        assertThat(line).contains("--to");
    }

    @Test
    void unknown_option_is_bad_input() {
        String line = assertBadInput(run("plan", "--from", "koa", "--to", "olive", "--frobnicate"));
        assertThat(line).contains("--frobnicate");
    }

    @Test
    void malformed_catalog_is_bad_input_naming_file_and_line() throws IOException {
        Path file = dir.resolve("broken-catalog.json");
        Files.writeString(file, "{\n  \"releases\": [\n    {\"name\": \"willow\",,}\n  ]\n}\n");
        String line = assertBadInput(run("plan", "--catalog", file.toString(), "--from", "koa", "--to", "olive"));
        assertThat(line).contains("broken-catalog.json").contains("line 3");
    }

    @Test
    void catalog_with_a_bad_field_is_bad_input_naming_entry_and_field() throws IOException {
        Path file = dir.resolve("bad-ordinal.json");
        String willow = Files.readString(resource("willow.json")).replace("\"ordinal\": 24", "\"ordinal\": \"24th\"");
        Files.writeString(file, willow);
        String line = assertBadInput(run("releases", "--catalog", file.toString()));
        assertThat(line).contains("bad-ordinal.json").contains("release 'willow'").contains("'ordinal'");
    }

    @Test
    void missing_catalog_file_is_bad_input_naming_the_path() {
        Path file = dir.resolve("absent.json");
        String line = assertBadInput(run("compat", "--catalog", file.toString()));
        assertThat(line).contains(file.toString());
    }

    @Test
    void garbage_release_text_is_bad_input() {
        String line = assertBadInput(run("plan", "--from", "1.2.3.4.5", "--to", "olive"));
        assertThat(line).contains("1.2.3.4.5");
    }
}
