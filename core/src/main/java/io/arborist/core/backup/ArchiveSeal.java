package io.arborist.core.backup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The seal of an archive: an HMAC-SHA256 with an {@link ArchiveKey} over the manifest's exact bytes, stored next to
 * the manifest in {@value #FILE} as one line {@code hmac-sha256 FINGERPRINT MAC}. The manifest holds every other
 * file's SHA-256, so a matching seal authenticates the whole archive; without the key it cannot be forged. Both the
 * MySQL and the ClickHouse archives use this one format (ClickHouse archives of Arborist 0.2 sealed in
 * {@code manifest.json.seal} are not read: the ClickHouse adapter names that file and asks for a new backup).
 *
 * <pre>{@code
 * byte[] line = ArchiveSeal.of(key, manifestBytes).bytes();                 // write it as manifest.sig
 * ArchiveSeal.Check c = ArchiveSeal.check(Optional.of(sealText), manifestBytes, Optional.of(key));
 * c.problems().forEach(System.out::println);
 * }</pre>
 *
 * @param fingerprint the sealing key's {@link ArchiveKey#fingerprint()}
 * @param mac the MAC, as lower-case hex
 * @since 0.3
 */
public record ArchiveSeal(String fingerprint, String mac) {
    /** The seal's file name, next to the manifest. */
    public static final String FILE = "manifest.sig";
    /** The algorithm word that starts the line. */
    public static final String ALGORITHM = "hmac-sha256";
    /** Longest seal file read; a bigger one is a problem. */
    public static final int MAX_BYTES = 4096;

    /**
     * Validates: hex fingerprint and MAC.
     *
     * @param fingerprint the sealing key's {@link ArchiveKey#fingerprint()}
     * @param mac the MAC, as lower-case hex
     */
    public ArchiveSeal {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(mac, "mac");
        if (!fingerprint.matches("[0-9a-f]{1,64}") || !mac.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a seal's fingerprint and MAC are lower-case hex (a 64-digit MAC)");
        }
    }

    /** Whether an archive is authenticated. */
    public enum Status {
        /** Sealed, and the seal matches the key it was checked with. */
        VERIFIED,
        /** Sealed, but no key was given to check the seal (or it did not match: see the problems). */
        NOT_CHECKED,
        /** Not sealed (taken without a key): nothing but its own checksums vouches for it. */
        ABSENT
    }

    /**
     * What a seal says about a manifest.
     *
     * @param status whether it is sealed and authenticated
     * @param problems one line each: with a key, a seal that is missing, malformed, of another key or not matching;
     *     without a key, only a malformed seal file; empty when nothing is wrong
     * @param note one line: how the archive was (or was not) authenticated
     */
    public record Check(Status status, List<String> problems, String note) {
        /**
         * Validates and copies.
         *
         * @param status whether it is sealed and authenticated
         * @param problems one line each: with a key, a seal that is missing, malformed, of another key or not matching; without a
         *     key, only a malformed seal file; empty when nothing is wrong
         * @param note one line: how the archive was (or was not) authenticated
         */
        public Check {
            Objects.requireNonNull(status, "status");
            problems = List.copyOf(problems);
            Objects.requireNonNull(note, "note");
        }

        /** @return whether a key was given and the seal matches it */
        public boolean authenticated() {
            return status == Status.VERIFIED && problems.isEmpty();
        }
    }

    /**
     * Seals a manifest.
     *
     * @param key the archive key
     * @param manifest the manifest's exact bytes
     * @return the seal
     */
    public static ArchiveSeal of(ArchiveKey key, byte[] manifest) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(manifest, "manifest");
        return new ArchiveSeal(key.fingerprint(), key.seal(manifest));
    }

    /** @return the seal file's content: {@code hmac-sha256 FINGERPRINT MAC} and a line break, in ASCII */
    public byte[] bytes() {
        return (ALGORITHM + " " + fingerprint + " " + mac + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param text a seal file's content
     * @return the seal, or empty when the text is not one {@code hmac-sha256 FINGERPRINT MAC} line
     */
    public static Optional<ArchiveSeal> parse(String text) {
        String[] parts = Objects.requireNonNull(text, "text").strip().split(" ");
        if (parts.length != 3 || !parts[0].equals(ALGORITHM) || !parts[1].matches("[0-9a-f]{1,64}") || !parts[2].matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        return Optional.of(new ArchiveSeal(parts[1], parts[2]));
    }

    /**
     * Checks a manifest against its seal.
     *
     * @param sealText the seal file's content, empty when the archive has no seal file
     * @param manifest the manifest's exact bytes
     * @param key the key to authenticate with; without one the seal is only read
     * @return the status, the problems and a note
     */
    public static Check check(Optional<String> sealText, byte[] manifest, Optional<ArchiveKey> key) {
        Objects.requireNonNull(sealText, "sealText");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(key, "key");
        List<String> problems = new ArrayList<>();
        if (sealText.isEmpty()) {
            if (key.isPresent()) {
                problems.add("the archive has no seal (" + FILE + "): it was taken without a key or its seal was removed, so the key cannot"
                        + " authenticate it");
                return new Check(Status.ABSENT, problems, "not authenticated: no seal");
            }
            return new Check(Status.ABSENT, problems, "unauthenticated: no seal and no key; anyone who can edit the archive can also rewrite"
                    + " its digests (back up with a key to seal it)");
        }
        Optional<ArchiveSeal> seal = parse(sealText.get());
        if (seal.isEmpty()) {
            problems.add("the seal " + FILE + " is malformed (expected '" + ALGORITHM + " FINGERPRINT MAC')");
            return new Check(Status.NOT_CHECKED, problems, "not authenticated: malformed seal");
        }
        if (key.isEmpty()) {
            return new Check(Status.NOT_CHECKED, problems, "unauthenticated: sealed with the key " + seal.get().fingerprint()
                    + ", but no key was given to check the seal");
        }
        if (!seal.get().fingerprint().equals(key.get().fingerprint())) {
            problems.add("the archive was sealed with another key (fingerprint " + seal.get().fingerprint() + "; the key given has "
                    + key.get().fingerprint() + ")");
        } else if (!key.get().verifies(manifest, seal.get().mac())) {
            problems.add("the manifest does not match its seal: it was changed after the backup");
        } else {
            return new Check(Status.VERIFIED, problems, "authenticated: sealed with the key " + key.get().fingerprint());
        }
        return new Check(Status.NOT_CHECKED, problems, "not authenticated");
    }
}
