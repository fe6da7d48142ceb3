package io.arborist.mysql;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * A test that runs once for each ordered pair of selected servers of different flavours (MariaDB to MySQL and MySQL to
 * MariaDB by default), taking a {@link Pair} parameter.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(EachServerPair.Pairs.class)
public @interface EachServerPair {
    /** A backup's source and a restore's target. */
    record Pair(DbServer from, DbServer to) {
    }

    /** Provides one invocation per pair. */
    final class Pairs implements TestTemplateInvocationContextProvider {
        @Override
        public boolean supportsTestTemplate(ExtensionContext context) {
            return context.getRequiredTestMethod().isAnnotationPresent(EachServerPair.class);
        }

        @Override
        public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
            List<TestTemplateInvocationContext> out = new ArrayList<>();
            for (ServerKind from : ServerKind.selected()) {
                for (ServerKind to : ServerKind.selected()) {
                    if (from.isMySql() != to.isMySql()) {
                        out.add(new On(from, to));
                    }
                }
            }
            if (out.isEmpty()) {
                throw new IllegalStateException("cross-flavour tests need a MariaDB and a MySQL server; ARBORIST_TEST_SERVERS"
                        + " selects only " + ServerKind.selected());
            }
            return out.stream();
        }
    }

    /** One invocation: a pair of servers. */
    record On(ServerKind from, ServerKind to) implements TestTemplateInvocationContext, ParameterResolver {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + from.label() + " -> " + to.label() + "]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(this);
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return p.getParameter().getType() == Pair.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            return new Pair(SharedServers.server(from), SharedServers.server(to));
        }
    }
}
