/**
 * The worker's side of the trial queue in PostgreSQL: claiming a trial under a lease, renewing it,
 * recording metrics, evaluations and checkpoints guarded by the attempt number, and finishing the
 * trial; and {@link dev.cliplab.worker.queue.WorkerVerticle}, one per device, which runs claimed
 * trials on a worker thread so that training never blocks an event loop.
 */
package dev.cliplab.worker.queue;
