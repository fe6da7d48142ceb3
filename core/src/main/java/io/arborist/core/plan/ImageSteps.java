package io.arborist.core.plan;

import io.arborist.core.release.Release;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds or pulls a hop's images. Tutor publishes images for every release, and the seed operator built at each hop
 * only because of customisations; so an image is built only where something makes the official one unusable: the last
 * hop (the images that stay carry every customisation, the theme included), declared custom requirements
 * ({@link Installation#customRequirements()}), a plugin that patches the image's Dockerfile (Aspects patches openedx;
 * in-context metrics patch mfe), extra plugins the catalog does not know, or dev mode (the development image is built
 * locally). Everything else is pulled ({@code tutor images pull}); on Kubernetes the cluster pulls the official images
 * itself, so nothing is run for them.
 */
final class ImageSteps {
    private ImageSteps() {
    }

    static void forHop(Draft d, Release next, List<String> images, boolean last, boolean aspectsChanged) {
        List<String> build = new ArrayList<>();
        List<String> pull = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> reasons = new LinkedHashSet<>();
        TutorCli cli = d.cli();
        for (String image : images) {
            Optional<String> why = buildReason(d, next, image, last);
            if (why.isEmpty()) {
                pull.add(image);
            } else if (!cli.accepts(cli.images("build", List.of(image), false))) {
                notes.add("Tutor " + d.tutor + " does not build '" + image + "' with 'tutor images build'"
                        + (image.endsWith("-dev") ? "; its dev launch builds it" : ""));
            } else if (d.mode == DeploymentMode.K8S && !cli.accepts(cli.images("push", List.of(image), false))) {
                notes.add("Tutor " + d.tutor + " does not push '" + image + "' while its image setting is the default, so the "
                        + "cluster runs the official " + image + " image (point the image setting at your registry to use your own)");
            } else {
                build.add(image);
                reasons.add(why.get());
            }
        }
        String noted = notes.isEmpty() ? "" : " " + String.join(". ", notes) + ".";
        if (!build.isEmpty()) {
            build(d, next, build, false, "Built because " + String.join("; ", reasons) + "." + noted);
        }
        if (aspectsChanged) {
            build(d, next, AspectsSteps.IMAGES, true, "The Aspects images change with the Aspects version (" + AspectsSteps.DOC + ", step 4).");
        }
        List<String> pullable = pull.stream().filter(i -> cli.accepts(cli.images("pull", List.of(i), false))).toList();
        List<String> byCompose = pull.stream().filter(i -> !pullable.contains(i)).toList();
        if (!pull.isEmpty()) {
            pull(d, next, pullable, byCompose, build.isEmpty() ? noted : "");
        } else if (build.isEmpty() && !notes.isEmpty()) {
            d.warnings.add(next.displayName() + " hop:" + noted);
        }
    }

    private static Optional<String> buildReason(Draft d, Release next, String image, boolean last) {
        if (d.mode == DeploymentMode.DEV && image.equals("openedx-dev")) {
            return Optional.of("the development image is built locally (Tutor builds it on 'tutor dev launch')");
        }
        if (last) {
            return Optional.of("this is the last hop: the images that stay carry every customisation (theme, extra requirements)");
        }
        if (d.from.customRequirements()) {
            return Optional.of("the installation declares custom image requirements (--custom-requirements)");
        }
        if (d.aspects.isPresent() && AspectsSteps.patches(d, next, image)) {
            return Optional.of("the Aspects plugin patches the " + image + " Dockerfile, so the official " + image + " image lacks it");
        }
        List<String> unknown = d.from.plugins().stream()
                .filter(p -> d.upstream.plugins.releases(p.startsWith("tutor-") ? p : "tutor-" + p).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            return Optional.of("the catalog does not know whether " + String.join(", ", unknown) + " patch the Dockerfiles");
        }
        return Optional.empty();
    }

    static void build(Draft d, Release release, List<String> images, boolean noCache, String note) {
        TutorCli cli = d.cli();
        List<List<String>> cmds = new ArrayList<>();
        cmds.add(cli.images("build", images, noCache));
        Duration time = Duration.ZERO;
        for (String image : images) {
            time = time.plus(d.est.build(image));
        }
        if (d.mode == DeploymentMode.K8S) {
            cmds.add(cli.images("push", images, false));
            time = time.plus(d.est.of("push"));
        }
        d.add(d.command(release, noCache ? "aspects-build" : "build-images", StepKind.BUILD_IMAGES)
                .title("Build " + String.join(", ", images) + " images").commands(cmds)
                .rationale("The Dockerfiles change from one release to the next, so the build cache rarely helps"
                        + (noCache ? "; built without cache, as the Aspects upgrade how-to requires" : "") + ". " + note
                        + (d.mode == DeploymentMode.K8S ? " Kubernetes pulls images from a registry, so they are pushed too." : ""))
                .estimate(time).build());
    }

    private static void pull(Draft d, Release release, List<String> pullable, List<String> byCompose, String noted) {
        List<String> images = new ArrayList<>(pullable);
        images.addAll(byCompose);
        String why = "Nothing customises " + String.join(", ", images) + " at this intermediate hop (no custom requirements declared"
                + (d.from.customTheme() ? ", the theme is set aside" : "") + (d.aspects.isEmpty() ? ", no Aspects" : "")
                + "), so the official images Tutor publishes for " + release.displayName() + " are used instead of a build; only the "
                + "last hop builds." + (byCompose.isEmpty() ? "" : " Tutor " + d.tutor + "'s 'images pull' does not know "
                + String.join(", ", byCompose) + " with the default image settings: docker compose pulls "
                + (byCompose.size() == 1 ? "it" : "them") + " when the platform starts.") + noted;
        if (d.mode == DeploymentMode.K8S || pullable.isEmpty()) {
            return;
        }
        d.add(d.command(release, "pull-images", StepKind.PULL_IMAGES).title("Pull the official " + String.join(", ", pullable) + " images")
                .command(d.cli().images("pull", pullable, false)).rationale(why)
                .estimate(d.est.of("pull").multipliedBy(pullable.size())).build());
    }
}
