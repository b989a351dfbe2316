/**
 * The REST API: its routes, declared together in {@link dev.cliplab.orchestrator.api.ApiVerticle},
 * their handlers, and the one place where failures become JSON error responses that name what was
 * wrong.
 */
package dev.cliplab.orchestrator.api;
