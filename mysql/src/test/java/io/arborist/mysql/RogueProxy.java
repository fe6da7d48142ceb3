package io.arborist.mysql;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

/**
 * A hostile MySQL server on loopback, as anyone on the path of an unencrypted connection can be: it relays a real
 * server's packets, but answers the queries it chooses itself with a {@code LOAD DATA LOCAL INFILE} request for a file
 * of its choosing, and keeps every byte the client sends back. It can also strip TLS from the server's greeting.
 *
 * <p>Hijacked queries never reach the real server; the client gets an error for them.
 */
final class RogueProxy implements AutoCloseable {
    private static final int CLIENT_SSL = 0x0800;
    private final ServerSocket listener;
    private final int upstream;
    private final String file;
    private final boolean stripTls;
    /** Decides, from the query text and its number on its connection (0 for the first), whether to hijack it. */
    private final BiPredicate<String, Integer> hijack;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final AtomicInteger hijacks = new AtomicInteger();
    private final AtomicBoolean tlsRequested = new AtomicBoolean();
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread acceptor;

    private RogueProxy(int upstream, Path file, boolean stripTls, BiPredicate<String, Integer> hijack) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstream = upstream;
        this.file = file.toString();
        this.stripTls = stripTls;
        this.hijack = hijack;
        this.acceptor = new Thread(this::accept, "rogue-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * @param upstreamPort the real server
     * @param file the file the proxy asks the client for
     * @param stripTls whether to hide the server's TLS offer from the client
     * @param hijack which queries to answer with the file request: (query text, its number on its connection)
     */
    static RogueProxy start(int upstreamPort, Path file, boolean stripTls, BiPredicate<String, Integer> hijack) throws IOException {
        return new RogueProxy(upstreamPort, file, stripTls, hijack);
    }

    /** @return the URL that reaches the real server through this proxy */
    String url() {
        return "jdbc:mysql://127.0.0.1:" + listener.getLocalPort();
    }

    /** @return every byte clients sent in answer to the proxy's file requests */
    synchronized byte[] received() {
        return received.toByteArray();
    }

    /** @return how many queries the proxy answered with a file request */
    int hijacks() {
        return hijacks.get();
    }

    /** @return whether a client asked to switch to TLS */
    boolean tlsRequested() {
        return tlsRequested.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstream);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(server);
                }
                Thread up = new Thread(() -> clientToServer(client, server), "rogue-proxy-up");
                Thread down = new Thread(() -> serverToClient(server, client), "rogue-proxy-down");
                up.setDaemon(true);
                down.setDaemon(true);
                up.start();
                down.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private record Packet(int seq, byte[] payload) {
    }

    private static Packet read(InputStream in) throws IOException {
        byte[] h = in.readNBytes(4);
        if (h.length < 4) {
            throw new EOFException();
        }
        int len = (h[0] & 0xff) | (h[1] & 0xff) << 8 | (h[2] & 0xff) << 16;
        byte[] p = in.readNBytes(len);
        if (p.length < len) {
            throw new EOFException();
        }
        return new Packet(h[3] & 0xff, p);
    }

    private static void write(OutputStream out, int seq, byte[] payload) throws IOException {
        synchronized (out) {
            out.write(new byte[] {(byte) payload.length, (byte) (payload.length >> 8), (byte) (payload.length >> 16), (byte) seq});
            out.write(payload);
            out.flush();
        }
    }

    private void clientToServer(Socket client, Socket server) {
        try (client; server) {
            InputStream in = client.getInputStream();
            OutputStream toServer = server.getOutputStream();
            OutputStream toClient = client.getOutputStream();
            int queries = 0;
            while (true) {
                Packet p = read(in);
                if (p.seq() == 1 && p.payload().length == 32 && (p.payload()[0] & CLIENT_SSL) != 0) {
                    // an SSL request: from here on the bytes are TLS, relayed unread
                    tlsRequested.set(true);
                    write(toServer, p.seq(), p.payload());
                    in.transferTo(toServer);
                    return;
                }
                boolean query = p.seq() == 0 && p.payload().length > 0 && p.payload()[0] == 0x03;
                if (query && hijack.test(queryText(p.payload()), queries++)) {
                    hijacks.incrementAndGet();
                    byte[] name = file.getBytes(StandardCharsets.UTF_8);
                    byte[] request = new byte[name.length + 1];
                    request[0] = (byte) 0xfb;
                    System.arraycopy(name, 0, request, 1, name.length);
                    write(toClient, 1, request);
                    int seq = 1;
                    while (true) {
                        Packet data = read(in);
                        seq = data.seq();
                        if (data.payload().length == 0) {
                            break;
                        }
                        synchronized (this) {
                            received.writeBytes(data.payload());
                        }
                    }
                    byte[] message = "hijacked by the test's rogue server".getBytes(StandardCharsets.UTF_8);
                    byte[] err = new byte[9 + message.length];
                    err[0] = (byte) 0xff;
                    err[1] = (byte) (1148 & 0xff);
                    err[2] = (byte) (1148 >> 8);
                    System.arraycopy("#42000".getBytes(StandardCharsets.US_ASCII), 0, err, 3, 6);
                    System.arraycopy(message, 0, err, 9, message.length);
                    write(toClient, seq + 1, err);
                    continue;
                }
                write(toServer, p.seq(), p.payload());
            }
        } catch (IOException e) {
            // a side closed: so does the other
        }
    }

    /** @return a COM_QUERY's text, past MySQL 8's query attribute counts (small numbers before the text) */
    private static String queryText(byte[] payload) {
        int at = 1;
        while (at < payload.length && payload[at] >= 0 && payload[at] < 0x20) {
            at++;
        }
        return new String(payload, at, payload.length - at, StandardCharsets.UTF_8);
    }

    private void serverToClient(Socket server, Socket client) {
        try (client; server) {
            InputStream in = server.getInputStream();
            OutputStream out = client.getOutputStream();
            Packet greeting = read(in);
            byte[] g = greeting.payload();
            if (stripTls && g.length > 0 && g[0] == 10) {
                int at = 1;
                while (g[at] != 0) {
                    at++;
                }
                at += 1 + 4 + 8 + 1; // the version's NUL, connection id, first auth data, filler
                g[at] = (byte) (g[at] & ~CLIENT_SSL);
                g[at + 1] = (byte) (g[at + 1] & ~(CLIENT_SSL >> 8));
            }
            write(out, greeting.seq(), g);
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // a side closed: so does the other
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
