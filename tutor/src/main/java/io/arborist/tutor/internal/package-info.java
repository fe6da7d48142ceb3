/**
 * Implementation details of {@code arborist-tutor}: output pumping and bounding, process-tree killing, placeholder
 * resolution and shell quoting, binary stream pumps, backup files and manifests, and the MongoDB commands and archive
 * checks. Not API: no compatibility is promised, and nothing public outside this package names
 * these types.
 */
package io.arborist.tutor.internal;
