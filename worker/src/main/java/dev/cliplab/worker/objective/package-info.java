/**
 * The mutual-information bounds a trial maximises (CLIP-Lite's Jensen–Shannon bound, CLIP's
 * InfoNCE, NWJ and Donsker–Varadhan), each a DJL {@code Loss} over the B×B critic matrix of a batch
 * (row i an image, column j a caption, the diagonal the matching pairs) with a chosen number of
 * negatives per positive, together with the estimate of mutual information the bound gives at that
 * loss. {@link dev.cliplab.worker.objective.MiObjective#create} maps a sweep's bound and negatives
 * to an objective.
 */
package dev.cliplab.worker.objective;
