package io.arborist.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium}, headless, for tests of the HTML page (installed by {@code scripts/install-servers}). Every
 * request the browser makes goes to a loopback proxy that records it and answers 403, so a test can assert that a page
 * loads nothing and no test reaches anything but loopback.
 */
final class Chromium implements AutoCloseable {
    private final Path executable;
    private final Path profile;
    private final ServerSocket proxy;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final Thread acceptor;

    /** What a browser run printed. */
    record Result(int exit, String stdout, String stderr) {
    }

    Chromium(Path workDir) throws IOException {
        this.executable = find();
        this.profile = Files.createDirectories(workDir.resolve("chromium-profile"));
        this.proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::serve, "recording-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Requests headless Chromium 156 makes for itself whatever the page (network time, component updates, account
     * cookies), even with background networking disabled: the same four on every run. They reach the loopback proxy, which
     * refuses them, like everything else.
     */
    private static final java.util.regex.Pattern BROWSER_OWN = java.util.regex.Pattern.compile(
            "CONNECT (accounts\\.google\\.com|update\\.googleapis\\.com):443 HTTP/1\\.1"
            + "|GET http://clients2\\.google\\.com/time/1/current\\?\\S* HTTP/1\\.1"
            + "|POST http://update\\.googleapis\\.com/service/update2/json\\?\\S* HTTP/1\\.1");

    /** @return the request lines the browser sent (to anywhere; all reached the loopback proxy), in order */
    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** @return the requests other than the browser's own ({@link #BROWSER_OWN}): what pages asked for */
    List<String> pageRequests() {
        return requests().stream().filter(r -> !BROWSER_OWN.matcher(r).matches()).toList();
    }

    /** Takes a screenshot of the page at 1280×2000. */
    Result screenshot(Path page, Path png) throws IOException, InterruptedException {
        return run("--screenshot=" + png, "--window-size=1280,2000", "--hide-scrollbars", page.toUri().toString());
    }

    /** Prints the page's DOM after it loaded. */
    Result dumpDom(Path page) throws IOException, InterruptedException {
        return run("--dump-dom", page.toUri().toString());
    }

    private Result run(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--proxy-server=http://127.0.0.1:" + proxy.getLocalPort(), "--proxy-bypass-list=<-loopback>"));
        argv.addAll(List.of(args));
        Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
        Path err = Files.createTempFile(profile.getParent(), "chromium", ".err");
        Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new AssertionError("chromium did not finish within 120 s; its log:\n" + tail(Files.readString(err)));
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        if (r.exit() != 0) {
            throw new AssertionError("chromium exited with status " + r.exit() + "; its log:\n" + tail(r.stderr()));
        }
        return r;
    }

    private void serve() {
        while (!proxy.isClosed()) {
            try (Socket s = proxy.accept()) {
                s.setSoTimeout(5000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                String line = in.readLine();
                requests.add(line == null ? "(connection without a request)" : line);
                OutputStream o = s.getOutputStream();
                o.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                o.flush();
            } catch (IOException e) {
                if (!proxy.isClosed()) {
                    requests.add("(connection failed: " + e.getMessage() + ")");
                }
            }
        }
    }

    private static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new AssertionError("chromium is not installed: run scripts/install-servers (it runs apt-get install chromium)");
    }

    private static String tail(String log) {
        return log.length() <= 5000 ? log : log.substring(log.length() - 5000);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        proxy.close();
        acceptor.join(5000);
    }
}
