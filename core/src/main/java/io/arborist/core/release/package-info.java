/**
 * Typed models of Open edX named releases, point releases, Tutor versions and default datastore versions, and the
 * {@link io.arborist.core.release.ReleaseCatalog} that holds them. The bundled catalog is JSON data; callers add a
 * future release or correct a fact with their own catalog file, without a code change.
 */
package io.arborist.core.release;
