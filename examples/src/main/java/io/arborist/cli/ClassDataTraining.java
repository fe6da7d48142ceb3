package io.arborist.cli;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind the launcher's class-data archive ({@code ./arborist} runs it once per build under
 * {@code -XX:ArchiveClassesAtExit}): a plan, then the backup, restore and verify commands against loopback port 1,
 * where nothing listens, so that each fails at once after loading its client (picocli, Jackson, clickhouse-java,
 * Apache HttpClient, Connector/J, zstd, the AWS SDK with dummy credentials and instance metadata off). Later runs map those classes from the archive instead of reading them out of
 * the jar, which saves about a second of start-up CPU per data command. Nothing leaves this machine.
 */
public final class ClassDataTraining {
    private ClassDataTraining() {
    }

    /**
     * Runs the training commands; prints nothing.
     *
     * @param args ignored
     * @throws IOException when the temporary directory cannot be made or removed
     */
    public static void main(String[] args) throws IOException {
        Path tmp = Files.createTempDirectory("arborist-cds");
        try {
            run("plan", "--from", "koa", "--to", "olive");
            run("backup", "clickhouse", "--url", "http://127.0.0.1:1", "--databases", "xapi", "--out", tmp.resolve("ch").toString());
            run("restore", "clickhouse", "--url", "http://127.0.0.1:1", "--from", tmp.resolve("none").toString());
            run("backup", "mysql", "--url", "jdbc:mysql://127.0.0.1:1", "--user", "root", "--databases", "edxapp", "--out",
                    tmp.resolve("my").toString());
            run("restore", "mysql", "--url", "jdbc:mysql://127.0.0.1:1", "--user", "root", "--from", tmp.resolve("none").toString());
            run("verify", tmp.resolve("none").toString());
            // the AWS SDK: dummy credentials and no instance metadata, so the request is made (and refused) on loopback
            Map<String, String> saved = new HashMap<>();
            for (String[] p : new String[][] {{"aws.disableEc2Metadata", "true"}, {"aws.accessKeyId", "training"},
                    {"aws.secretAccessKey", "training"}}) {
                saved.put(p[0], System.getProperty(p[0]));
                System.setProperty(p[0], p[1]);
            }
            try {
                run("backups", "list", "s3://arborist-training/x", "--endpoint", "http://127.0.0.1:1", "--region", "us-east-1");
            } finally {
                saved.forEach((k, v) -> {
                    if (v == null) {
                        System.clearProperty(k);
                    } else {
                        System.setProperty(k, v);
                    }
                });
            }
            try (ZstdOutputStream z = new ZstdOutputStream(OutputStream.nullOutputStream(), 1)) {
                z.write(new byte[1 << 16]);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(tmp)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void run(String... args) {
        StringWriter sink = new StringWriter();
        ArboristCli.execute(new PrintWriter(sink), new PrintWriter(sink), args);
    }
}
