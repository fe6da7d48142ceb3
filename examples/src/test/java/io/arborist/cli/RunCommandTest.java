package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run / resume / status through the CLI, with a fake tutor and pip that record their argv. */
class RunCommandTest {
    @TempDir
    Path dir;

    private static final String SECRET = "tutor-secret-3e5f0c";

    private Path fake;
    private Path calls;
    private Path planFile;
    private Path archive;

    record Result(int status, String out, String err) {
    }

    private Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ArboristCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    @BeforeEach
    void setUp() throws IOException {
        calls = dir.resolve("calls.log");
        fake = dir.resolve("fake-tool");
        archive = dir.resolve("mongodb-stream.gz");
        Files.write(archive, mongoArchive("before"));
        Files.writeString(fake, """
                #!/bin/sh
                echo "$0 $*" >> '%s'
                if [ -f '%s' ] && [ "$2" = "upgrade" ]; then echo "upgrade exploded" >&2; exit 7; fi
                if [ "$1" = config ] && [ "$2" = printvalue ] && [ "$3" = RUN_MONGODB ]; then echo true; exit 0; fi
                if [ "$2" = exec ] && [ "$5" = mongodump ]; then
                  echo "docker compose --env MONGO_PASSWORD=%s exec -T mongodb mongodump --archive --gzip"
                  echo "writing openedx.modulestore to archive on stdout" >&2
                  cat '%s'; exit 0
                fi
                echo "ok: $*"
                """.formatted(calls, dir.resolve("fail-upgrade"), SECRET, archive));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        planFile = dir.resolve("plan.json");
        assertThat(cli("plan", "--from", "koa", "--to", "lilac", "--format", "json", "--out", planFile.toString()).status()).isZero();
    }

    /** run or resume, unattended, with every backup declared taken by hand. */
    private String[] run(String command, String... extra) {
        List<String> more = new java.util.ArrayList<>(List.of("--backups-taken-by-hand", "mysql,mongodb,tutor-root"));
        more.addAll(List.of(extra));
        return unattended(command, "upgrade.journal", more.toArray(String[]::new));
    }

