package dev.cliplab.orchestrator.sweep;

/**
 * One thing wrong with a sweep spec.
 *
 * @param field where, as a path such as {@code parameters.batch_size[1]}; empty for the whole spec
 * @param message what was expected, in words a person can act on
 */
public record SpecError(String field, String message) {}
