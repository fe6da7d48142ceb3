package io.arborist.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every Java snippet in README.md is a copy of a tagged region of a compiled example; XML snippets of a built pom. */
class ReadmeSnippetsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->\\n```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern XML_SNIPPET = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->\\n```xml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void readme_java_snippets_match_compiled_examples() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher m = SNIPPET.matcher(readme);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            String source = Files.readString(ROOT.resolve(m.group(1)));
            assertThat(m.group(3)).as("README snippet from " + m.group(1) + "#" + m.group(2)).isEqualTo(region(source, m.group(2)));
            checked.add(m.group(1));
        }
        assertThat(checked).as("README has snippets to check").isNotEmpty();
        long javaBlocks = Pattern.compile("```java").matcher(readme).results().count();
        assertThat(checked).as("every java block in README is a checked snippet").hasSize((int) javaBlocks);
    }

    /** The BOM snippet is the consumer build's (examples/consumer, which scripts/test builds against the installed jars). */
    @Test
    void readme_xml_snippets_match_the_consumer_build() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher m = XML_SNIPPET.matcher(readme);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            String source = Files.readString(ROOT.resolve(m.group(1)));
            assertThat(m.group(3)).as("README snippet from " + m.group(1) + "#" + m.group(2)).isEqualTo(region(source, m.group(2)));
            checked.add(m.group(1));
        }
        assertThat(checked).as("README has the BOM snippet").contains("examples/consumer/pom.xml");
    }

    /** The lines between {@code tag::NAME[]} and {@code end::NAME[]} (in a Java or an XML comment), unindented. */
    private static String region(String source, String tag) {
        int start = source.indexOf("tag::" + tag + "[]");
        int end = source.indexOf("end::" + tag + "[]");
        assertThat(start).as("tag " + tag).isNotNegative();
        String body = source.substring(source.indexOf('\n', start) + 1, source.lastIndexOf('\n', end) + 1);
        int indent = body.lines().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        body.lines().forEach(l -> out.append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n'));
        return out.toString();
    }
}
