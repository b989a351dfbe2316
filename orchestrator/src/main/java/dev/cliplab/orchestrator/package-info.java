/**
 * The cliplab application: the command line ({@link dev.cliplab.orchestrator.Cliplab}), its
 * options, and {@link dev.cliplab.orchestrator.Platform}, which migrates the database off the event
 * loop, then starts the API, the lease reaper and one worker verticle per local device in one JVM.
 */
package dev.cliplab.orchestrator;
