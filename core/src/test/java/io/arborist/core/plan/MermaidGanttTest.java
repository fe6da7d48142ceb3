package io.arborist.core.plan;

import static io.arborist.core.plan.Plans.aspects;
import static io.arborist.core.plan.Plans.at;
import static io.arborist.core.plan.Plans.stepwise;
import static io.arborist.core.plan.Plans.to;
import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.internal.Shell;
import io.arborist.core.release.ReleaseName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Markdown plan's Mermaid block, parsed back with a small parser of the gantt syntax (the lexer rules of Mermaid's
 * gantt grammar: a task is text without {@code # : ;} then {@code :} and comma-separated data; {@code #} and
 * {@code %%} start comments; keywords are case-insensitive and recognised at the start of a line).
 */
class MermaidGanttTest {
    private static final Set<String> KEYWORDS = Set.of("gantt", "title", "section", "dateformat", "axisformat", "tickinterval",
            "includes", "excludes", "todaymarker", "weekday", "click", "call", "href", "topaxis", "inclusiveenddates", "acctitle",
            "accdescr", "accdescription");
    private static final Set<String> TAGS = Set.of("active", "done", "crit", "milestone");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(h|m|s)");

    record Task(String section, String text, List<String> tags, String id, String start, Duration length) {
    }

    record Gantt(String title, List<String> sections, List<Task> tasks) {
        List<Task> steps() {
            return tasks.stream().filter(t -> !t.tags().contains("milestone")).toList();
        }
    }

    @Test
    void one_task_per_step_in_a_section_per_hop_and_the_durations_add_up_to_the_total() {
        UpgradePlan plan = stepwise(at("koa"), to("olive"));
        Gantt g = parse(plan.toMarkdown());

        assertThat(g.sections()).containsExactly("Koa", "Lilac", "Maple", "Nutmeg", "Olive", "Total");
        assertThat(g.steps()).hasSize(plan.steps().size());
        Duration sum = g.steps().stream().map(Task::length).reduce(Duration.ZERO, Duration::plus);
        assertThat(sum).isEqualTo(plan.summary().estimate()).isEqualTo(Duration.ofMinutes(294));
        Task total = g.tasks().get(g.tasks().size() - 1);
        assertThat(total.tags()).containsExactly("milestone");
        assertThat(total.text()).contains("about " + Shell.human(sum));
        assertThat(total.start()).isEqualTo("after " + g.steps().get(g.steps().size() - 1).id());
        assertThat(g.title()).contains("koa.3 to olive.4", "about 4 h 54 min");

        for (int i = 0; i < plan.steps().size(); i++) {
            UpgradeStep step = plan.steps().get(i);
            Task t = g.steps().get(i);
            assertThat(t.text()).startsWith(String.format(Locale.ROOT, "%02d ", i + 1));
            assertThat(t.length()).as(step.id()).isEqualTo(step.estimate());
            assertThat(t.start()).isEqualTo(i == 0 ? "00:00" : "after " + g.steps().get(i - 1).id());
            assertThat(t.section()).isEqualTo(Character.toUpperCase(step.release().value().charAt(0)) + step.release().value().substring(1));
            String expected = step.kind() == StepKind.BACKUP ? "active"
                    : step.kind() == StepKind.BUILD_IMAGES || step.kind() == StepKind.PULL_IMAGES ? "done"
                    : step.migratesData() ? "crit" : null;
            assertThat(t.tags()).as(step.id()).isEqualTo(expected == null ? List.of() : List.of(expected));
        }
        assertThat(g.steps()).extracting(Task::tags).contains(List.of("active"), List.of("done"), List.of("crit"), List.of());
    }

    @Test
    void aspects_steps_and_seconds_parse_too() {
        UpgradePlan plan = stepwise(at("olive").withAspects(aspects("1.3.2")), to("ulmo").withAspects(AspectsVersion.parse("3.0.3")));
        UpgradePlan calibrated = plan.calibrated(Calibration.of(List.of(
                Measurement.of("09-palm-launch", StepKind.LAUNCH, new ReleaseName("palm"), Duration.ofSeconds(487))))
                .withScale(BackupTarget.MYSQL, 3.2));
        for (UpgradePlan p : List.of(plan, calibrated)) {
            Gantt g = parse(p.toMarkdown());
            assertThat(g.steps()).hasSize(p.steps().size());
            assertThat(g.steps().stream().map(Task::length).reduce(Duration.ZERO, Duration::plus)).isEqualTo(p.summary().estimate());
            assertThat(g.sections()).containsExactly("Olive", "Palm", "Quince", "Redwood", "Sumac", "Teak", "Ulmo", "Total");
        }
        assertThat(parse(calibrated.toMarkdown()).steps().get(8).length()).as("487 s x 3.2, rounded").isEqualTo(Duration.ofSeconds(1558));
        assertThat(calibrated.toMarkdown()).contains(":crit, s09, after s08, 1558s");
    }

