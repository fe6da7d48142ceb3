package io.arborist.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A TLS front for a test ClickHouse: accepts TLS on a free loopback port with a self-signed certificate for
 * {@code 127.0.0.1} (made with the JDK's keytool) and forwards the decrypted bytes to the server's plain HTTP port, as
 * a TLS-terminating proxy in front of ClickHouse does. The engine answers every request; only TLS is the proxy's.
 */
final class TlsProxy implements AutoCloseable {
    private final ServerSocket socket;
    private final Path caPem;
    private final AtomicInteger handshakes = new AtomicInteger();

    private TlsProxy(ServerSocket socket, Path caPem) {
        this.socket = socket;
        this.caPem = caPem;
    }

    /**
     * @param backend the server's plain HTTP URL
     * @param dir where the key store and the certificate go
     * @return the running proxy
     */
    static TlsProxy start(String backend, Path dir) throws Exception {
        Path ks = certificate(dir, "server");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TlsProxy proxy = new TlsProxy(server, dir.resolve("server.pem"));
        URI b = URI.create(backend);
        Thread accept = new Thread(() -> proxy.serve(b.getHost(), b.getPort()), "tls-proxy-accept");
        accept.setDaemon(true);
        accept.start();
        return proxy;
    }

    /**
     * Makes a self-signed certificate for {@code 127.0.0.1}: {@code NAME.p12} (key store, password changeit) and
     * {@code NAME.pem} (the certificate, to trust as the CA).
     */
    static Path certificate(Path dir, String name) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path ks = dir.resolve(name + ".p12");
        run(List.of(keytool.toString(), "-genkeypair", "-alias", "ch", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-keypass", "changeit"));
        run(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", "ch", "-keystore", ks.toString(), "-storepass", "changeit", "-file",
                dir.resolve(name + ".pem").toString()));
        return ks;
    }

    private static void run(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + argv + "\n" + out);
        }
    }

    /** @return {@code https://127.0.0.1:PORT} */
    String url() {
        return "https://127.0.0.1:" + socket.getLocalPort();
    }

    /** @return the PEM of the proxy's certificate */
    Path ca() {
        return caPem;
    }

    /** @return TLS connections accepted so far */
    int connections() {
        return handshakes.get();
    }

    private void serve(String host, int port) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket upstream = new Socket(host, port);
                handshakes.incrementAndGet();
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed, or a client that gave up on the handshake: keep accepting until close()
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed: close both
            } finally {
                close(from);
                close(to);
            }
        }, "tls-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
