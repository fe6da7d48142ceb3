package io.arborist.core.plan;

import io.arborist.core.release.Release;
import java.util.List;
import java.util.Optional;

/**
 * The custom comprehensive theme: set aside before the first intermediate build, put back before the last build,
 * activated after the last launch (seed: intermediate releases need not be compatible with the theme, and leaving it
 * out saves build time). Themes live in {@code env/build/openedx/themes} and are activated with {@code settheme}
 * (overhangio/tutor docs/developing/themes.rst).
 */
final class ThemeSteps {
    private static final String PARKED = "${TUTOR_ROOT}/arborist-parked-themes";
    private static final String THEMES = "${TUTOR_ROOT}/env/build/openedx/themes";

    private ThemeSteps() {
    }

    static void park(Draft d, Release current) {
        String why = Draft.SEED + ": intermediate releases need not be compatible with your theme; leave it out of every "
                + "build but the last to save build time.";
        Optional<String> name = d.from.themeName();
        if (name.isPresent()) {
            d.add(d.command(current, "park-theme", StepKind.THEME).title("Set the custom theme aside")
                    .command(List.of("mkdir", "-p", PARKED)).command(List.of("mv", THEMES + "/" + name.get(), PARKED + "/" + name.get()))
                    .rationale(why).estimate(d.est.of("theme"))
                    .rollback("mv " + PARKED + "/" + name.get() + " " + THEMES + "/" + name.get()).build());
        } else {
            d.add(d.manual(current, "park-theme", StepKind.THEME).title("Set the custom theme aside")
                    .instruction("Move your theme directory out of " + THEMES + " (for example to " + PARKED + ").")
                    .rationale(why).estimate(d.est.of("theme")).rollback("Move the theme directory back.").build());
        }
        d.themeParked = true;
    }

    static void restore(Draft d, Release next) {
        String why = "Last hop: put the custom theme back so that the final build includes it (" + Draft.SEED + ").";
        Optional<String> name = d.from.themeName();
        if (name.isPresent()) {
            d.add(d.command(next, "restore-theme", StepKind.THEME).title("Put the custom theme back")
                    .command(List.of("mkdir", "-p", THEMES)).command(List.of("mv", PARKED + "/" + name.get(), THEMES + "/" + name.get()))
                    .rationale(why).estimate(d.est.of("theme")).build());
        } else {
            d.add(d.manual(next, "restore-theme", StepKind.THEME).title("Put the custom theme back")
                    .instruction("Move your theme directory back into " + THEMES + ", updated for " + next.displayName() + ".")
                    .rationale(why).estimate(d.est.of("theme")).build());
        }
        d.themeParked = false;
    }

    static void activate(Draft d, Release next, List<Release> crossed) {
        String why = "Themes are baked into the openedx image and activated per site with 'settheme' (Tutor docs, themes).";
        String theming = crossed.stream().flatMap(r -> r.theming().stream()).reduce((a, b) -> b).map(t -> " " + t).orElse("");
        Optional<String> name = d.from.themeName();
        List<String> settheme = d.cli().job("settheme", List.of(name.orElse("THEME")))
                .orElseThrow(() -> new IllegalStateException("Tutor " + d.tutor + " has no settheme job"));
        if (name.isPresent()) {
            d.add(d.command(next, "settheme", StepKind.THEME).title("Activate the custom theme").command(settheme)
                    .rationale(why + theming).estimate(d.est.of("theme")).build());
        } else {
            d.add(d.manual(next, "settheme", StepKind.THEME).title("Activate the custom theme")
                    .instruction("Run '" + String.join(" ", settheme.subList(0, settheme.size() - 1)) + " <your-theme>' and check the pages it styles."
                            + theming)
                    .rationale(why).estimate(d.est.of("theme")).build());
        }
    }
}