    @Test
    void hostile_titles_cannot_break_a_gantt_line() {
        String hostile = "Click s01 call alert(1): #1; %%{init: {'theme':'dark'}}%% 2024-01-31 `x`\\nsection Evil\\ntitle Pwned <script>";
        String json = stepwise(at("koa"), to("lilac")).toJson()
                .replace("\"title\" : \"Launch Lilac\"", "\"title\" : \"" + hostile + "\"")
                .replace("\"title\" : \"Check Lilac\"", "\"title\" : \":;#%%\"");
        UpgradePlan plan = UpgradePlan.fromJson(json);
        assertThat(plan.steps()).extracting(UpgradeStep::title).contains(":;#%%");

        Gantt g = parse(plan.toMarkdown());

        assertThat(g.steps()).hasSize(plan.steps().size());
        assertThat(g.sections()).containsExactly("Koa", "Lilac", "Total");
        assertThat(g.steps()).extracting(Task::text).contains("08 Click s01 call alert(1) 1 init 'theme' 'dark' 2024-01-31 x section Evil title Pwned script",
                "10 step");
    }

    /** Parses the one Mermaid block of a Markdown text; fails on anything the gantt lexer would read differently. */
    static Gantt parse(String markdown) {
        int open = markdown.indexOf("```mermaid\n");
        assertThat(open).as("a mermaid block").isNotNegative();
        assertThat(markdown.indexOf("```mermaid\n", open + 1)).as("only one").isNegative();
        int close = markdown.indexOf("\n```\n", open);
        String block = markdown.substring(open + "```mermaid\n".length(), close + 1);
        List<String> lines = block.lines().toList();
        assertThat(lines.get(0)).isEqualTo("gantt");
        String title = null;
        String section = null;
        List<String> sections = new ArrayList<>();
        List<Task> tasks = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String raw : lines.subList(1, lines.size())) {
            String line = raw.strip();
            assertThat(line).as("no comment, statement end or fence in: %s", raw).doesNotContain("#", ";", "%%", "`");
            String word = line.split("\\s", 2)[0].toLowerCase(Locale.ROOT);
            if (word.equals("title")) {
                title = line.substring(6);
            } else if (line.equals("dateFormat HH:mm") || line.equals("axisFormat %H:%M")) {
                continue;
            } else if (word.equals("section")) {
                section = line.substring(8);
                assertThat(section).doesNotContain(":");
                sections.add(section);
            } else {
                assertThat(section).as("a task before any section: %s", raw).isNotNull();
                int colon = line.indexOf(':');
                assertThat(colon).as("task data in %s", raw).isPositive();
                String text = line.substring(0, colon).strip();
                assertThat(KEYWORDS).as("task text starting with a keyword: %s", raw).doesNotContain(word.replaceAll("[^a-z]", ""));
                assertThat(text).as("task text starting with a date: %s", raw).doesNotMatch("^\\d{4}-\\d{2}-\\d{2}.*");
                List<String> data = List.of(line.substring(colon + 1).split(","));
                List<String> tags = new ArrayList<>();
                int i = 0;
                while (TAGS.contains(data.get(i).strip())) {
                    tags.add(data.get(i++).strip());
                }
                assertThat(data).as("id, start, duration after the tags in %s", raw).hasSize(i + 3);
                String id = data.get(i).strip();
                assertThat(id).matches("[a-z][a-z0-9]*");
                assertThat(ids.add(id)).as("unique id %s", id).isTrue();
                String start = data.get(i + 1).strip();
                if (start.startsWith("after ")) {
                    assertThat(ids).as("'after' refers to an earlier task").contains(start.substring(6));
                } else {
                    assertThat(start).isEqualTo("00:00");
                }
                Matcher d = DURATION.matcher(data.get(i + 2).strip());
                assertThat(d.matches()).as("duration in %s", raw).isTrue();
                long n = Long.parseLong(d.group(1));
                Duration length = switch (d.group(2)) {
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
                tasks.add(new Task(section, text, tags, id, start, length));
            }
        }
        assertThat(title).as("title").isNotNull();
        return new Gantt(title, sections, tasks);
    }
}
