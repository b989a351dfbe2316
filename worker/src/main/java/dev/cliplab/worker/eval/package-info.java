/**
 * Transfer evaluations of a frozen model, by the protocols of CLIP-Lite and VirTex: VOC07-style
 * multi-label classification with one linear SVM per class ({@link
 * dev.cliplab.worker.eval.Voc07Svm}), linear evaluation by softmax regression ({@link
 * dev.cliplab.worker.eval.LinearProbe}), zero-shot classification from prompt ensembles ({@link
 * dev.cliplab.worker.eval.ZeroShot}) and image–text retrieval ({@link
 * dev.cliplab.worker.eval.RankingMetrics}). {@link dev.cliplab.worker.eval.EvaluationSuite} runs
 * them on a network in memory or on a {@link dev.cliplab.worker.eval.StoredCheckpoint}, extracting
 * each image set's features once and caching them on disk. The arithmetic works on plain matrices
 * and knows nothing of DJL, so it is tested on cases worked out by hand; only the embedder runs the
 * network. {@link dev.cliplab.worker.eval.HeldoutEvaluator} is the older held-out-only evaluation
 * that training still calls.
 */
package dev.cliplab.worker.eval;
