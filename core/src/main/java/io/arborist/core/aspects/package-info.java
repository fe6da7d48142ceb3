/**
 * Aspects (tutor-contrib-aspects) facts: versions, the line-to-release compatibility matrix with its documented and
 * tolerated ranges, the ClickHouse version per line and the schema rename maps. All of it is catalog data, read by
 * {@link io.arborist.core.release.ReleaseCatalog}.
 */
package io.arborist.core.aspects;
