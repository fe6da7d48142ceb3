package io.arborist.mysql;

/**
 * Who owns restored views, routines, triggers and events, whose {@code DEFINER} clause names an account of the source
 * server.
 *
 * @since 0.1
 */
public enum DefinerPolicy {
    /**
     * Each object keeps the definer it had (the default). Before changing anything, the restore checks that every such
     * account exists on the target (or is among the users restored with the archive) and fails naming the objects and
     * accounts otherwise: a trigger whose definer is missing is created, but fails every insert into its table.
     */
    KEEP,
    /**
     * The {@code DEFINER} clauses are dropped, so the restoring account owns every object: for targets where the
     * source's accounts do not exist, or where the restoring account may not name another definer (managed services
     * without {@code SET USER} or {@code SUPER}). Views and routines with {@code SQL SECURITY DEFINER} then run with
     * the restoring account's privileges.
     */
    CURRENT_USER
}
