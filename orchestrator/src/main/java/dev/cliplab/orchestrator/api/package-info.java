/**
 * The REST API: its routes, declared together in {@link dev.cliplab.orchestrator.api.ApiVerticle},
 * their handlers, the live event stream fed by one database listener, the OpenAPI document, and the
 * one place where failures become JSON error responses that name what was wrong.
 */
package dev.cliplab.orchestrator.api;
