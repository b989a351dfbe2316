/**
 * One CLIP-Lite training run: the hyperparameters of a trial ({@link
 * dev.cliplab.worker.train.TrainSpec}, read from and written to the JSON a sweep stores), the
 * training loop ({@link dev.cliplab.worker.train.TrainingRun}) with its optimiser and learning-rate
 * schedule, the callbacks through which a run reports metrics, evaluations and checkpoints, and a
 * small benchmark that times training steps on synthetic tensors.
 */
package dev.cliplab.worker.train;
