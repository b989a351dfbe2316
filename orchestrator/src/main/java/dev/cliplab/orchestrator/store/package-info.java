/**
 * The orchestrator's SQL: creating a sweep with all its trials in one transaction, and the reads
 * behind the REST API, each page of them one statement (lists, trial pages, downsampled metric
 * history from the rollups the database keeps, the CSV export). Each class owns the statements of
 * one concern and returns rows as JSON.
 */
package dev.cliplab.orchestrator.store;
