package io.arborist.mysql;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One shared {@link DbServer} per {@link ServerKind} and test JVM, started on first use and stopped when the test run
 * ends. Test classes use their own database names.
 */
public final class SharedServers {
    private SharedServers() {
    }

    /** @return the shared server of this kind, started when it is not yet */
    public static DbServer server(ExtensionContext context, ServerKind kind) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        return store.getOrComputeIfAbsent("arborist.server." + kind.label(), k -> {
            try {
                return new Holder(DbServer.start(kind));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start " + kind + " for the tests: " + e.getMessage(), e);
            }
        }, Holder.class).server;
    }

    private static final class Holder implements ExtensionContext.Store.CloseableResource {
        final DbServer server;

        Holder(DbServer server) {
            this.server = server;
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
