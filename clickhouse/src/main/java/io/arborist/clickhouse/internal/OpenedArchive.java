package io.arborist.clickhouse.internal;

import io.arborist.clickhouse.ClickHouseManifest;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ArchiveKey;
import java.util.Optional;

/** A manifest read once, with what its checksum and seal say. */
record OpenedArchive(byte[] bytes, ClickHouseManifest manifest, ManifestSeal.Status seal) {
    String digest() {
        return ManifestSeal.sha256(bytes);
    }

    /** Reads the manifest once; with a key, refuses it unless its seal matches (before it is even parsed). */
    static OpenedArchive open(ArchiveSource from, Optional<ArchiveKey> key) {
        byte[] bytes = from.manifest();
        String file = from.directory().map(d -> d.resolve(ClickHouseManifest.FILE).toString()).orElse(from.where() + ClickHouseManifest.FILE);
        if (key.isPresent()) {
            ManifestSeal.Status seal = ManifestSeal.check(from, bytes, 0, key);
            if (!seal.authenticated()) {
                throw new ArboristException(ErrorKind.VERIFICATION, "backup " + from.where() + " is not authenticated by the given key: "
                        + String.join("; ", seal.problems()) + "; nothing was restored");
            }
            return new OpenedArchive(bytes, ManifestJson.parse(file, bytes), seal);
        }
        ClickHouseManifest m = ManifestJson.parse(file, bytes);
        return new OpenedArchive(bytes, m, ManifestSeal.check(from, bytes, m.format(), key));
    }
}
