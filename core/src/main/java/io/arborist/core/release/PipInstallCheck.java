package io.arborist.core.release;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tells whether one {@code pip install A==x B>=y,<z ...} can succeed: every Tutor or plugin package it names (and the
 * Tutor/plugin packages those require) must have a known release that meets the command's specifiers, the
 * {@code install_requires} of the others (packages in the same command, or already installed) and, through
 * {@code python_requires}, the host Python. Packages without bundled data (click, bcrypt...) are not checked.
 *
 * <pre>{@code
 * PipInstallCheck.bundled().check(List.of("pip", "install", "tutor-contrib-aspects==2.4.0"), "3.9", Map.of());
 * // ["tutor-contrib-aspects 2.4.0 requires Python >=3.11; the host has Python 3.9"]
 * }</pre>
 *
 * <p>Immutable and thread-safe; the data is read on first use.
 *
 * @since 0.1
 */
public final class PipInstallCheck {
    private static final PipInstallCheck BUNDLED = new PipInstallCheck();
    private static final Set<String> FLAGS = Set.of("-U", "--upgrade", "--pre", "-q", "--quiet", "-v", "--verbose",
            "--no-cache-dir", "--user", "--force-reinstall", "--no-input", "--disable-pip-version-check", "-I",
            "--ignore-installed", "--no-warn-script-location", "--break-system-packages");
    private static final Set<String> WITH_VALUE = Set.of("--upgrade-strategy", "-i", "--index-url",
            "--extra-index-url", "--trusted-host", "--cache-dir", "--timeout", "--retries", "--progress-bar");

    /** A release any package of the data can resolve to: its version, requirements and python_requires. */
    private record Candidate(String pkg, String version, List<PipRequirement> requires,
                             Map<String, List<PipRequirement>> extras, VersionSpecifier python, boolean tagged) {
        String label() {
            return pkg + " " + version;
        }
    }

    private volatile Map<String, List<Candidate>> universe;

    private PipInstallCheck() {
    }

    /** @return the check over the bundled Tutor and plugin data */
    public static PipInstallCheck bundled() {
        return BUNDLED;
    }

    /**
     * Checks a pip command line.
     *
     * @param argv {@code pip install ...} (also {@code pip3}, {@code python -m pip}); requirement files are refused
     * @param hostPython the Python version of the host where pip runs, e.g. {@code 3.9}
     * @param installed packages already installed there: pip project name to version (those the command names are
     *                  replaced)
     * @return one line per problem naming the packages; empty when the command can be satisfied
     */
    public List<String> check(List<String> argv, String hostPython, Map<String, String> installed) {
        Objects.requireNonNull(argv, "argv");
        List<String> problems = new ArrayList<>();
        List<String> requirements = new ArrayList<>();
        int i = 0;
        if (i < argv.size() && argv.get(i).matches("(.*/)?python3?(\\.\\d+)?") && i + 2 < argv.size()
                && argv.get(i + 1).equals("-m") && argv.get(i + 2).equals("pip")) {
            i += 3;
        } else if (i < argv.size() && argv.get(i).matches("(.*/)?pip3?(\\.\\d+)?")) {
            i += 1;
        } else {
            return List.of("not a pip command: '" + String.join(" ", argv) + "' (expected pip install ...)");
        }
        if (i >= argv.size() || !argv.get(i).equals("install")) {
            return List.of("not a pip install command: '" + String.join(" ", argv) + "'");
        }
        for (i = i + 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (FLAGS.contains(arg) || arg.startsWith("--upgrade-strategy=") || arg.startsWith("--index-url=")) {
                continue;
            }
            if (WITH_VALUE.contains(arg)) {
                i++;
                continue;
            }
            if (arg.startsWith("-")) {
                problems.add("pip install option " + arg + " cannot be checked (requirement files and editable "
                        + "installs are not supported)");
                continue;
            }
            requirements.add(arg);
        }
        if (!problems.isEmpty()) {
            return List.copyOf(problems);
        }
        return checkRequirements(requirements, hostPython, installed);
    }

