package io.arborist.tutor.internal;

import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.release.TutorVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The argv of {@code mongodump}, {@code mongorestore} and the emptiness check, per deployment mode and Tutor version.
 * Facts from {@code overhangio/tutor} (mirrored under {@code /work/.mirror/overhangio+tutor}):
 * <ul>
 *   <li>{@code tutor local|dev exec ARGS...} hands {@code ARGS} to {@code docker compose exec} unchanged
 *       ({@code tutor/commands/compose.py}, {@code execute}, {@code ignore_unknown_options}, v10.0.0 to v21.0.8), so
 *       {@code -T} reaches compose and turns its pseudo-terminal off: the archive's bytes are not rewritten by a
 *       terminal, and standard input stays attached (compose passes {@code --interactive} unless detached).</li>
 *   <li>{@code tutor k8s exec SERVICE COMMAND} takes ONE command string and runs it with {@code sh -e -c} in the pod
 *       before v13.2.0 ({@code tutor/commands/k8s.py}, {@code kubectl_exec}, v10.0.0 to v13.1.11); from v13.2.0 it
 *       takes the arguments as a list and passes them after {@code --} (commit cac9d14e, CHANGELOG of v13.2.0). Both
 *       ask kubectl for {@code --stdin --tty}; kubectl drops the terminal when its own standard input is not one
 *       ({@code kubectl/pkg/cmd/exec/exec.go}, {@code setupTTY}), which is the case here: the runner gives it a pipe.</li>
 *   <li>Tutor's MongoDB runs {@code mongod} without {@code --auth} in every version
 *       ({@code tutor/templates/local/docker-compose.yml}, {@code k8s/deployments.yml}), so a Tutor-run MongoDB is
 *       dumped without credentials: none ever appears in a command. An external MongoDB ({@code RUN_MONGODB} false)
 *       gets {@code MONGODB_USERNAME}/{@code MONGODB_PASSWORD} as {@code ${TUTOR_CONFIG:KEY}} placeholders, which the
 *       runner resolves just before starting the process and redacts wherever the command is shown; an empty user
 *       name means no authentication (mongo-tools {@code Auth.ShouldAskForPassword}). The authentication database is
 *       {@code MONGODB_AUTH_SOURCE} from Tutor 15.0.0 ({@code tutor/templates/config/defaults.yml}) and the
 *       application database {@code MONGODB_DATABASE} before (what Open edX's client then used).</li>
 *   <li>Tutor prints the command line it runs on standard output before running it ({@code tutor/utils.py},
 *       {@code execute}, all versions), so a dump's standard output starts with a line of text, which may show
 *       resolved values: the archive sink drops it unseen.</li>
 * </ul>
 */
public final class MongoCommands {
    /** The first Tutor whose {@code k8s exec} takes an argument list instead of one shell string. */
    public static final TutorVersion K8S_EXEC_ARGV = new TutorVersion(13, 2, 0);
    /** The first Tutor with {@code MONGODB_AUTH_SOURCE}. */
    public static final TutorVersion AUTH_SOURCE = new TutorVersion(15, 0, 0);
    /** The JavaScript of the emptiness check: counts databases other than admin, config and local. */
    public static final String COUNT_DATABASES = "var n=0;db.getMongo().getDBNames().forEach(function(d){"
            + "if([\"admin\",\"config\",\"local\"].indexOf(d)<0){n++;}});print(\"arborist-databases=\"+n);";
    /** What the emptiness check prints. */
    public static final Pattern COUNT_ANSWER = Pattern.compile("arborist-databases=(\\d+)");

    private static final Pattern VERSION = Pattern.compile("version (\\d+)\\.(\\d+)\\.(\\d+)");
    /** Runs mongosh where the image has it (MongoDB 5.0 and later), the legacy mongo shell otherwise; $1 is the script. */
    private static final String SHELL_SCRIPT = "if command -v mongosh >/dev/null 2>&1; then exec mongosh --quiet --eval \"$1\";"
            + " else exec mongo --quiet --eval \"$1\"; fi";

    /**
     * Where MongoDB is and how Tutor reaches it.
     *
     * @param mode how Tutor runs the site
     * @param external whether MongoDB is outside Tutor ({@code RUN_MONGODB} false)
     * @param tutor the installed Tutor's version, when it matters (Kubernetes, external)
     */
    public record Setup(DeploymentMode mode, boolean external, Optional<TutorVersion> tutor) {
        /** @return e.g. {@code tutor local exec mongodb} or {@code external MongoDB (mongodump on this host)} */
        public String describe() {
            return external ? "external MongoDB (RUN_MONGODB false), tools run on this host"
                    : "Tutor's MongoDB through tutor " + mode.word() + " exec mongodb"
                    + tutor.map(v -> " (Tutor " + v + ")").orElse("");
        }
    }

    private MongoCommands() {
    }

    /**
     * @param setup where MongoDB is
     * @return {@code mongodump --archive --gzip} of every database, run where MongoDB is
     */
    public static List<String> dump(Setup setup) {
        return tool(setup, "mongodump", List.of("--archive", "--gzip"));
    }

    /**
     * @param setup where MongoDB is
     * @param drop whether to drop each collection before restoring it
     * @return {@code mongorestore --archive --gzip --stopOnError [--drop]}, reading the archive on standard input
     */
    public static List<String> restore(Setup setup, boolean drop) {
        List<String> options = new ArrayList<>(List.of("--archive", "--gzip", "--stopOnError"));
        if (drop) {
            options.add("--drop");
        }
        return tool(setup, "mongorestore", options);
    }

    /**
     * @param setup where MongoDB is
     * @return a command printing {@code arborist-databases=N}, N the databases other than admin, config and local
     */
    public static List<String> countDatabases(Setup setup) {
        if (setup.external()) {
            List<String> argv = new ArrayList<>(List.of("mongosh", "--quiet", uri()));
            argv.addAll(credentials(setup));
            argv.addAll(List.of("--eval", COUNT_DATABASES));
            return argv;
        }
        if (setup.mode() == DeploymentMode.K8S && oneString(setup)) {
            String js = "'" + COUNT_DATABASES + "'";
            return List.of("tutor", "k8s", "exec", "mongodb", "if command -v mongosh >/dev/null 2>&1; then mongosh --quiet --eval "
                    + js + "; else mongo --quiet --eval " + js + "; fi");
        }
        List<String> argv = new ArrayList<>(execPrefix(setup));
        argv.addAll(List.of("sh", "-c", SHELL_SCRIPT, "arborist", COUNT_DATABASES));
        return argv;
    }

    /**
     * @param output what {@code tutor --version} printed, e.g. {@code tutor, version 12.2.0}
     * @return the version
     * @throws IllegalArgumentException when there is none
     */
    public static TutorVersion parseVersion(String output) {
        Matcher m = VERSION.matcher(output);
        if (!m.find()) {
            throw new IllegalArgumentException("no version in the output of `tutor --version`");
        }
        return new TutorVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    private static List<String> tool(Setup setup, String tool, List<String> options) {
        List<String> argv = new ArrayList<>();
        if (setup.external()) {
            argv.add(tool);
            argv.add("--uri=" + uri());
            argv.addAll(credentials(setup));
            argv.addAll(options);
            return argv;
        }
        if (setup.mode() == DeploymentMode.K8S && oneString(setup)) {
            return List.of("tutor", "k8s", "exec", "mongodb", tool + " " + String.join(" ", options));
        }
        argv.addAll(execPrefix(setup));
        argv.add(tool);
        argv.addAll(options);
        return argv;
    }

    private static List<String> execPrefix(Setup setup) {
        return setup.mode() == DeploymentMode.K8S ? List.of("tutor", "k8s", "exec", "mongodb")
                : List.of("tutor", setup.mode().word(), "exec", "-T", "mongodb");
    }

    private static boolean oneString(Setup setup) {
        return setup.tutor().orElseThrow(() -> new IllegalStateException("the Tutor version is needed on Kubernetes"))
                .compareTo(K8S_EXEC_ARGV) < 0;
    }

    private static String uri() {
        return "mongodb://${TUTOR_CONFIG:MONGODB_HOST}:${TUTOR_CONFIG:MONGODB_PORT}/";
    }

    private static List<String> credentials(Setup setup) {
        boolean authSource = setup.tutor().orElseThrow(() -> new IllegalStateException("the Tutor version is needed for an"
                + " external MongoDB")).compareTo(AUTH_SOURCE) >= 0;
        return List.of("--username=${TUTOR_CONFIG:MONGODB_USERNAME}", "--password=${TUTOR_CONFIG:MONGODB_PASSWORD}",
                "--authenticationDatabase=${TUTOR_CONFIG:" + (authSource ? "MONGODB_AUTH_SOURCE" : "MONGODB_DATABASE") + "}");
    }
}
