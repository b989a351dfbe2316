/**
 * Reading configuration files (trial parameters, sweep specs) written in YAML or JSON into the JSON
 * objects the rest of cliplab validates.
 */
package dev.cliplab.worker.config;
