package io.arborist.cli;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code arborist} command line: {@code plan}, {@code releases}, {@code compat}. Bad input exits with status 2
 * and one line on standard error; other failures exit with status 1.
 */
@Command(name = "arborist", mixinStandardHelpOptions = true, versionProvider = ArboristCli.Version.class,
        description = "Plans, backs up and runs Open edX and Aspects upgrades.",
        subcommands = {PlanCommand.class, AspectsCommand.class, ReleasesCommand.class, CatalogCommand.class, CompatCommand.class, RunCommand.class, ResumeCommand.class,
            StatusCommand.class, CompareCommand.class, SnapshotCommand.class, BackupCommand.class, RestoreCommand.class, VerifyCommand.class, BackupsCommand.class,
            CompletionCommand.class, CommandLine.HelpCommand.class})
public final class ArboristCli implements Runnable {
    /** Exit status for bad input. */
    public static final int BAD_INPUT = 2;

    /** Longest argument accepted: far beyond any path, name or version; long input belongs in a file. */
    static final int MAX_ARGUMENT = 64 * 1024;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ArboristCli.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    CatalogOption catalogOption = new CatalogOption();

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: plan, releases, compat, run, resume or status (see --help)");
    }

    /**
     * Runs the command line and returns its exit status.
     *
     * @param out standard output
     * @param err standard error
     * @param args arguments
     * @return exit status
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        for (int i = 0; i < args.length; i++) {
            String problem = args[i].length() > MAX_ARGUMENT ? "is " + args[i].length() + " characters long; arguments are limited to "
                    + MAX_ARGUMENT + " characters (pass long input in a file)"
                    : Printable.isOneLine(args[i]) ? "" : "holds a line break or another control character; give each value as one line of text";
            if (!problem.isEmpty()) {
                err.println("arborist: argument " + (i + 1) + " ('" + Printable.line(args[i], 40) + "') " + problem);
                err.flush();
                return BAD_INPUT;
            }
        }
        CommandLine cl = new CommandLine(new ArboristCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("arborist: " + Printable.line(String.valueOf(ex.getMessage()), Printable.MAX_LINE));
            err.flush();
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ArboristException ae) {
                printLines(err, ae.getMessage());
                err.flush();
                return isInputError(ae.kind()) ? BAD_INPUT : 1;
            }
            if (ex instanceof IllegalArgumentException) {
                err.println("arborist: " + Printable.line(firstLine(ex.getMessage()), Printable.MAX_LINE));
                err.flush();
                return BAD_INPUT;
            }
            // Anything else is a failure of ours or of the machine: one line, the details at DEBUG in the log.
            LOG.debug("{} failed", commandLine.getCommandSpec().qualifiedName(), ex);
            err.println("arborist: " + Printable.line(ex instanceof java.io.UncheckedIOException ? firstLine(ex.getMessage())
                    : ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage()), Printable.MAX_LINE));
            err.flush();
            return 1;
        });
        int status = cl.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    private static boolean isInputError(ErrorKind kind) {
        return kind == ErrorKind.CONFIGURATION || kind == ErrorKind.UNKNOWN_NAME || kind == ErrorKind.PLANNING
                || kind == ErrorKind.INCOMPATIBLE;
    }

    /** Our messages are one line, or a headline with one line per problem (at most 50 shown). */
    private static void printLines(PrintWriter err, String message) {
        List<String> lines = (message == null || message.isEmpty() ? "failed" : message).lines().toList();
        err.println("arborist: " + Printable.line(lines.get(0), Printable.MAX_LINE));
        lines.stream().skip(1).limit(50).forEach(l -> err.println("arborist:   " + Printable.line(l, Printable.MAX_LINE)));
        if (lines.size() > 51) {
            err.println("arborist:   ... and " + (lines.size() - 51) + " more");
        }
    }

    private static String firstLine(String message) {
        String m = message == null ? "failed" : message;
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /**
     * Entry point.
     *
     * @param args arguments
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, false, java.nio.charset.StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, false, java.nio.charset.StandardCharsets.UTF_8);
        System.exit(execute(out, err, args));
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ArboristCli.class.getPackage().getImplementationVersion();
            return new String[] {"arborist " + (v == null ? "development build" : v)};
        }
    }
}
