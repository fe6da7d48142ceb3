/**
 * Where archives live: a local directory or an S3 (or S3-compatible) prefix, written and read as streams through one
 * {@link io.arborist.core.backup.store.BackupStore}, optionally encrypted at rest, and listed and pruned by
 * {@link io.arborist.core.backup.store.BackupCatalog}.
 *
 * <h2>How an adapter writes an archive</h2>
 * <pre>{@code
 * BackupStores stores = BackupStores.builder().environment(System.getenv()).build();   // AWS chain, AWS_ENDPOINT_URL
 * try (BackupStore store = stores.open(Destination.parse(out))) {                      // "/backups" or "s3://b/p"
 *     ArchiveWriter archive = ArchiveWriter.into(store, "02-lilac-backup/mysql")
 *             .encryptedWith(key)            // Optional<EncryptionKey>: every object and the manifest encrypted
 *             .start();                      // refuses a complete archive, and a partial one unless replacePartial()
 *     try {
 *         for (Table t : tables) {           // in parallel if you like: one stream per object
 *             StoreOutputStream out = archive.create(t.file());
 *             try (OutputStream zstd = new ZstdOutputStream(out)) {   // closing commits the object (multipart on S3)
 *                 copyRows(t, zstd);                                  // digest what you write: the manifest lists it
 *             } catch (IOException | RuntimeException e) {
 *                 out.abort();               // discards the object; on S3 aborts the multipart upload
 *                 throw e;
 *             }
 *         }
 *         archive.commit(manifestBytes);     // written last: the only sign of a complete archive
 *     } catch (RuntimeException e) {
 *         archive.discard();                 // or leave it: it reads as partial and backups prune --partial removes it
 *         throw e;
 *     }
 * }
 * }</pre>
 * Restores and verification open it with {@link io.arborist.core.backup.store.ArchiveReader#open}: it refuses a
 * partial archive, tells an encrypted one without its key or with another key in one line, decrypts on the fly, and
 * {@code reader.open(name, sha256)} checks each object against the manifest's digest as it streams; ranged reads
 * ({@code reader.open(name, offset, length)}) let large objects be read in parallel. A journal records the archive's
 * {@code location().toString()}, which {@link io.arborist.core.backup.store.BackupCatalog} matches when pruning.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>A new backup into a prefix that holds a partial archive is refused, naming the prefix and
 *       {@code backups prune --partial}; a caller that knows it wrote the partial archive (a resumed run) passes
 *       {@code replacePartial()} and it is deleted first. A complete archive is never overwritten.</li>
 *   <li>Uploads are streamed: one PUT for a small object, otherwise 8 MiB parts (configurable, at least 5 MiB) with
 *       at most 2 uploading while the next fills, so a writer holds at most 24 MiB. Requests are retried (4 attempts,
 *       exponential backoff with jitter) on throttling, 5xx and network errors; then the upload is aborted and the
 *       error is one line. A killed process leaves an incomplete multipart upload, never an object;
 *       {@code backups prune --partial} aborts it (an S3 lifecycle rule that aborts incomplete uploads also works).</li>
 *   <li>Encryption: Tink's streaming AEAD AES256_GCM_HKDF_1MB; associated data binds the object's name inside its
 *       archive; the plaintext marker {@code archive.json} records the scheme and the key's fingerprint.</li>
 * </ul>
 */
package io.arborist.core.backup.store;
