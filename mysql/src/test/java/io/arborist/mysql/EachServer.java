package io.arborist.mysql;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
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
 * A test that runs once on each server of {@link ServerKind#selected()} (MariaDB 10.11 and MySQL 8.0 by default), each
 * run named after its server. The test, and its {@code @BeforeEach} and {@code @AfterEach} methods, take the
 * {@link DbServer} (shared per kind, see {@link SharedServers}) or its {@link ServerKind} as a parameter.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(EachServer.Servers.class)
public @interface EachServer {
    /** Provides one invocation per selected server. */
    final class Servers implements TestTemplateInvocationContextProvider {
        @Override
        public boolean supportsTestTemplate(ExtensionContext context) {
            return context.getRequiredTestMethod().isAnnotationPresent(EachServer.class);
        }

        @Override
        public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
            return ServerKind.selected().stream().map(On::new);
        }
    }

    /** One invocation: the server of one kind. */
    record On(ServerKind kind) implements TestTemplateInvocationContext, ParameterResolver {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + kind.label() + "]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(this);
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            Class<?> type = p.getParameter().getType();
            return type == DbServer.class || type == ServerKind.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            return p.getParameter().getType() == ServerKind.class ? kind : SharedServers.server(kind);
        }
    }
}
