/**
 * Runs Tutor: {@link io.arborist.tutor.TutorCommands} builds typed commands for a deployment mode,
 * {@link io.arborist.tutor.ProcessTutorRunner} runs them as processes (timeouts that kill the process tree, streamed
 * and bounded output, secrets redacted), {@link io.arborist.tutor.DryRunTutorRunner} records them and renders a shell
 * script, and {@link io.arborist.tutor.Readiness} waits for services without fixed sleeps.
 *
 * <p>Backups of what only Tutor reaches, usable alone or as the executor's providers:
 * {@link io.arborist.tutor.MongoDbBackup} ({@code mongodump --archive --gzip} through the runner, into a checked
 * {@link io.arborist.tutor.MongoDbArchive}; {@link io.arborist.tutor.MongoDbRestore}) and
 * {@link io.arborist.tutor.TutorRootBackup} ({@code config.yml} and {@code env/} into a
 * {@link io.arborist.tutor.TutorRootArchive}; {@link io.arborist.tutor.TutorRootRestore}). The module's README says
 * where each fact about Tutor comes from and what the tests, run against a fake {@code tutor}, prove.
 *
 * <pre>{@code
 * TutorRunner runner = ProcessTutorRunner.builder().tutorRoot(Path.of("/srv/tutor")).build();
 * runner.runChecked(TutorCommands.configSave());
 * }</pre>
 *
 * <p>Everything here is non-null unless it is an {@link java.util.Optional}; collections are empty, never null.
 *
 * @since 0.1
 */
package io.arborist.tutor;
