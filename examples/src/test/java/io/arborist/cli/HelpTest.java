package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** Every command's {@code --help} lists only the options it uses, each described; {@code completion} names them all. */
class HelpTest {
    /**
     * Options that belong to some commands only: the commands (space-separated paths) whose help may list each. A shared
     * mixin that leaks one of them into another command's help fails here.
     */
    private static final Map<String, Set<String>> ONLY_IN = Map.ofEntries(
            Map.entry("--mysql-databases", Set.of("run", "resume")),
            Map.entry("--clickhouse-databases", Set.of("run", "resume", "snapshot")),
            Map.entry("--mysql-url", Set.of("run", "resume", "snapshot")),
            Map.entry("--clickhouse-url", Set.of("run", "resume", "snapshot")),
            Map.entry("--backup-dir", Set.of("run", "resume")),
            Map.entry("--backups-taken-by-hand", Set.of("run", "resume")),
            Map.entry("--mysql-tls", Set.of("snapshot")),
            Map.entry("--database", Set.of("snapshot")),
            Map.entry("--journal", Set.of("run", "resume", "status", "restore clickhouse", "restore mysql", "backups list", "backups prune")),
            Map.entry("--endpoint", Set.of("run", "resume", "backups list", "backups prune", "backup mysql", "backup clickhouse", "restore mysql",
                    "restore clickhouse", "restore mongodb", "restore tutor-root", "verify")),
            Map.entry("--encrypt", Set.of("backup mysql", "backup clickhouse", "run", "resume")),
            Map.entry("--older-than", Set.of("backups prune")),
            Map.entry("--calibrate", Set.of("plan", "status")),
            Map.entry("--plan", Set.of("run", "resume")),
            Map.entry("--strategy", Set.of("plan")),
            Map.entry("--aspects-to", Set.of("plan")),
            Map.entry("--key-file", Set.of("backup mysql", "backup clickhouse", "restore mysql", "restore clickhouse", "restore mongodb",
                    "restore tutor-root", "verify", "run", "resume")),
            Map.entry("--rename", Set.of("restore mysql", "restore clickhouse")),
            Map.entry("--definers", Set.of("restore mysql")),
            Map.entry("--tls", Set.of("backup mysql", "restore mysql")),
            Map.entry("--require-tls", Set.of("backup clickhouse", "restore clickhouse", "aspects inspect", "aspects apply-renames",
                    "aspects remove-deprecated")),
            Map.entry("--apply", Set.of("aspects apply-renames", "aspects remove-deprecated")),
            Map.entry("--in-place", Set.of("aspects rewrite")),
            Map.entry("--index-url", Set.of("catalog check")));

    @TempDir
    Path dir;