    private String[] unattended(String command, String journal, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(command, "--journal", dir.resolve(journal).toString(),
                "--tutor", fake.toString(), "--pip", fake.toString(), "--tutor-root", dir.toString(), "--yes"));
        if (command.equals("run") && !List.of(extra).contains("--plan")) {
            args.addAll(List.of("--plan", planFile.toString()));
        }
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** A gzipped stream laid out like mongodump --archive output: magic, header, one collection, terminators. */
    static byte[] mongoArchive(String marker) throws IOException {
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        raw.write(le32(0x8199e26d));
        raw.write(bson("version", "0.1"));
        raw.write(bson("db", "openedx", "collection", "modulestore"));
        raw.write(le32(-1));
        raw.write(bson("db", "openedx", "collection", "modulestore"));
        raw.write(bson("marker", marker));
        raw.write(le32(-1));
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(raw.toByteArray());
        }
        return gz.toByteArray();
    }

    /** A BSON document of string fields, given as name, value, name, value... */
    private static byte[] bson(String... fields) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i += 2) {
            byte[] value = fields[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            body.write(2);
            body.write(fields[i].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            body.write(0);
            body.write(le32(value.length + 1));
            body.write(value);
            body.write(0);
        }
        body.write(0);
        java.io.ByteArrayOutputStream doc = new java.io.ByteArrayOutputStream();
        doc.write(le32(body.size() + 4));
        body.writeTo(doc);
        return doc.toByteArray();
    }

    private static byte[] le32(int v) {
        return java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** A Tutor root in the test directory: config.yml holding a secret, and env/. */
    private void tutorRoot(String version) throws IOException {
        Files.writeString(dir.resolve("config.yml"), "MYSQL_ROOT_PASSWORD: " + SECRET + "\nVERSION: " + version + "\n");
        Files.createDirectories(dir.resolve("env/local"));
        Files.writeString(dir.resolve("env/local/docker-compose.yml"), "password: " + SECRET + " " + version + "\n");
    }

    /** Every file under a directory with its content hash. */
    private static java.util.Map<String, Integer> fingerprint(Path root) throws IOException {
        java.util.Map<String, Integer> out = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), java.util.Arrays.hashCode(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    @Test
    void runs_the_plan_through_the_real_process_runner_and_journals_it() throws IOException {
        Result r = cli(run("run"));

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("[3/11] 03-lilac-install").contains("Upgrade plan completed.");
        assertThat(Files.readAllLines(calls)).extracting(l -> l.substring(l.indexOf(' ') + 1)).containsExactly(
                "install tutor==12.2.0 tutor-mfe==12.1.0", "plugins enable mfe", "config save", "images build openedx mfe",
                "local upgrade --from=koa -I", "local quickstart -I", "local run cms ./manage.py cms reindex_course --all --setup",
                "config printvalue OPENEDX_COMMON_VERSION", "local run lms ./manage.py lms check");
        Result status = cli("status", "--journal", dir.resolve("upgrade.journal").toString());
        assertThat(status.out()).contains("08-lilac-launch").contains("done").contains("Completed.");
    }

    @Test
    void a_failed_step_stops_the_run_and_resume_finishes_it_once() throws IOException {
        Files.writeString(dir.resolve("fail-upgrade"), "");
        Result failed = cli(run("run"));

        assertThat(failed.status()).isEqualTo(1);
        assertThat(failed.out()).contains("FAILED").contains("Stopped at 07-lilac-upgrade").contains("arborist resume --journal");
        assertThat(cli("status", "--journal", dir.resolve("upgrade.journal").toString()).out())
                .contains("07-lilac-upgrade").contains("FAILED").contains("6 of 11 steps done; next: 07-lilac-upgrade");

        Files.delete(dir.resolve("fail-upgrade"));
        Result resumed = cli(run("resume"));

        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("[skip] 03-lilac-install").contains("Upgrade plan completed.");
        List<String> lines = Files.readAllLines(calls);
        assertThat(lines).filteredOn(l -> l.endsWith("local upgrade --from=koa -I")).hasSize(2);
        assertThat(lines).filteredOn(l -> l.endsWith("config save")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.endsWith("local quickstart -I")).hasSize(1);
    }

    @Test
    void dry_run_records_commands_and_writes_no_journal() {
        Result r = cli(run("run", "--dry-run"));

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("#!/bin/sh").contains("tutor local upgrade --from=koa");
        assertThat(dir.resolve("upgrade.journal")).doesNotExist();
        assertThat(calls).doesNotExist();
    }

    @Test
    void without_yes_and_without_a_terminal_the_run_pauses_at_the_first_manual_step() {
        Result r = cli("run", "--plan", planFile.toString(), "--journal", dir.resolve("upgrade.journal").toString(),
                "--tutor", fake.toString(), "--pip", fake.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains("MANUAL: Prepare").contains("run again with --yes").contains("Stopped at 01-koa-prepare");
        assertThat(calls).doesNotExist();
    }

    @Test
    void bad_input_is_one_line_with_status_2() {
        Result missing = cli(run("run", "--plan", dir.resolve("nope.json").toString()));
        Result resumeMissing = cli("resume", "--journal", dir.resolve("none.journal").toString());
        Result timeout = cli(run("run", "--timeout", "soon"));
        Result gs = cli(run("run", "--backup-dir", "gs://bucket/upgrade"));

        for (Result r : List.of(missing, resumeMissing, timeout, gs)) {
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err().strip().lines()).hasSize(1);
        }
        assertThat(missing.err()).contains("nope.json does not exist");
        assertThat(timeout.err()).contains("invalid --timeout 'soon'");
        assertThat(gs.err()).contains("unsupported backup destination 'gs://bucket/upgrade': give a local directory or s3://BUCKET/PREFIX");
        assertThat(dir.resolve("gs:")).doesNotExist();
        assertThat(calls).as("nothing ran").doesNotExist();
    }

    @Test
    void a_journal_of_another_plan_is_refused() throws IOException {
        assertThat(cli(run("run")).status()).isZero();
        Path other = dir.resolve("other.json");
        cli("plan", "--from", "koa", "--to", "maple", "--format", "json", "--out", other.toString());

        Result r = cli(run("resume", "--plan", other.toString()));

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("The plan changed since journal");
    }

    @Test
    void yes_refuses_before_the_first_step_when_nothing_would_take_a_backup() {
        Result r = cli(unattended("run", "upgrade.journal"));
        Result resume = cli(unattended("resume", "upgrade.journal"));

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("refusing to run with --yes: nothing would back up mysql, mongodb, tutor-root")
                .contains("--backup-dir DIR with --mysql-url URL takes mysql")
                .contains("--backup-dir DIR takes mongodb")
                .contains("--backup-dir DIR takes tutor-root")
                .contains("add --backups-taken-by-hand mysql,mongodb,tutor-root");
        assertThat(r.out()).doesNotContain("[1/");
        assertThat(calls).as("no step ran, not even a lookup").doesNotExist();
        assertThat(dir.resolve("upgrade.journal")).doesNotExist();
        assertThat(resume.status()).as("nothing to resume").isEqualTo(2);

        Result partly = cli(unattended("run", "upgrade.journal", "--backups-taken-by-hand", "mongodb"));
        assertThat(partly.err()).contains("nothing would back up mysql, tutor-root").contains("--backups-taken-by-hand mysql,tutor-root");
        Result unknown = cli(unattended("run", "upgrade.journal", "--backups-taken-by-hand", "mongo"));
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown backup target 'mongo'").contains("mysql, mongodb, clickhouse, search-index, tutor-root");
    }

    @Test
    void backups_taken_by_hand_are_confirmed_with_who_and_when_in_the_journal() throws IOException {
        Result r = cli(run("run"));

        assertThat(r.status()).as(r.err()).isZero();
        String user = System.getProperty("user.name");
        assertThat(r.out()).contains("Backups taken by hand, not by Arborist")
                .contains("mysql, mongodb, tutor-root  confirmed by " + user + " (--backups-taken-by-hand)");
        List<String> confirmed = Files.readAllLines(dir.resolve("upgrade.journal")).stream()
                .filter(l -> l.contains("\"type\":\"confirmed\"")).toList();
        assertThat(confirmed).hasSize(1);
        assertThat(confirmed.get(0)).contains("\"targets\":[\"MYSQL\",\"MONGODB\",\"TUTOR_ROOT\"]")
                .contains("\"confirmedBy\":\"" + user + " (--backups-taken-by-hand)\"").contains("\"at\":\"");
        assertThat(cli("status", "--journal", dir.resolve("upgrade.journal").toString()).out())
                .contains("confirmed by " + user);
    }

    @Test
    void backup_dir_takes_mongodb_and_the_tutor_root_through_tutor_and_never_shows_a_secret() throws IOException {
        tutorRoot("before");
        Path backups = dir.resolve("backups");

        Result r = cli(unattended("run", "upgrade.journal", "--backup-dir", backups.toString(), "--backups-taken-by-hand", "mysql"));

        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(Files.readAllLines(calls)).extracting(l -> l.substring(l.indexOf(' ') + 1))
                .contains("config printvalue RUN_MONGODB", "local exec -T mongodb mongodump --archive --gzip");
        String run = runId("upgrade.journal");
        Path step = backups.resolve(run).resolve("02-lilac-backup");
        assertThat(Files.readAllBytes(step.resolve("mongodb/mongodb.archive.gz"))).isEqualTo(Files.readAllBytes(archive));
        assertThat(step.resolve("mongodb/manifest.json")).exists();
        assertThat(step.resolve("tutor-root/files/config.yml")).hasSameTextualContentAs(dir.resolve("config.yml"));
        assertThat(step.resolve("tutor-root/manifest.json")).exists();
        String journal = Files.readString(dir.resolve("upgrade.journal"));
        assertThat(journal).contains("\"type\":\"backup\"").contains(step.resolve("mongodb").toString())
                .contains(step.resolve("tutor-root").toString());
        assertThat(r.out()).contains("writing openedx.modulestore to archive on stdout").contains(step.resolve("mongodb").toString());
        for (String text : List.of(r.out(), r.err(), journal, Files.readString(step.resolve("mongodb/manifest.json")),
                Files.readString(step.resolve("tutor-root/manifest.json")))) {
            assertThat(text).doesNotContain(SECRET);
        }
    }

    @Test
    void a_second_run_beside_a_first_ones_backups_leaves_them_untouched_byte_for_byte() throws IOException {
        tutorRoot("before");
        Path backups = dir.resolve("backups");
        Result first = cli(unattended("run", "first.journal", "--backup-dir", backups.toString(), "--backups-taken-by-hand", "mysql"));
        assertThat(first.status()).as(first.out() + first.err()).isZero();
        java.util.Map<String, Integer> before = fingerprint(backups);

        tutorRoot("after");
        Files.write(archive, mongoArchive("after the upgrade"));
        Result second = cli(unattended("run", "second.journal", "--backup-dir", backups.toString(), "--backups-taken-by-hand", "mysql"));

        assertThat(second.status()).as(second.out() + second.err()).isZero();
        java.util.Map<String, Integer> after = fingerprint(backups);
        assertThat(after).containsAllEntriesOf(before).hasSize(2 * before.size());
        String firstRun = runId("first.journal");
        String secondRun = runId("second.journal");
        assertThat(firstRun).isNotEqualTo(secondRun);
        assertThat(backups.resolve(firstRun).resolve("02-lilac-backup/tutor-root/files/config.yml")).content().contains("before");
        assertThat(backups.resolve(secondRun).resolve("02-lilac-backup/tutor-root/files/config.yml")).content().contains("after");
    }

    private String runId(String journal) throws IOException {
        String first = Files.readAllLines(dir.resolve(journal)).get(0);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"runId\":\"([^\"]+)\"").matcher(first);
        assertThat(m.find()).as(first).isTrue();
        return m.group(1);
    }
}
