/**
 * A benchmark of the orchestrator on a real PostgreSQL: queue claims, submission to a running trial
 * on an idle worker, metric ingestion and the API's heaviest reads, each against its target, on a
 * database the run creates and drops.
 */
package dev.cliplab.orchestrator.bench;