    private static String run(int expectedStatus, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            status = ArboristCli.execute(o, e, args);
        }
        assertThat(status).as("exit status of %s; stderr: %s", List.of(args), err).isEqualTo(expectedStatus);
        return out.toString();
    }

    /** Every command below the root (not picocli's help command), by its path, e.g. "backup mysql". */
    private static Map<String, CommandSpec> commands() {
        Map<String, CommandSpec> all = new LinkedHashMap<>();
        collect(new CommandLine(new ArboristCli()), all);
        return all;
    }

    private static void collect(CommandLine cl, Map<String, CommandSpec> all) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
                continue;
            }
            String path = sub.getCommandSpec().qualifiedName(" ").substring("arborist ".length());
            if (all.putIfAbsent(path, sub.getCommandSpec()) == null) {
                collect(sub, all);
            }
        }
    }

    /** Whether the options section of a help text has a line for the option (not a mention in another's description). */
    private static boolean listsOption(String help, String option) {
        return Pattern.compile("(?m)^\\s+(-\\w, )?" + Pattern.quote(option) + "(?![\\w-])").matcher(help).find();
    }

    @Test
    void every_command_has_help_and_every_option_a_description() {
        Map<String, CommandSpec> commands = commands();
        assertThat(commands.keySet()).contains("plan", "run", "resume", "status", "snapshot", "backup mysql", "restore clickhouse",
                "aspects inspect", "catalog check", "completion");
        List<String> undescribed = new ArrayList<>();
        for (Map.Entry<String, CommandSpec> c : commands.entrySet()) {
            String help = run(0, (c.getKey() + " --help").split(" "));
            assertThat(help).as("help of %s", c.getKey()).startsWith("Usage: arborist " + c.getKey());
            assertThat(c.getValue().usageMessage().description()).as("description of %s", c.getKey()).isNotEmpty();
            List<ArgSpec> args = new ArrayList<>(c.getValue().options());
            args.addAll(c.getValue().positionalParameters());
            for (ArgSpec a : args) {
                if (!a.hidden() && String.join("", a.description()).isBlank()) {
                    undescribed.add(c.getKey() + " " + a.paramLabel());
                }
            }
        }
        assertThat(undescribed).as("options without a description").isEmpty();
    }

    @Test
    void command_specific_options_appear_only_where_they_apply() {
        Map<String, CommandSpec> commands = commands();
        Map<String, String> helps = new LinkedHashMap<>();
        commands.keySet().forEach(c -> helps.put(c, run(0, (c + " --help").split(" "))));
        for (Map.Entry<String, Set<String>> e : ONLY_IN.entrySet()) {
            Set<String> offeredBy = new TreeSet<>();
            commands.forEach((command, spec) -> {
                CommandLine.Model.OptionSpec option = spec.findOption(e.getKey());
                if (option != null && !option.hidden()) {
                    offeredBy.add(command);
                    assertThat(listsOption(helps.get(command), e.getKey())).as("%s --help lists %s", command, e.getKey()).isTrue();
                }
            });
            assertThat(offeredBy).as("commands that take %s", e.getKey()).isEqualTo(new TreeSet<>(e.getValue()));
        }
    }

    @Test
    void snapshot_help_does_not_offer_to_back_up_databases() {
        assertThat(run(0, "snapshot", "--help")).doesNotContain("back up").contains("--mysql-url", "--clickhouse-databases");
        assertThat(run(0, "run", "--help")).contains("--mysql-databases");
    }

    @Test
    void completion_prints_a_bash_script_naming_every_command_and_option() {
        String script = run(0, "completion");
        assertThat(script).startsWith("#!/usr/bin/env bash").contains("complete -F");
        for (String command : commands().keySet()) {
            for (String word : command.split(" ")) {
                assertThat(script).as("completion script names %s", word).contains(word);
            }
        }
        assertThat(script).contains("--mysql-databases", "--clickhouse-url", "--key-file", "--calibrate");
    }

    /** Loads the script into a real bash and asks it to complete, as the shell does on TAB. */
    @Test
    void completion_script_completes_commands_and_options_in_bash() throws IOException, InterruptedException {
        Path script = dir.resolve("arborist-completion.bash");
        Files.writeString(script, run(0, "completion"), StandardCharsets.UTF_8);
        assertThat(complete(script, "arborist", "sn")).containsExactly("snapshot");
        assertThat(complete(script, "arborist", "backup", "")).contains("mysql", "clickhouse");
        assertThat(complete(script, "arborist", "run", "--mysql-d")).containsExactly("--mysql-databases");
        assertThat(complete(script, "arborist", "snapshot", "--mysql-d")).isEmpty();
    }

    private static List<String> complete(Path script, String... words) throws IOException, InterruptedException {
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append('\'').append(w).append("' ");
        }
        // compopt works only inside a completion bash starts on TAB; here it is a no-op.
        String probe = "source \"$1\"\ncompopt() { :; }\n"
                + "COMP_WORDS=(" + array + ")\n"
                + "COMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE=\"${COMP_WORDS[*]}\"\nCOMP_POINT=${#COMP_LINE}\n"
                + "_complete_arborist\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "-c", probe, "probe", script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("bash output: %s", out).isZero();
        return out.lines().filter(l -> !l.isBlank()).map(String::strip).toList();
    }
}
