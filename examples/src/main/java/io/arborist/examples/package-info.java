/**
 * Small runnable programs, one per capability, and the benchmarks. README snippets are copied from here and
 * checked by the build.
 */
package io.arborist.examples;
