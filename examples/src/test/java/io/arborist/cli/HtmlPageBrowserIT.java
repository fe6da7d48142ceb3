package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.plan.StepKind;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.plan.UpgradeStep;
import io.arborist.core.release.ReleaseCatalog;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arborist plan --format html} in a real headless browser (Debian's chromium): the screenshot shows the
 * timeline's bars, the rendered DOM has one bar per step and no markup from the plan's text, and the page loads nothing
 * (every request would reach the test's loopback proxy; a page that does load something shows that it would).
 */
class HtmlPageBrowserIT {
    private static final Pattern BAR_COLOUR = Pattern.compile("\\.key\\.(\\w+), \\.bar\\.\\w+ \\{ background: #([0-9a-f]{6});");
    private static final Pattern PANEL_COLOUR = Pattern.compile("#timeline \\{ background: #([0-9a-f]{6});");

    @TempDir
    Path dir;

    @Test
    void the_screenshot_shows_one_bar_per_step_in_the_timeline_and_the_page_loads_nothing() throws Exception {
        Path page = dir.resolve("plan.html");
        StringWriter err = new StringWriter();
        int status = ArboristCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "plan", "--from", "koa", "--to", "olive",
                "--format", "html", "-o", page.toString());
        assertThat(status).as(err.toString()).isZero();
        String html = Files.readString(page, StandardCharsets.UTF_8);
        UpgradePlan plan = UpgradePlanner.create(ReleaseCatalog.bundled()).plan("koa", "olive");

        Map<String, Integer> colours = new LinkedHashMap<>();
        Matcher m = BAR_COLOUR.matcher(html);
        while (m.find()) {
            colours.put(m.group(1), Integer.parseInt(m.group(2), 16));
        }
        assertThat(colours).containsOnlyKeys("backup", "images", "migration", "other");
        Matcher panel = PANEL_COLOUR.matcher(html);
        assertThat(panel.find()).isTrue();
        int background = Integer.parseInt(panel.group(1), 16);

        Path png = dir.resolve("plan.png");
        try (Chromium chromium = new Chromium(dir)) {
            chromium.screenshot(page, png);
            assertThat(chromium.pageRequests()).as("requests the page made").isEmpty();
        }
        BufferedImage shot = ImageIO.read(png.toFile());
        assertThat(shot.getWidth()).isEqualTo(1280);
        assertThat(shot.getHeight()).isEqualTo(2000);

        int[] box = box(shot, background);
        assertThat(box).as("the timeline panel is on the first screen").isNotNull();
        assertThat(box[3] - box[1]).as("panel height").isGreaterThan(32 * 12);
        assertThat(box[2] - box[0]).as("panel width").isGreaterThan(1000);
        for (Map.Entry<String, Integer> c : colours.entrySet()) {
            long bars = plan.steps().stream().filter(s -> category(s).equals(c.getKey())).count();
            List<int[]> bands = bands(shot, box, c.getValue());
            assertThat(bands).as("%s: one band of rows per bar, and the legend's key", c.getKey()).hasSize((int) bars + 1);
            assertThat(bands.get(0)[0]).as("the legend is above the bars").isLessThan(bands.get(1)[0]);
        }
        List<int[]> steps = new ArrayList<>();
        colours.values().forEach(c -> steps.addAll(bands(shot, box, c).subList(1, bands(shot, box, c).size())));
        steps.sort((a, b) -> Integer.compare(a[0], b[0]));
        assertThat(steps).hasSize(plan.steps().size());
        int[] first = steps.get(0);
        int[] last = steps.get(steps.size() - 1);
        assertThat(left(shot, box, last, colours)).as("the last bar ends to the right of where the first starts")
                .isGreaterThan(left(shot, box, first, colours));
    }

    @Test
    void the_rendered_dom_has_one_bar_per_step_and_no_markup_from_the_plan() throws Exception {
        String hostile = "<script>alert(1)</script><img src=http://192.0.2.7/x.png onerror=alert(2)>";
        UpgradePlan plan = UpgradePlan.fromJson(UpgradePlanner.create(ReleaseCatalog.bundled()).plan("koa", "lilac").toJson()
                .replace("\"title\" : \"Launch Lilac\"", "\"title\" : \"" + hostile + "\"")
                .replace("[ \"tutor\", \"config\", \"save\" ]", "[ \"tutor\", \"config\", \"save\", \"" + hostile + "\" ]"));
        Path page = dir.resolve("hostile.html");
        Files.writeString(page, plan.toHtml(), StandardCharsets.UTF_8);

        String dom;
        try (Chromium chromium = new Chromium(dir)) {
            dom = chromium.dumpDom(page).stdout();
            assertThat(chromium.pageRequests()).as("requests the page made").isEmpty();
        }
        List<String> bars = new ArrayList<>();
        Matcher bar = Pattern.compile("<rect class=\"bar \\w+\" data-step=\"([^\"]+)\"").matcher(dom);
        while (bar.find()) {
            bars.add(bar.group(1));
        }
        assertThat(bars).containsExactlyElementsOf(plan.steps().stream().map(UpgradeStep::id).toList());
        assertThat(dom).contains("<svg id=\"timeline-chart\"", "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=http://192.0.2.7/x.png");
        assertThat(dom.toLowerCase(java.util.Locale.ROOT)).doesNotContain("<script", "<img");
    }

    @Test
    void a_page_that_loads_something_is_seen_by_the_proxy() throws Exception {
        Path page = dir.resolve("probe.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><p>probe</p><img src=\"http://192.0.2.7/probe.png\"></body></html>");
        try (Chromium chromium = new Chromium(dir)) {
            chromium.dumpDom(page);
            assertThat(chromium.pageRequests()).as("the proxy catches what a page loads").anyMatch(r -> r.contains("192.0.2.7"));
        }
    }

    private static String category(UpgradeStep s) {
        if (s.kind() == StepKind.BACKUP) {
            return "backup";
        }
        if (s.kind() == StepKind.BUILD_IMAGES || s.kind() == StepKind.PULL_IMAGES) {
            return "images";
        }
        return s.migratesData() ? "migration" : "other";
    }

    /** @return {minX, minY, maxX, maxY} of the pixels of a colour, or null */
    private static int[] box(BufferedImage img, int rgb) {
        int[] b = null;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == rgb) {
                    if (b == null) {
                        b = new int[] {x, y, x, y};
                    }
                    b[0] = Math.min(b[0], x);
                    b[1] = Math.min(b[1], y);
                    b[2] = Math.max(b[2], x);
                    b[3] = Math.max(b[3], y);
                }
            }
        }
        return b;
    }

    /** @return runs of consecutive rows inside the box that hold the colour, as {firstRow, lastRow} */
    private static List<int[]> bands(BufferedImage img, int[] box, int rgb) {
        List<int[]> out = new ArrayList<>();
        int start = -1;
        for (int y = box[1]; y <= box[3] + 1; y++) {
            boolean has = false;
            for (int x = box[0]; x <= box[2] && y <= box[3]; x++) {
                if ((img.getRGB(x, y) & 0xffffff) == rgb) {
                    has = true;
                    break;
                }
            }
            if (has && start < 0) {
                start = y;
            } else if (!has && start >= 0) {
                out.add(new int[] {start, y - 1});
                start = -1;
            }
        }
        return out;
    }

    /** @return the leftmost x of any bar colour in the middle row of a band */
    private static int left(BufferedImage img, int[] box, int[] band, Map<String, Integer> colours) {
        int y = (band[0] + band[1]) / 2;
        for (int x = box[0]; x <= box[2]; x++) {
            if (colours.containsValue(img.getRGB(x, y) & 0xffffff)) {
                return x;
            }
        }
        return -1;
    }
}
