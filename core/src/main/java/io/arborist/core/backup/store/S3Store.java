package io.arborist.core.backup.store;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A store below an S3 prefix. Objects are uploaded as they are written: one PUT for a small object, otherwise a
 * multipart upload of fixed-size parts with at most {@code inFlight} parts uploading while the next one fills, so a
 * writer holds at most {@code (inFlight + 1) × partSize} bytes. Reads are streamed GETs, ranged on request.
 */
final class S3Store implements BackupStore, Leftovers {
    private final Shared shared;
    private final String bucket;
    private final String root;

    /** What every view of one store shares: the client and the upload threads. */
    record Shared(java.util.concurrent.CompletableFuture<S3Client> building, URI endpoint, int partSize, int inFlight,
                  ExecutorService uploads) {
        /** @return the client, once built (it is built while the caller goes on: the SDK takes seconds to load) */
        S3Client client() {
            try {
                return building.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }
    }

    S3Store(Shared shared, String bucket, String root) {
        this.shared = shared;
        this.bucket = bucket;
        this.root = root;
    }

    private String key(String name) {
        return root + ObjectNames.check(name);
    }

    private String where(String name) {
        return "s3://" + bucket + "/" + root + name;
    }

    @Override
    public Destination destination() {
        return new Destination.S3Location(bucket, root);
    }

    @Override
    public StoreOutputStream create(String name) {
        return new Upload(key(name), where(name));
    }

    @Override
    public InputStream open(String name) {
        try {
            return shared.client().getObject(b -> b.bucket(bucket).key(key(name)));
        } catch (NoSuchKeyException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, where(name) + " is missing");
        } catch (SdkException e) {
            throw S3Errors.failure("read", where(name), bucket, shared.endpoint, e);
        }
    }

