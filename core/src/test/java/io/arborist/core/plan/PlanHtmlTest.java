package io.arborist.core.plan;

import static io.arborist.core.plan.Plans.at;
import static io.arborist.core.plan.Plans.stepwise;
import static io.arborist.core.plan.Plans.to;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The HTML page as text: self-contained, one bar per step, plan text escaped. The browser test is in examples. */
class PlanHtmlTest {
    /** Plan text an attacker could have put into a plan file: markup, attributes, URLs. */
    static final String HOSTILE = "<script>alert(1)</script><img src=http://192.0.2.7/x.png onerror=alert(2)> \\\"' & </code></pre>";

    static UpgradePlan hostilePlan() {
        String json = stepwise(at("koa"), to("lilac")).toJson()
                .replace("\"title\" : \"Launch Lilac\"", "\"title\" : \"" + HOSTILE + "\"")
                .replaceFirst("\"rationale\" : \"", Matcher.quoteReplacement("\"rationale\" : \"" + HOSTILE))
                .replaceFirst("\"rollback\" : \"", Matcher.quoteReplacement("\"rollback\" : \"" + HOSTILE))
                .replace("\"warnings\" : [ ]", "\"warnings\" : [ \"" + HOSTILE + "\" ]")
                .replace("[ \"tutor\", \"config\", \"save\" ]", "[ \"tutor\", \"config\", \"save\", \"" + HOSTILE + "\" ]");
        return UpgradePlan.fromJson(json);
    }

    @Test
    void the_page_loads_nothing_and_draws_one_bar_per_step_in_plan_order() {
        UpgradePlan plan = stepwise(at("koa"), to("olive"));
        String html = plan.toHtml();

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "style-src 'unsafe-inline'\">");
        assertThat(html.toLowerCase(java.util.Locale.ROOT)).doesNotContain("<script", "<link", "<img", "<iframe", "<object", "<embed",
                "src=", "href=", "url(", "@import", "http:", "https:", "//");
        Matcher bar = Pattern.compile("<rect class=\"bar (\\w+)\" data-step=\"([^\"]+)\"").matcher(html);
        List<String> ids = new java.util.ArrayList<>();
        List<String> categories = new java.util.ArrayList<>();
        while (bar.find()) {
            categories.add(bar.group(1));
            ids.add(bar.group(2));
        }
        assertThat(ids).containsExactlyElementsOf(plan.steps().stream().map(UpgradeStep::id).toList());
        assertThat(categories).containsOnly("backup", "images", "migration", "other")
                .contains("backup", "images", "migration", "other");
        assertThat(categories.get(1)).isEqualTo("backup");
        assertThat(html).contains("<section id=\"timeline\">", "<section id=\"steps\">", "<section id=\"rollback\">",
                "Total about 4 h 54 min (3 h 25 min to 9 h 48 min)", "tutor local upgrade --from=koa",
                "Back up before the Lilac hop");
    }

    @Test
    void plan_text_is_escaped_everywhere_it_appears() {
        UpgradePlan plan = hostilePlan();
        assertThat(plan.steps()).extracting(UpgradeStep::title).contains(HOSTILE.replace("\\\"", "\""));
        String html = plan.toHtml();

        String lower = html.toLowerCase(java.util.Locale.ROOT);
        assertThat(lower).doesNotContain("<script", "<img", "</code></pre> ").doesNotContainPattern("<[a-z][^>]*\\s(src|href|on[a-z]+)=");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=http", "&quot;&#39; &amp; &lt;/code&gt;&lt;/pre&gt;");
        long escapedTitles = Pattern.compile(Pattern.quote("&lt;script&gt;alert(1)")).matcher(html).results().count();
        assertThat(escapedTitles).as("title (timeline label and tooltip, step, rollback table), rationale, rollback, warning, command")
                .isGreaterThanOrEqualTo(7);
    }
}
