package io.arborist.core.release;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses one command's tokens the way click 7/8 does ({@code OptionParser} and {@code Command.parse_args}): long
 * options with {@code =} or a separate value, short option clusters, flags, repeated and multi-value options,
 * {@code --}, unknown options kept as arguments when {@code ignore_unknown_options} is set, a group stopping at its
 * subcommand, and the distribution of positional values over arguments (one {@code nargs=-1} argument may sit
 * before fixed ones). Package-private.
 */
final class ClickParse {
    /** The outcome: values per option, values per argument, the tokens left for a subcommand, or an error. */
    static final class Result {
        final Map<CommandSpec.Option, List<String>> options = new LinkedHashMap<>();
        final Map<CommandSpec.Argument, List<String>> arguments = new LinkedHashMap<>();
        final List<String> rest = new ArrayList<>();
        boolean help;
        String error;

        boolean given(CommandSpec.Option option) {
            return options.containsKey(option);
        }

        Optional<String> value(String optionName) {
            for (Map.Entry<CommandSpec.Option, List<String>> e : options.entrySet()) {
                if (e.getKey().names().contains(optionName) && !e.getValue().isEmpty()) {
                    return Optional.of(e.getValue().get(e.getValue().size() - 1));
                }
            }
            return Optional.empty();
        }
    }

    private ClickParse() {
    }

    static Result parse(CommandSpec spec, List<String> tokens, List<String> helpNames) {
        Result r = new Result();
        Deque<String> rargs = new ArrayDeque<>(tokens);
        List<String> largs = new ArrayList<>();
        boolean interspersed = spec.allowInterspersedArgs;
        while (!rargs.isEmpty()) {
            String arg = rargs.removeFirst();
            if (arg.equals("--")) {
                largs.addAll(rargs);
                rargs.clear();
                break;
            }
            if (!spec.noHelpOption && helpNames.contains(arg) && spec.option(arg).isEmpty()) {
                r.help = true;
                return r;
            }
            if (arg.startsWith("-") && arg.length() > 1) {
                if (!processOption(spec, arg, rargs, largs, r)) {
                    return r;
                }
                if (r.help) {
                    return r;
                }
            } else if (interspersed) {
                largs.add(arg);
            } else {
                rargs.addFirst(arg);
                break;
            }
        }
        List<String> positional = new ArrayList<>(largs);
        positional.addAll(rargs);
        if (spec.group) {
            r.rest.addAll(positional);
            return r;
        }
        unpack(spec, positional, r);
        return r;
    }

    /** Returns false when parsing must stop (error). */
    private static boolean processOption(CommandSpec spec, String arg, Deque<String> rargs, List<String> largs,
                                         Result r) {
        String name = arg;
        String explicit = null;
        int eq = arg.indexOf('=');
        if (eq > 0) {
            name = arg.substring(0, eq);
            explicit = arg.substring(eq + 1);
        }
        Optional<CommandSpec.Option> longOpt = name.startsWith("--") ? spec.option(name) : Optional.empty();
        if (longOpt.isPresent()) {
            return take(longOpt.get(), name, explicit, rargs, r);
        }
        if (arg.startsWith("--")) {
            if (spec.ignoreUnknownOptions) {
                largs.add(arg);
                return true;
            }
            r.error = "no such option " + name;
            return false;
        }
        // A cluster of short options: -Iv, -lvalue, -l value
        StringBuilder unknown = new StringBuilder();
        for (int i = 1; i < arg.length(); i++) {
            String opt = "-" + arg.charAt(i);
            Optional<CommandSpec.Option> o = spec.option(opt);
            if (o.isEmpty()) {
                if (spec.ignoreUnknownOptions) {
                    unknown.append(arg.charAt(i));
                    continue;
                }
                r.error = "no such option " + opt;
                return false;
            }
            CommandSpec.Option option = o.get();
            if (!option.flag()) {
                String rest = i + 1 < arg.length() ? arg.substring(i + 1) : null;
                if (!take(option, opt, rest, rargs, r)) {
                    return false;
                }
                break;
            }
            record(option, opt, r);
            if (r.help) {
                return true;
            }
        }
        if (unknown.length() > 0) {
            largs.add("-" + unknown);
        }
        return true;
    }

    private static boolean take(CommandSpec.Option option, String name, String explicit, Deque<String> rargs,
                                Result r) {
        if (option.flag()) {
            if (explicit != null) {
                r.error = "option " + name + " does not take a value";
                return false;
            }
            record(option, name, r);
            return true;
        }
        List<String> values = new ArrayList<>();
        if (explicit != null) {
            values.add(explicit);
        }
        while (values.size() < option.nargs()) {
            if (rargs.isEmpty()) {
                r.error = "option " + name + " requires " + (option.nargs() == 1 ? "an argument" : option.nargs()
                        + " arguments");
                return false;
            }
            values.add(rargs.removeFirst());
        }
        List<String> all = r.options.computeIfAbsent(option, k -> new ArrayList<>());
        if (!option.multiple()) {
            all.clear();
        }
        all.addAll(values);
        return true;
    }

    private static void record(CommandSpec.Option option, String name, Result r) {
        boolean secondary = option.secondary().contains(name);
        List<String> all = r.options.computeIfAbsent(option, k -> new ArrayList<>());
        if (!option.count()) {
            all.clear();
        }
        all.add(secondary ? "false" : "true");
        if (option.eager() && (name.equals("--version") || option.dest().isEmpty() || option.dest().equals("version"))) {
            r.help = true;
        }
    }

    private static void unpack(CommandSpec spec, List<String> positional, Result r) {
        Deque<String> args = new ArrayDeque<>(positional);
        List<CommandSpec.Argument> specs = spec.arguments;
        List<List<String>> values = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            values.add(null);
        }
        int variadic = -1;
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).nargs() < 0) {
                variadic = i;
                break;
            }
            values.set(i, fetch(args, specs.get(i).nargs(), true));
        }
        if (variadic >= 0) {
            for (int i = specs.size() - 1; i > variadic; i--) {
                values.set(i, fetch(args, specs.get(i).nargs(), false));
            }
            values.set(variadic, new ArrayList<>(args));
            args.clear();
        }
        for (int i = 0; i < specs.size(); i++) {
            CommandSpec.Argument a = specs.get(i);
            List<String> v = values.get(i);
            boolean missing = v == null || (a.nargs() < 0 ? v.isEmpty() : v.size() < a.nargs());
            if (missing && a.required()) {
                r.error = "missing argument " + a.name().toUpperCase(java.util.Locale.ROOT);
                return;
            }
            if (v != null && !v.isEmpty()) {
                r.arguments.put(a, v);
            }
        }
        if (!args.isEmpty() && !spec.allowExtraArgs) {
            r.error = "unexpected extra argument" + (args.size() > 1 ? "s" : "") + " (" + String.join(" ", args) + ")";
        }
    }

    private static List<String> fetch(Deque<String> args, int n, boolean front) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < n && !args.isEmpty(); k++) {
            if (front) {
                out.add(args.removeFirst());
            } else {
                out.add(0, args.removeLast());
            }
        }
        return out.isEmpty() ? null : out;
    }
}
