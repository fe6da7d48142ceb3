package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The launcher's class-data training run: it must finish on a machine with no server, quietly, and leave nothing behind. */
class ClassDataTrainingTest {
    private static Set<String> leftovers() throws Exception {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("arborist-cds")).collect(Collectors.toSet());
        }
    }

    @Test
    void trains_every_data_command_against_a_closed_loopback_port_and_cleans_up() throws Exception {
        Set<String> before = leftovers();
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true));
            System.setErr(new PrintStream(printed, true));
            ClassDataTraining.main(new String[0]);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(printed.toString()).as("the commands' output goes to a sink").doesNotContain("arborist:");
        assertThat(leftovers()).isEqualTo(before);
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)).noneMatch(n -> n.startsWith("arborist-ch-export"));
    }
}
