/**
 * The CLIP-Lite network: a small ResNet image encoder, a small transformer text encoder, one
 * projection head per modality and the learnable critic temperature. Every part is a DJL block
 * built from {@code SequentialBlock} or {@code AbstractBlock}, so the whole model trains, saves and
 * loads through the ordinary DJL {@code Model}; the sizes are set through builders so that the same
 * code runs a CPU-sized demo model and a paper-sized one.
 */
package dev.cliplab.worker.model;
