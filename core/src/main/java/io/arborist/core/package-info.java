/**
 * Arborist core: the exception root shared by every module. The catalog lives in
 * {@link io.arborist.core.release}, Aspects facts in {@link io.arborist.core.aspects} and the planner in
 * {@link io.arborist.core.plan}.
 *
 * <p>Everything in Arborist's public API is non-null unless it is an {@link java.util.Optional}; collections are
 * empty, never null.
 */
package io.arborist.core;
