package io.arborist.core.release;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A package index on a loopback port serving the PyPI JSON API responses under test resources {@code pypi/NAME.json}
 * (404 for others). Records the paths asked for.
 */
final class IndexServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;
    final List<String> requested = new CopyOnWriteArrayList<>();

    IndexServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "index-server");
        thread.setDaemon(true);
        thread.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/pypi");
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                String line = in.readLine();
                while (true) {
                    String header = in.readLine();
                    if (header == null || header.isEmpty()) {
                        break;
                    }
                }
                String path = line == null ? "" : line.split(" ")[1];
                requested.add(path);
                String name = path.replaceFirst("^/pypi/", "").replaceFirst("/json$", "");
                byte[] body;
                int status;
                try (InputStream r = IndexServer.class.getResourceAsStream("/pypi/" + name + ".json")) {
                    status = r == null ? 404 : 200;
                    body = r == null ? "{\"message\": \"Not Found\"}".getBytes(StandardCharsets.UTF_8) : r.readAllBytes();
                }
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found") + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
