package io.arborist.clickhouse.internal;

import io.arborist.clickhouse.ClickHouseManifest;
import io.arborist.clickhouse.ManifestChunk;
import io.arborist.clickhouse.ManifestDatabase;
import io.arborist.clickhouse.ManifestFile;
import io.arborist.clickhouse.ManifestObject;
import io.arborist.clickhouse.ObjectKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks of a manifest shared by {@link ArchiveVerifier} and {@link Loader}: its structure, and the
 * statements a restore would run ({@link DdlPolicy}). Every line names the object it is about.
 */
final class ArchiveCheck {
    /** Databases a restore never writes into. */
    private static final Set<String> SYSTEM_DATABASES = Set.of("system", "information_schema", "INFORMATION_SCHEMA");

    private ArchiveCheck() {
    }

    /**
     * The statements a restore runs, or why it would not.
     *
     * @param databases by database name in the archive: its {@code CREATE DATABASE} for the target
     * @param objects by object (not skipped, not inner tables): its {@code CREATE} for the target
     * @param problems statements no server shows (tampering): one line per object
     * @param outside objects that reach beyond the restored databases or the server: one line per object
     * @param outsideReads reads outside the restored databases: one line per object
     * @param outsideDatabases the databases those reads name
     */
    record Statements(Map<String, String> databases, Map<ManifestObject, String> objects, List<String> problems, List<String> outside,
                      List<String> outsideReads, Set<String> outsideDatabases) {
    }

    /** @return problems with the manifest's structure (names, digests), one line each */
    static List<String> structure(ClickHouseManifest m) {
        List<String> problems = new ArrayList<>();
        Set<String> dbs = new HashSet<>();
        for (ManifestDatabase d : m.databases()) {
            if (d.name().isEmpty() || SYSTEM_DATABASES.contains(d.name()) || !dbs.add(d.name())) {
                problems.add("database " + shown(d.name()) + ": empty, a system database, or listed twice");
            }
        }
        Set<String> names = new HashSet<>();
        Set<String> files = new HashSet<>();
        for (ManifestObject o : m.objects()) {
            String name = shown(o.qualifiedName());
            if (!dbs.contains(o.database())) {
                problems.add(name + ": in a database the manifest does not list");
            }
            if (o.name().isEmpty() || !names.add(o.database() + "\u0000" + o.name())) {
                problems.add(name + ": an empty name, or listed twice");
            }
            for (ManifestChunk c : o.chunks()) {
                if (!c.file().isEmpty() && (!c.sha256().matches("[0-9a-f]{64}") || !files.add(c.file()))) {
                    problems.add(name + ": the data file " + shown(c.file()) + " has no SHA-256 or is listed twice");
                }
                if (!c.hashSum().matches("[0-9]{0,20}") || !c.hashXor().matches("[0-9]{0,20}")) {
                    problems.add(name + ": a chunk's row-hash checksum is not a number");
                }
            }
        }
        for (ManifestFile f : m.files()) {
            if (!f.sha256().matches("[0-9a-f]{64}") || !files.add(f.path())) {
                problems.add("file " + shown(f.path()) + ": no SHA-256, or listed twice");
            }
        }
        if (m.format() >= 2 && m.files().isEmpty() && !m.databases().isEmpty()) {
            problems.add("the manifest lists none of the schema files a format " + m.format() + " backup has");
        }
        return problems;
    }

    /**
     * @param m the manifest
     * @param renames database renames (archive name to target name); databases not in it keep their name
     * @param alsoReadable databases outside the archive that views, MVs and dictionaries may read
     * @return what restored statements may name
     */
    static DdlPolicy.Scope scope(ClickHouseManifest m, Map<String, String> renames, Set<String> alsoReadable) {
        Map<String, String> all = new LinkedHashMap<>();
        m.databases().forEach(d -> all.put(d.name(), renames.getOrDefault(d.name(), d.name())));
        Set<String> tables = m.objects().stream().filter(o -> o.kind() == ObjectKind.TABLE)
                .map(o -> all.getOrDefault(o.database(), o.database()) + "." + o.name()).collect(Collectors.toSet());
        return new DdlPolicy.Scope(all, tables, alsoReadable);
    }

    /**
     * Checks every statement a restore would run.
     *
     * @param m the manifest
     * @param scope what restored statements may name
     * @param overrides DDL supplied for objects, by {@code database.name} in the archive
     * @param skipped objects left out, by {@code database.name} in the archive (their inner tables too)
     * @return the statements and the problems
     */
    static Statements statements(ClickHouseManifest m, DdlPolicy.Scope scope, Map<String, String> overrides, Set<String> skipped) {
        Map<String, String> databases = new LinkedHashMap<>();
        Map<ManifestObject, String> objects = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        List<String> reads = new ArrayList<>();
        Set<String> readDatabases = new java.util.TreeSet<>();
        for (ManifestDatabase d : m.databases()) {
            DdlPolicy.Verdict v = DdlPolicy.database(d.ddl(), d.name(), scope.databases().getOrDefault(d.name(), d.name()));
            v.problem().ifPresentOrElse(p -> problems.add("database " + shown(d.name()) + ": its DDL " + p), () -> databases.put(d.name(), v.sql()));
        }
        for (ManifestObject o : m.objects()) {
            if (skipped.contains(o.qualifiedName()) || o.kind() == ObjectKind.INNER_TABLE && skipped.contains(o.database() + "." + o.innerOf())) {
                continue;
            }
            String name = shown(o.qualifiedName());
            DdlPolicy.Verdict v = DdlPolicy.object(o.kind(), overrides.getOrDefault(o.qualifiedName(), o.ddl()), o.database(), o.name(), scope);
            if (v.problem().isPresent()) {
                if (v.outside()) {
                    outside.add(name + ": " + v.problem().get());
                } else {
                    problems.add(name + ": its DDL " + v.problem().get());
                }
                continue;
            }
            if (!v.outsideReads().isEmpty()) {
                reads.add(name + ": reads " + v.outsideReads().stream().map(ArchiveCheck::shown).collect(Collectors.joining(", "))
                        + ", outside the restored databases");
                v.outsideReads().forEach(r -> readDatabases.add(r.substring(0, Math.max(0, r.indexOf('.')))));
            }
            if (o.kind() != ObjectKind.INNER_TABLE) {
                objects.put(o, v.sql());
            }
        }
        return new Statements(databases, objects, problems, outside, reads, readDatabases);
    }

    static String shown(String s) {
        return DdlPolicy.shown(s);
    }
}
