/**
 * One CLIP-Lite training run: the hyperparameters of a trial ({@link
 * dev.cliplab.worker.train.TrainSpec}, read from and written to the JSON a sweep stores), the
 * training loop ({@link dev.cliplab.worker.train.TrainingRun}) with its optimisers (SGD with
 * momentum or AdamW, the image encoder and the rest on their own learning rates, optionally inside
 * Lookahead, with state that saves and restores exactly) and learning-rate schedule, the batch
 * loader that makes augmented batches ahead of the step on its own threads, deterministically under
 * the run's seed, the callbacks through which a run reports metrics, evaluations and checkpoints,
 * and benchmarks of the training step on synthetic tensors ({@link
 * dev.cliplab.worker.train.TrainBench}) and of the loader against it ({@link
 * dev.cliplab.worker.train.LoaderBench}).
 */
package dev.cliplab.worker.train;
