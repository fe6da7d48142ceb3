package io.arborist.clickhouse;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Runs each {@link EachEngine} test once per ClickHouse: Debian's 18.16 server ({@link ClickHouseServer}) and the 26.7
 * engine behind the test harness ({@link ChdbServer}), each shared by the whole JVM and passed to the test as a
 * {@link TestClickHouse} parameter. The system property {@code arborist.clickhouse.engines} ({@code server},
 * {@code chdb}, or both comma-separated: the default) narrows the run while working on one of them.
 */
public final class ClickHouseEngines implements TestTemplateInvocationContextProvider {
    /** The engines, by the name the system property uses. */
    enum Engine {
        SERVER("server", "18.16", ClickHouseServer::shared),
        CHDB("chdb", "26.7", ChdbServer::shared);

        final String key;
        final String version;
        final Supplier<TestClickHouse> start;

        Engine(String key, String version, Supplier<TestClickHouse> start) {
            this.key = key;
            this.version = version;
            this.start = start;
        }
    }

    static List<Engine> selected() {
        String wanted = System.getProperty("arborist.clickhouse.engines", "server,chdb");
        List<String> keys = Arrays.stream(wanted.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        List<Engine> out = Arrays.stream(Engine.values()).filter(e -> keys.contains(e.key)).toList();
        if (out.isEmpty() || out.size() != keys.size()) {
            throw new IllegalArgumentException("arborist.clickhouse.engines must list server and/or chdb, got '" + wanted + "'");
        }
        return out;
    }

    private static boolean atLeast(String version, String since) {
        String[] s = since.split("\\.");
        return io.arborist.clickhouse.internal.Http.atLeast(version, Integer.parseInt(s[0]), Integer.parseInt(s[1]));
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return true;
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        String since = context.getRequiredTestMethod().getAnnotation(EachEngine.class).since();
        List<Engine> engines = selected().stream().filter(e -> since.isEmpty() || atLeast(e.version, since)).toList();
        if (engines.isEmpty()) {
            throw new IllegalArgumentException(context.getDisplayName() + " needs ClickHouse " + since + "+; arborist.clickhouse.engines selects none");
        }
        return engines.stream().map(e -> new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return "[" + e.key + "]";
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new ParameterResolver() {
                    @Override
                    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
                        return p.getParameter().getType() == TestClickHouse.class;
                    }

                    @Override
                    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
                        return e.start.get();
                    }
                });
            }
        });
    }
}
