package io.arborist.core.backup.store;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Opens {@link BackupStore}s: a local directory as it is, an S3 prefix with the AWS SDK's standard credential chain
 * and region (or the ones given here) and, for S3-compatible stores, an endpoint with path-style addressing.
 *
 * <pre>{@code
 * BackupStores stores = BackupStores.builder().environment(System.getenv()).build();   // honours AWS_ENDPOINT_URL
 * try (BackupStore store = stores.open(Destination.parse("s3://edx-backups/prod"))) {
 *     ...
 * }
 * BackupStores.builder().endpoint(URI.create("http://127.0.0.1:9000")).region("us-east-1")
 *         .credentials("AKIA…", secret).build();                                    // an S3-compatible store
 * }</pre>
 *
 * <p>Immutable and thread-safe; each {@link #open} of an S3 destination makes its own client, closed with the store.
 *
 * @since 0.3
 */
public final class BackupStores {
    /** The environment variable that points the SDK (and Arborist) at an S3-compatible store. */
    public static final String ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL";
    private static final int MIN_PART = 5 * 1024 * 1024;

    private final Optional<URI> endpoint;
    private final Optional<String> region;
    private final Optional<AwsBasicCredentials> credentials;
    private final boolean pathStyle;
    private final int partSize;
    private final int inFlight;
    private final int maxAttempts;
    private final Duration timeout;

    private BackupStores(Builder b) {
        this.endpoint = b.endpoint.or(() -> Optional.ofNullable(b.environment.get(ENDPOINT_VARIABLE)).filter(v -> !v.isBlank())
                .map(v -> endpoint(v, ENDPOINT_VARIABLE)));
        this.region = b.region.or(() -> Optional.ofNullable(b.environment.get("AWS_REGION"))
                .or(() -> Optional.ofNullable(b.environment.get("AWS_DEFAULT_REGION"))).filter(v -> !v.isBlank()));
        this.credentials = b.credentials;
        this.pathStyle = b.pathStyle.orElse(endpoint.isPresent());
        this.partSize = b.partSize;
        this.inFlight = b.inFlight;
        this.maxAttempts = b.maxAttempts;
        this.timeout = b.timeout;
    }

    /** @return a builder with the defaults: no endpoint, the SDK's region and credentials, 8 MiB parts, 2 in flight */
    public static Builder builder() {
        return new Builder();
    }

    private static URI endpoint(String value, String from) {
        try {
            URI uri = new URI(value.strip());
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new URISyntaxException(value, "not an http(s) URL");
            }
            if (uri.getUserInfo() != null) {
                throw new ArboristException(ErrorKind.CONFIGURATION, "the S3 endpoint from " + from
                        + " holds credentials; give them through the AWS credential chain instead");
            }
            return uri;
        } catch (URISyntaxException | NullPointerException e) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "the S3 endpoint from " + from
                    + " is not an http:// or https:// URL with a host");
        }
    }

    /**
     * @param destination a local directory or an S3 prefix
     * @return a store rooted there; close it when done
     * @throws ArboristException of kind CONFIGURATION when no AWS region can be found
     */
    public BackupStore open(Destination destination) {
        Objects.requireNonNull(destination, "destination");
        if (destination instanceof Destination.LocalDirectory local) {
            return new LocalStore(local.directory());
        }
        Destination.S3Location s3 = (Destination.S3Location) destination;
        Region where = region.map(Region::of).orElseGet(this::sdkRegion);
        // the SDK's classes take seconds to load: the client is built while the caller goes on (a backup connects to
        // its database meanwhile); its first use waits for it
        java.util.concurrent.CompletableFuture<S3Client> client = java.util.concurrent.CompletableFuture.supplyAsync(() -> client(where), task -> {
            Thread t = new Thread(task, "arborist-s3-client");
            t.setDaemon(true);
            t.start();
        });
        AtomicInteger n = new AtomicInteger();
        ExecutorService uploads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "arborist-s3-upload-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return new S3Store.Owner(new S3Store(new S3Store.Shared(client, endpoint.orElse(null), partSize, inFlight, uploads),
                s3.bucket(), s3.prefix()));
    }

    /**
     * @param destination as {@link Destination#parse(String)} reads it
     * @return a store rooted there
     */
    public BackupStore open(String destination) {
        return open(Destination.parse(destination));
    }

    private S3Client client(Region r) {
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).socketTimeout(timeout))
                .region(r)
                .forcePathStyle(pathStyle)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(maxAttempts).build()));
        AwsCredentialsProvider provider = credentials.isPresent() ? StaticCredentialsProvider.create(credentials.get())
                : DefaultCredentialsProvider.builder().build();
        b.credentialsProvider(provider);
        endpoint.ifPresent(e -> b.endpointOverride(e)
                // S3-compatible stores often reject the SDK's newer default trailing checksums
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
        return b.build();
    }

    private Region sdkRegion() {
        if (endpoint.isPresent()) {
            return Region.US_EAST_1;
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkException e) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "no AWS region is configured; set AWS_REGION or a profile's region", e);
        }
    }

    /** Settings for {@link BackupStores}; every one has a default. Not thread-safe. */
    public static final class Builder {
        private Map<String, String> environment = Map.of();
        private Optional<URI> endpoint = Optional.empty();
        private Optional<String> region = Optional.empty();
        private Optional<AwsBasicCredentials> credentials = Optional.empty();
        private Optional<Boolean> pathStyle = Optional.empty();
        private int partSize = 8 * 1024 * 1024;
        private int inFlight = 2;
        private int maxAttempts = 4;
        private Duration timeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /**
         * @param env where to read {@code AWS_ENDPOINT_URL}, {@code AWS_REGION} and {@code AWS_DEFAULT_REGION} (pass
         *     {@code System.getenv()}; default: nothing). The SDK's credential chain reads the process environment itself.
         * @return this builder
         */
        public Builder environment(Map<String, String> env) {
            this.environment = Map.copyOf(Objects.requireNonNull(env, "env"));
            return this;
        }

        /**
         * @param uri an S3-compatible store's URL, {@code http(s)://host:port} (default: {@code AWS_ENDPOINT_URL}, else AWS)
         * @return this builder
         */
        public Builder endpoint(URI uri) {
            this.endpoint = Optional.of(BackupStores.endpoint(Objects.requireNonNull(uri, "uri").toString(), "the endpoint option"));
            return this;
        }

        /**
         * @param name an AWS region such as {@code eu-west-1} (default: the SDK's region chain; {@code us-east-1} with an endpoint)
         * @return this builder
         */
        public Builder region(String name) {
            this.region = Optional.of(Objects.requireNonNull(name, "name"));
            return this;
        }

        /**
         * Static credentials instead of the SDK's chain (environment, profile, web identity, container, instance role).
         *
         * @param accessKeyId the access key ID
         * @param secretAccessKey the secret key; the caller may clear the array after {@link #build()}
         * @return this builder
         */
        public Builder credentials(String accessKeyId, char[] secretAccessKey) {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            this.credentials = Optional.of(AwsBasicCredentials.create(accessKeyId, new String(secretAccessKey)));
            return this;
        }

        /**
         * @param on whether to address buckets as {@code host/bucket} (default: on with an endpoint, off on AWS)
         * @return this builder
         */
        public Builder pathStyle(boolean on) {
            this.pathStyle = Optional.of(on);
            return this;
        }

        /**
         * @param bytes size of the parts of a multipart upload, at least 5 MiB (default 8 MiB); a writer holds at most
         *     {@code (uploadsInFlight + 1) × partSize} bytes
         * @return this builder
         */
        public Builder partSize(int bytes) {
            if (bytes < MIN_PART) {
                throw new IllegalArgumentException("part size must be at least 5 MiB (S3's minimum), got " + bytes);
            }
            this.partSize = bytes;
            return this;
        }

        /**
         * @param parts parts of one object uploading at once, 1–8 (default 2)
         * @return this builder
         */
        public Builder uploadsInFlight(int parts) {
            if (parts < 1 || parts > 8) {
                throw new IllegalArgumentException("uploads in flight must be 1 to 8, got " + parts);
            }
            this.inFlight = parts;
            return this;
        }

        /**
         * @param attempts tries of one request on throttling, 5xx and network errors, with exponential backoff, 1–10 (default 4)
         * @return this builder
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > 10) {
                throw new IllegalArgumentException("attempts must be 1 to 10, got " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * @param socketTimeout how long a request may wait for the store's next bytes (default 60 s)
         * @return this builder
         */
        public Builder timeout(Duration socketTimeout) {
            if (Objects.requireNonNull(socketTimeout, "socketTimeout").isNegative() || socketTimeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + socketTimeout);
            }
            this.timeout = socketTimeout;
            return this;
        }

        /** @return the configured opener */
        public BackupStores build() {
            return new BackupStores(this);
        }
    }

    @Override
    public String toString() {
        return "BackupStores[endpoint=" + endpoint.map(S3Errors::shown).orElse("AWS") + ", region=" + region.orElse("default")
                + ", credentials=" + (credentials.isPresent() ? "static" : "default chain") + ", partSize=" + partSize + "]";
    }
}