    @Override
    public InputStream open(String name, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0, got " + offset + " and " + length);
        }
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        try {
            return shared.client().getObject(b -> b.bucket(bucket).key(key(name)).range("bytes=" + offset + "-" + (offset + length - 1)));
        } catch (NoSuchKeyException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, where(name) + " is missing");
        } catch (AwsServiceException e) {
            if (e.statusCode() == 416) {
                return InputStream.nullInputStream();
            }
            throw S3Errors.failure("read", where(name), bucket, shared.endpoint, e);
        } catch (SdkException e) {
            throw S3Errors.failure("read", where(name), bucket, shared.endpoint, e);
        }
    }

    @Override
    public Optional<StoredObject> stat(String name) {
        try {
            HeadObjectResponse r = shared.client().headObject(b -> b.bucket(bucket).key(key(name)));
            return Optional.of(new StoredObject(name, r.contentLength(), r.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404 && !S3Errors.isMissingBucket(e)) {
                // HEAD has no body: a 404 is a missing key unless the bucket check below says otherwise
                checkBucket();
                return Optional.empty();
            }
            throw S3Errors.failure("read", where(name), bucket, shared.endpoint, e);
        } catch (SdkException e) {
            throw S3Errors.failure("read", where(name), bucket, shared.endpoint, e);
        }
    }

    private void checkBucket() {
        try {
            shared.client().headBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            throw S3Errors.failure("read", "s3://" + bucket + "/" + root, bucket, shared.endpoint, e);
        }
    }

    @Override
    public List<StoredObject> list(String prefix) {
        String p = prefix.isEmpty() ? root : root + ObjectNames.check(prefix) + "/";
        List<StoredObject> out = new ArrayList<>();
        try {
            for (S3Object o : shared.client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(p)).contents()) {
                out.add(new StoredObject(o.key().substring(root.length()), o.size(), o.lastModified()));
            }
        } catch (SdkException e) {
            throw S3Errors.failure("list", "s3://" + bucket + "/" + p, bucket, shared.endpoint, e);
        }
        out.sort(Comparator.comparing(StoredObject::name));
        return out;
    }

    @Override
    public void delete(String name) {
        try {
            shared.client().deleteObject(b -> b.bucket(bucket).key(key(name)));
        } catch (SdkException e) {
            throw S3Errors.failure("delete", where(name), bucket, shared.endpoint, e);
        }
    }

    @Override
    public List<StoredObject> leftovers(String prefix) {
        String p = prefix.isEmpty() ? root : root + ObjectNames.check(prefix) + "/";
        List<StoredObject> out = new ArrayList<>();
        try {
            for (MultipartUpload u : shared.client().listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(p)).uploads()) {
                out.add(new StoredObject(u.key().substring(root.length()), 0, u.initiated()));
            }
        } catch (SdkException e) {
            throw S3Errors.failure("list", "s3://" + bucket + "/" + p, bucket, shared.endpoint, e);
        }
        return out;
    }

    @Override
    public void discard(StoredObject leftover) {
        String key = root + leftover.name();
        try {
            for (MultipartUpload u : shared.client().listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(key)).uploads()) {
                if (u.key().equals(key)) {
                    shared.client().abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(u.uploadId()));
                }
            }
        } catch (SdkException e) {
            throw S3Errors.failure("abort the upload of", where(leftover.name()), bucket, shared.endpoint, e);
        }
    }

    @Override
    public BackupStore within(String prefix) {
        return new S3Store(shared, bucket, root + ObjectNames.check(prefix) + "/");
    }

    @Override
    public void close() {
        // views share the client; BackupStores closes it with the store it opened
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + root;
    }

    /** The store {@link BackupStores} hands out: closing it closes the client and the upload threads. */
    static final class Owner extends Forwarding implements Leftovers {
        private final Shared shared;
        private final S3Store store;

        Owner(S3Store store) {
            super(store);
            this.store = store;
            this.shared = store.shared;
        }

        @Override
        public List<StoredObject> leftovers(String prefix) {
            return store.leftovers(prefix);
        }

        @Override
        public void discard(StoredObject leftover) {
            store.discard(leftover);
        }

        @Override
        public void close() {
            shared.uploads.shutdownNow();
            shared.building.whenComplete((client, failure) -> {
                if (client != null) {
                    client.close();
                }
            });
        }
    }

    /** One object being uploaded. */
    private final class Upload extends StoreOutputStream {
        private final String key;
        private final String where;
        private final BlockingQueue<byte[]> free;
        private final List<Future<CompletedPart>> parts = new ArrayList<>();
        private byte[] buffer = new byte[64 * 1024];
        private int filled;
        private String uploadId;
        private boolean done;

        Upload(String key, String where) {
            this.key = key;
            this.where = where;
            this.free = new ArrayBlockingQueue<>(shared.inFlight + 1);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (done) {
                throw new IOException("the upload of " + where + " is closed");
            }
            while (len > 0) {
                if (filled == buffer.length) {
                    if (buffer.length < shared.partSize) {
                        buffer = Arrays.copyOf(buffer, Math.min(shared.partSize, buffer.length * 4));
                    } else {
                        sendPart();
                    }
                }
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        /**
         * The part's Content-MD5: the store checks what it received against it and refuses the part otherwise, so a
         * backup's bytes are verified on arrival without being downloaded again.
         */
        private static String md5(byte[] data, int length) {
            try {
                java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
                md5.update(data, 0, length);
                return java.util.Base64.getEncoder().encodeToString(md5.digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("MD5 is missing from this JVM", e);
            }
        }

        /** Hands the full buffer to an upload thread, waiting while {@code inFlight} parts are already uploading. */
        private void sendPart() throws IOException {
            try {
                if (uploadId == null) {
                    uploadId = shared.client().createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
                }
                failFast();
                byte[] part = buffer;
                int length = filled;
                int number = parts.size() + 1;
                // the buffers in use: at most inFlight uploading and this one filling
                byte[] next = parts.size() >= shared.inFlight ? waitForBuffer(parts.size() - shared.inFlight) : free.poll();
                parts.add(shared.uploads.submit(() -> {
                    try {
                        String md5 = md5(part, length);
                        UploadPartResponse r = shared.client().uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                                .partNumber(number).contentLength((long) length).contentMD5(md5),
                                RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(part, 0, length)));
                        return CompletedPart.builder().partNumber(number).eTag(r.eTag()).build();
                    } finally {
                        free.offer(part);
                    }
                }));
                buffer = next != null ? next : new byte[shared.partSize];
                filled = 0;
            } catch (SdkException e) {
                abort();
                throw new IOException(S3Errors.failure("upload", where, bucket, shared.endpoint, e).getMessage(), e);
            }
        }

        private byte[] waitForBuffer(int part) throws IOException {
            await(parts.get(part));
            return free.poll();
        }

        private void failFast() throws IOException {
            for (Future<CompletedPart> f : parts) {
                if (f.isDone()) {
                    await(f);
                }
            }
        }

        private CompletedPart await(Future<CompletedPart> f) throws IOException {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abort();
                throw new InterruptedIOException("the upload of " + where + " was interrupted; nothing was stored");
            } catch (ExecutionException e) {
                abort();
                Throwable cause = e.getCause();
                String message = cause instanceof SdkException s ? S3Errors.failure("upload", where, bucket, shared.endpoint, s).getMessage()
                        : "the upload of " + where + " failed: " + cause;
                throw new IOException(message, cause);
            }
        }

        @Override
        public void close() throws IOException {
            if (done) {
                return;
            }
            try {
                if (uploadId == null) {
                    byte[] data = buffer;
                    int length = filled;
                    String md5 = md5(data, length);
                    shared.client().putObject(b -> b.bucket(bucket).key(key).contentLength((long) length).contentMD5(md5),
                            RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(data, 0, length)));
                } else {
                    if (filled > 0) {
                        sendPart();
                    }
                    List<CompletedPart> completed = new ArrayList<>();
                    for (Future<CompletedPart> f : parts) {
                        completed.add(await(f));
                    }
                    shared.client().completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                            .multipartUpload(m -> m.parts(completed)));
                }
                done = true;
                buffer = null;
            } catch (SdkException e) {
                abort();
                throw new IOException(S3Errors.failure("upload", where, bucket, shared.endpoint, e).getMessage(), e);
            }
        }

        @Override
        public void abort() {
            if (done) {
                return;
            }
            done = true;
            buffer = null;
            parts.forEach(f -> f.cancel(true));
            if (uploadId != null) {
                try {
                    shared.client().abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                } catch (SdkException e) {
                    // the incomplete upload stays invisible; backups prune reports and removes it
                }
            }
        }
    }
}
