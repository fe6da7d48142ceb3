package io.arborist.core.backup.store;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where backups are kept, parsed from the one string an operator gives ({@code --out}, {@code --backup-dir}, the
 * {@code DEST} of {@code arborist backups list}): a local directory or an S3 bucket and prefix.
 *
 * <pre>{@code
 * Destination.parse("/backups/edx");          // LocalDirectory[/backups/edx]
 * Destination.parse("s3://edx-backups/prod"); // S3Location[bucket=edx-backups, prefix=prod/]
 * Destination.parse("gs://x");                // ArboristException: unknown scheme
 * }</pre>
 *
 * @since 0.3
 */
public sealed interface Destination permits Destination.LocalDirectory, Destination.S3Location {
    /** A value that starts like a URL: a scheme of two or more letters and a colon (one letter is a Windows drive). */
    Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):");

    /**
     * Parses a destination.
     *
     * @param value a local path, or {@code s3://BUCKET} or {@code s3://BUCKET/PREFIX}
     * @return the destination
     * @throws ArboristException of kind CONFIGURATION naming the value when it has another scheme ({@code gs://},
     *     {@code ftp:}, {@code s3:} without {@code //}) or an invalid bucket name
     */
    static Destination parse(String value) {
        Objects.requireNonNull(value, "value");
        String v = value.strip();
        if (v.isEmpty()) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "the backup destination is empty; give a directory or s3://BUCKET/PREFIX");
        }
        var m = SCHEME.matcher(v);
        if (!m.find()) {
            return new LocalDirectory(Path.of(v));
        }
        if (!m.group(1).toLowerCase(Locale.ROOT).equals("s3") || !v.substring(3).startsWith("//")) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "unsupported backup destination '" + shown(v)
                    + "': give a local directory or s3://BUCKET/PREFIX");
        }
        String rest = v.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.contains("@")) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "invalid backup destination '" + shown(v)
                    + "': credentials do not belong in it; give them through the AWS credential chain (environment, profile or role)");
        }
        try {
            return new S3Location(bucket, prefix);
        } catch (IllegalArgumentException e) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "invalid backup destination '" + shown(v) + "': " + e.getMessage());
        }
    }

    /** Never shows credentials someone put into a URL ({@code s3://key:secret@bucket}). */
    private static String shown(String value) {
        return value.replaceAll("//[^/@]*@", "//…@");
    }

    /**
     * @param name a path below this destination, with {@code /} separators
     * @return the destination of that path (an archive's own location)
     */
    Destination resolve(String name);

    /**
     * A directory on this machine.
     *
     * @param directory the directory (need not exist yet)
     */
    record LocalDirectory(Path directory) implements Destination {
        /**
         * Validates and normalises.
         *
         * @param directory the directory (need not exist yet)
         */
        public LocalDirectory {
            directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        }

        @Override
        public Destination resolve(String name) {
            return new LocalDirectory(directory.resolve(ObjectNames.check(name)));
        }

        @Override
        public String toString() {
            return directory.toString();
        }
    }

    /**
     * A bucket and a key prefix in S3 or an S3-compatible store.
     *
     * @param bucket the bucket (3–63 lower-case letters, digits, dots and hyphens)
     * @param prefix the key prefix, empty or ending in {@code /}
     */
    record S3Location(String bucket, String prefix) implements Destination {
        private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

        /**
         * Validates; adds the trailing {@code /} to a non-empty prefix.
         *
         * @param bucket the bucket (3–63 lower-case letters, digits, dots and hyphens)
         * @param prefix the key prefix, empty or ending in {@code /}
         */
        public S3Location {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(prefix, "prefix");
            if (!BUCKET.matcher(bucket).matches()) {
                throw new IllegalArgumentException("bucket name '" + bucket + "' is not valid: 3 to 63 lower-case letters, digits, dots and hyphens");
            }
            String p = prefix.replaceAll("/+", "/");
            p = p.startsWith("/") ? p.substring(1) : p;
            if (!p.isEmpty()) {
                ObjectNames.check(p.endsWith("/") ? p.substring(0, p.length() - 1) : p);
                p = p.endsWith("/") ? p : p + "/";
            }
            prefix = p;
        }

        @Override
        public Destination resolve(String name) {
            return new S3Location(bucket, prefix + ObjectNames.check(name));
        }

        @Override
        public String toString() {
            return "s3://" + bucket + "/" + prefix;
        }
    }
}
