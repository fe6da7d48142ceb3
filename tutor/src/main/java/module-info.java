/**
 * Arborist's Tutor runners: the process runner (tree-killing timeouts, redaction, binary streams), the dry-run runner,
 * readiness polling, typed commands, and the MongoDB and Tutor-root backup providers. Exports only its public package.
 */
module io.arborist.tutor {
    requires transitive io.arborist.core;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.yaml.snakeyaml;

    exports io.arborist.tutor;

    // Jackson binds the archive manifests' records by reflection.
    opens io.arborist.tutor to com.fasterxml.jackson.databind;
    opens io.arborist.tutor.internal to com.fasterxml.jackson.databind;
}
