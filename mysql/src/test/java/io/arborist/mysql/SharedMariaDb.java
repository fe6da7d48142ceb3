package io.arborist.mysql;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit extension sharing one {@link MariaDbServer} per JVM (stopped when the test run ends). Test classes take it
 * as a constructor or method parameter and use their own database names.
 */
public final class SharedMariaDb implements BeforeAllCallback, ParameterResolver {
    private static final String KEY = "arborist.mariadb";

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    static MariaDbServer server(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        return store.getOrComputeIfAbsent(KEY, k -> {
            try {
                return new Holder(MariaDbServer.start());
            } catch (Exception e) {
                throw new IllegalStateException("cannot start MariaDB for the tests: " + e.getMessage(), e);
            }
        }, Holder.class).server;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == MariaDbServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return server(e);
    }

    private static final class Holder implements ExtensionContext.Store.CloseableResource {
        final MariaDbServer server;

        Holder(MariaDbServer server) {
            this.server = server;
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
