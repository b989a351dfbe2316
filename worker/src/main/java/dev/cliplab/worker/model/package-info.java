/**
 * The CLIP-Lite network: a ResNet image encoder (basic or bottleneck blocks, any depth, width and
 * input size), a BERT-style transformer text encoder, one projection head per modality, the
 * learnable critic scale and Deep InfoMax's optional prior discriminator with its loss. Every part
 * is a DJL block built from {@code SequentialBlock} or {@code AbstractBlock}, so the whole model
 * trains, saves and loads through the ordinary DJL {@code Model}; the sizes are set through
 * builders so that the same code runs a CPU-sized demo model and the paper's ResNet-50. Each
 * encoder counts its forward FLOPs from its configuration, for throughput reports.
 */
package dev.cliplab.worker.model;
