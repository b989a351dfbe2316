/**
 * The mutual-information bounds a trial maximises, each a DJL {@code Loss} over the B×B critic
 * matrix of a batch (row i an image, column j a caption, the diagonal the matching pairs), together
 * with the estimate of mutual information the bound gives at that loss. {@link
 * dev.cliplab.worker.objective.MiObjective#forName} maps the names a sweep uses to the bounds.
 */
package dev.cliplab.worker.objective;