    /**
     * Checks the requirements of one pip install command.
     *
     * @param requirements requirement strings, e.g. {@code tutor[full]==21.0.8}
     * @param hostPython the host's Python version, e.g. {@code 3.11}
     * @param installed packages already installed: pip project name to version
     * @return one line per problem naming the packages; empty when satisfiable
     */
    public List<String> checkRequirements(List<String> requirements, String hostPython, Map<String, String> installed) {
        Objects.requireNonNull(requirements, "requirements");
        Objects.requireNonNull(hostPython, "hostPython");
        Objects.requireNonNull(installed, "installed");
        if (!Pep440Version.isValid(hostPython)) {
            throw new IllegalArgumentException("not a Python version: '" + hostPython + "' (expected e.g. 3.11)");
        }
        Map<String, List<Candidate>> all = universe();
        Map<String, PipRequirement> command = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String text : requirements) {
            PipRequirement r;
            try {
                r = PipRequirement.parse(text);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                continue;
            }
            PipRequirement previous = command.put(r.canonicalName(), r);
            if (previous != null) {
                problems.add("pip install names " + r.canonicalName() + " twice (" + previous + ", " + r + ")");
            }
        }
        Map<String, String> present = new HashMap<>();
        installed.forEach((k, v) -> present.put(PipRequirement.canonical(k), v));
        command.keySet().forEach(present::remove);
        Map<String, List<Candidate>> domains = new LinkedHashMap<>();
        for (PipRequirement r : command.values()) {
            List<Candidate> releases = all.get(r.canonicalName());
            if (releases == null) {
                continue;
            }
            List<Candidate> matching = releases.stream().filter(c -> r.matches(c.version())).toList();
            List<Candidate> runnable = matching.stream().filter(c -> c.python().contains(hostPython)).toList();
            if (matching.isEmpty()) {
                problems.add(r + ": no release of " + r.canonicalName() + " in the bundled data matches (known: "
                        + range(releases) + ")");
            } else if (runnable.isEmpty()) {
                Candidate newest = matching.get(matching.size() - 1);
                problems.add(newest.label() + " requires Python " + newest.python() + "; the host has Python "
                        + hostPython);
            }
            domains.put(r.canonicalName(), preferred(runnable));
        }
        if (!problems.isEmpty()) {
            return List.copyOf(problems);
        }
        Map<String, Candidate> chosen = new LinkedHashMap<>();
        Search search = new Search(all, new LinkedHashMap<>(domains), command, present, hostPython);
        if (search.solve(new ArrayList<>(domains.keySet()), 0, chosen)) {
            return List.of();
        }
        return List.copyOf(explain(domains, command, present, hostPython, all));
    }

    /** Tagged releases first, newest first; then releases read without a tag or at a branch tip. */
    private static List<Candidate> preferred(List<Candidate> ascending) {
        List<Candidate> out = new ArrayList<>(ascending);
        java.util.Collections.reverse(out);
        out.sort(Comparator.comparing(Candidate::tagged).reversed());
        return out;
    }

    private static String range(List<Candidate> releases) {
        return releases.get(0).version() + " ... " + releases.get(releases.size() - 1).version();
    }

    /** Backtracking over the releases of each package, newest first. */
    private static final class Search {
        private final Map<String, List<Candidate>> all;
        private final Map<String, List<Candidate>> domains;
        private final Map<String, PipRequirement> command;
        private final Map<String, String> present;
        private final String python;
        private int steps;

        Search(Map<String, List<Candidate>> all, Map<String, List<Candidate>> domains, Map<String, PipRequirement> command,
               Map<String, String> present, String python) {
            this.all = all;
            this.domains = domains;
            this.command = command;
            this.present = present;
            this.python = python;
        }

        boolean solve(List<String> order, int index, Map<String, Candidate> chosen) {
            if (++steps > 200_000) {
                return false;
            }
            if (index == order.size()) {
                for (Candidate c : chosen.values()) {
                    for (PipRequirement q : requires(c)) {
                        String dep = q.canonicalName();
                        if (!chosen.containsKey(dep) && !present.containsKey(dep) && all.containsKey(dep)
                                && !order.contains(dep)) {
                            List<String> longer = new ArrayList<>(order);
                            longer.add(dep);
                            List<Candidate> dom = preferred(all.get(dep).stream()
                                    .filter(x -> x.python().contains(python)).toList());
                            if (dom.isEmpty() || all.get(dep).stream().noneMatch(x -> q.matches(x.version()))) {
                                // No bundled release can satisfy it: the data may be incomplete; pip would look further.
                                continue;
                            }
                            domains.put(dep, dom);
                            return solve(longer, index, chosen);
                        }
                    }
                }
                return true;
            }
            String pkg = order.get(index);
            for (Candidate c : domains.get(pkg)) {
                chosen.put(pkg, c);
                if (consistent(chosen) && solve(order, index + 1, chosen)) {
                    return true;
                }
                chosen.remove(pkg);
            }
            return false;
        }

        List<PipRequirement> requires(Candidate c) {
            List<PipRequirement> out = new ArrayList<>(c.requires());
            PipRequirement asked = command.get(c.pkg());
            if (asked != null) {
                for (String extra : asked.extras()) {
                    out.addAll(c.extras().getOrDefault(extra, List.of()));
                }
            }
            return out;
        }

        boolean consistent(Map<String, Candidate> chosen) {
            for (Candidate c : chosen.values()) {
                for (PipRequirement q : requires(c)) {
                    Candidate other = chosen.get(q.canonicalName());
                    if (other != null && !q.matches(other.version())) {
                        return false;
                    }
                    String installed = present.get(q.canonicalName());
                    if (other == null && installed != null && !command.containsKey(q.canonicalName())
                            && Pep440Version.isValid(installed) && !q.matches(installed)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private List<String> explain(Map<String, List<Candidate>> domains, Map<String, PipRequirement> command,
                                 Map<String, String> present, String python, Map<String, List<Candidate>> all) {
        Map<String, Candidate> preferred = new LinkedHashMap<>();
        domains.forEach((pkg, dom) -> preferred.put(pkg, dom.get(0)));
        Search search = new Search(all, new LinkedHashMap<>(domains), command, present, python);
        Set<String> out = new LinkedHashSet<>();
        Map<String, List<String>> needs = new LinkedHashMap<>();
        Map<String, List<PipRequirement>> needed = new LinkedHashMap<>();
        for (Candidate c : preferred.values()) {
            for (PipRequirement q : search.requires(c)) {
                String dep = q.canonicalName();
                Candidate other = preferred.get(dep);
                if (other != null) {
                    if (!q.matches(other.version())) {
                        out.add(c.label() + " requires " + q + ", but the same command installs " + other.label());
                    }
                } else if (present.containsKey(dep)) {
                    if (!q.matches(present.get(dep))) {
                        out.add(c.label() + " requires " + q + ", but " + dep + " " + present.get(dep) + " is installed");
                    }
                } else if (all.containsKey(dep)) {
                    needs.computeIfAbsent(dep, k -> new ArrayList<>()).add(c.label() + " requires " + q);
                    needed.computeIfAbsent(dep, k -> new ArrayList<>()).add(q);
                }
            }
        }
        needed.forEach((dep, reqs) -> {
            List<Candidate> releases = all.get(dep).stream().filter(x -> x.python().contains(python)).toList();
            boolean each = reqs.stream().allMatch(q -> releases.stream().anyMatch(x -> q.matches(x.version())));
            boolean together = releases.stream().anyMatch(x -> reqs.stream().allMatch(q -> q.matches(x.version())));
            if (each && !together && reqs.size() > 1) {
                out.add(String.join(" and ", needs.get(dep)) + ": no " + dep + " release meets both");
            }
        });
        if (out.isEmpty()) {
            Set<String> names = new TreeSet<>(domains.keySet());
            out.add("no combination of the known releases of " + String.join(", ", names)
                    + " and what they require meets all requirements on Python " + python);
        }
        return new ArrayList<>(out);
    }

    private Map<String, List<Candidate>> universe() {
        Map<String, List<Candidate>> u = universe;
        if (u == null) {
            Map<String, List<Candidate>> out = new HashMap<>();
            GrammarData data = GrammarData.tutor();
            for (GrammarData.VersionEntry e : data.versions.values()) {
                Map<String, List<PipRequirement>> extras = new HashMap<>();
                com.fasterxml.jackson.databind.JsonNode pkg = data.pkg(e);
                pkg.path("extras").fields().forEachRemaining(x -> extras.put(x.getKey(),
                        GrammarData.strings(x.getValue()).stream().map(PipRequirement::parse).toList()));
                String name = PipRequirement.canonical(pkg.path("name").asText());
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(new Candidate(name, e.version().toString(),
                        GrammarData.strings(pkg.path("installRequires")).stream().map(PipRequirement::parse).toList(),
                        extras, VersionSpecifier.parse(pkg.path("pythonRequires").asText("")), !e.branch()));
            }
            for (GrammarData.PluginEntry p : GrammarData.plugins().entries) {
                PluginRelease r = p.release();
                String name = PipRequirement.canonical(r.pipPackage());
                List<Candidate> list = out.computeIfAbsent(name, k -> new ArrayList<>());
                boolean duplicate = list.stream().anyMatch(c -> c.version().equals(r.version()));
                if (!duplicate) {
                    list.add(new Candidate(name, r.version(), r.requirements(), Map.of(), r.pythonSpecifier(), r.tagged()));
                }
            }
            out.values().forEach(list -> list.sort(Comparator.comparing((Candidate c) -> Pep440Version.parse(c.version()))));
            u = Map.copyOf(out);
            universe = u;
        }
        return u;
    }
}
