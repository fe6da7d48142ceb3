/** The {@code arborist} command line, built on picocli. */
package io.arborist.cli;
