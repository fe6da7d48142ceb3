/**
 * Extension points that adapter modules implement and callers may implement themselves.
 *
 * <p>Running commands: a {@link io.arborist.core.spi.TutorRunner} runs a {@link io.arborist.core.spi.TutorCommand}
 * (an argv list, never shell text) and returns a {@link io.arborist.core.spi.TutorResult} in which a non-zero exit is
 * data; {@link io.arborist.core.spi.TutorResult#orThrow()} and
 * {@link io.arborist.core.spi.TutorRunner#runChecked(io.arborist.core.spi.TutorCommand)} turn failures into a
 * {@link io.arborist.core.spi.TutorCommandException}. Output is streamed to an
 * {@link io.arborist.core.spi.OutputListener}. {@link io.arborist.core.spi.Secrets} hides passwords, tokens and
 * anything else marked secret in every rendering. The {@code arborist-tutor} module provides the process and dry-run
 * implementations.
 *
 * <p>Everything here is non-null unless it is an {@link java.util.Optional}; collections are empty, never null.
 *
 * @since 0.1
 */
package io.arborist.core.spi;
