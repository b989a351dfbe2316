/**
 * The command-line client of the REST API ({@code cliplab submit}, {@code status}, {@code cancel},
 * {@code export}): it reads and writes only what a remote user could, over HTTP, and says what the
 * server refused and why, one line per error.
 */
package dev.cliplab.orchestrator.client;
