package io.arborist.clickhouse.internal;

import io.arborist.clickhouse.ClickHouseManifest;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.ArchiveSeal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The manifest's checksum ({@code manifest.json.sha256}: finds damage, but anyone who edits the manifest can recompute
 * it) and seal ({@link ArchiveSeal}, {@code manifest.sig}: HMAC-SHA256 with the archive key over the manifest's exact
 * bytes; without the key it cannot be forged). The manifest holds the SHA-256 of every other file, so a matching seal
 * authenticates the whole archive. A seal in the JSON file {@code manifest.json.seal} of Arborist 0.2 is not read: with a
 * key it is a problem that asks for a new backup, without one a note.
 */
public final class ManifestSeal {
    /** The checksum file, in {@code sha256sum} format. */
    public static final String CHECKSUM_FILE = ClickHouseManifest.FILE + ".sha256";
    /** The seal file: {@link ArchiveSeal#FILE}. */
    public static final String SEAL_FILE = ArchiveSeal.FILE;
    /** Where Arborist 0.2 sealed ClickHouse archives (JSON); no longer read. */
    static final String OLD_SEAL_FILE = ClickHouseManifest.FILE + ".seal";

    private ManifestSeal() {
    }

    /**
     * What the checksum and seal say about a manifest.
     *
     * @param problems one line each: a checksum that does not match, a seal that is missing (with a key), malformed or
     *     does not match
     * @param authenticated whether a key was given and the seal matches
     * @param note how the archive was authenticated, or why it was not
     */
    public record Status(List<String> problems, boolean authenticated, String note) {
        /**
         * Copies.
         *
         * @param problems one line each: a checksum that does not match, a seal that is missing (with a key), malformed or does not
         *     match
         * @param authenticated whether a key was given and the seal matches
         * @param note how the archive was authenticated, or why it was not
         */
        public Status {
            problems = List.copyOf(problems);
        }
    }

    /** @return lowercase hex SHA-256 */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Checks the checksum and, with a key, the seal of the manifest bytes read from a backup directory.
     *
     * @param dir where the archive is
     * @param manifest the manifest's bytes
     * @param format the manifest's format (1 has no checksum file), or 0 when it could not be read
     * @param key the archive key, if given
     * @return what was found
     */
    public static Status check(ArchiveSource dir, byte[] manifest, int format, Optional<ArchiveKey> key) {
        List<String> problems = new ArrayList<>();
        String actual = sha256(manifest);
        Optional<String> recorded = dir.side(CHECKSUM_FILE, problems);
        if (recorded.isPresent()) {
            String[] parts = recorded.get().strip().split("\\s+");
            if (parts.length != 2 || !parts[1].equals(ClickHouseManifest.FILE) || !parts[0].matches("[0-9a-f]{64}")) {
                problems.add(CHECKSUM_FILE + " is malformed (expected '<sha256>  " + ClickHouseManifest.FILE + "')");
            } else if (!parts[0].equals(actual)) {
                problems.add(ClickHouseManifest.FILE + " has SHA-256 " + actual + ", " + CHECKSUM_FILE + " says " + parts[0]
                        + " (damaged, or edited after the backup)");
            }
        } else if (format != 1 && problems.isEmpty()) {
            problems.add(CHECKSUM_FILE + " is missing (the manifest cannot be checked for damage)");
        }
        List<String> sealProblems = new ArrayList<>();
        Optional<String> sealText = dir.side(SEAL_FILE, sealProblems);
        boolean oldSeal = sealText.isEmpty() && sealProblems.isEmpty() && dir.has(OLD_SEAL_FILE);
        if (oldSeal) {
            String line = "sealed in the format of Arborist 0.2 (" + OLD_SEAL_FILE + "), which this version does not read; take a new backup"
                    + " with the key to seal it as " + SEAL_FILE;
            if (key.isPresent()) {
                problems.add(line);
                return new Status(problems, false, "not authenticated: " + line);
            }
            return new Status(problems, false, "unauthenticated: " + line);
        }
        ArchiveSeal.Check seal = ArchiveSeal.check(sealText, manifest, key);
        problems.addAll(sealProblems);
        problems.addAll(seal.problems());
        return new Status(problems, seal.authenticated() && problems.isEmpty(), seal.note());
    }
}
