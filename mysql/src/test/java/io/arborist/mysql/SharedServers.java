package io.arborist.mysql;

import java.util.EnumMap;
import java.util.Map;

/**
 * One shared {@link DbServer} per {@link ServerKind} and test JVM, started on first use and stopped when the JVM exits.
 * Test classes use their own database names.
 */
public final class SharedServers {
    private static final Map<ServerKind, DbServer> SERVERS = new EnumMap<>(ServerKind.class);

    private SharedServers() {
    }

    /** @return the shared server of this kind, started when it is not yet */
    public static synchronized DbServer server(ServerKind kind) {
        DbServer server = SERVERS.get(kind);
        if (server == null) {
            try {
                server = DbServer.start(kind);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start " + kind + " for the tests: " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop " + kind));
            SERVERS.put(kind, server);
        }
        return server;
    }
}
