/**
 * Implementation details of {@code arborist-tutor}: output pumping and bounding, process-tree killing, placeholder
 * resolution and shell quoting. Not API: no compatibility is promised, and nothing public outside this package names
 * these types.
 */
package io.arborist.tutor.internal;
