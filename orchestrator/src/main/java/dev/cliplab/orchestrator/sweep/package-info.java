/**
 * Sweep specifications: the JSON Schema a spec must satisfy, its validation into errors that name
 * the offending field, and the expansion of a grid into trials, each identified by a hash of its
 * canonical parameters so that a grid point exists once per sweep.
 */
package dev.cliplab.orchestrator.sweep;
