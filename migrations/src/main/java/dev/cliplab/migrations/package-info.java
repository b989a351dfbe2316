/**
 * The cliplab database schema as Flyway migrations under {@code db/migration}, and {@link
 * dev.cliplab.migrations.Migrations}, the one entry point that brings a PostgreSQL database up to
 * date. Every process that talks to the database (orchestrator, standalone worker, tests) migrates
 * through it, so the schema never depends on which process started first.
 */
package dev.cliplab.migrations;
