/**
 * Command-line entry points of the worker module that need no platform: the {@code train} command
 * for one training run from a configuration file.
 */
package dev.cliplab.worker.cli;
