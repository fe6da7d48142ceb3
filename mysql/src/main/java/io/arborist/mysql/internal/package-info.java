/**
 * Implementation details of {@code arborist-mysql}: the dump and load engines, the archive manifest, the row codec,
 * the restore journal and connection handling. Not API: no compatibility is promised, and nothing public outside
 * this package names these types.
 */
package io.arborist.mysql.internal;
