/**
 * Implementation details of Arborist core: JSON reading and writing, catalog binding, planning and rendering.
 * No compatibility is promised for anything in this package; nothing public refers to it.
 */
package io.arborist.core.internal;
