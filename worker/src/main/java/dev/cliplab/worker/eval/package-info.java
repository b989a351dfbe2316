/**
 * Transfer evaluations of a trained model on the held-out image style: zero-shot classification
 * from class-name prompts and image–text retrieval. The ranking arithmetic ({@link
 * dev.cliplab.worker.eval.RankingMetrics}) works on plain similarity matrices and knows nothing of
 * DJL, so it is tested on hand-made cases; {@link dev.cliplab.worker.eval.HeldoutEvaluator} embeds
 * images and texts with the model and feeds it.
 */
package dev.cliplab.worker.eval;
