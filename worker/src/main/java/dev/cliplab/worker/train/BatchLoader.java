package dev.cliplab.worker.train;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Prepares batches ahead of the training step on its own threads and hands them out in order.
 *
 * <p>Batches are numbered in one sequence over the epochs; batch k of the sequence always goes into
 * buffer slot {@code k mod slots}, and a thread claims the next batch only when that slot is free,
 * so at most {@code slots} batches are made or held ahead and the buffers are allocated once. The
 * batches' contents do not depend on the number of threads or their timing (see {@link
 * BatchSource#fill}). An exception in a loader thread is rethrown by {@link #next()} when the
 * failed batch's turn comes, with the original as its cause.
 */
final class BatchLoader implements AutoCloseable {

  /**
   * Loader threads of a training run. One: on a two-core CPU a single thread delivers several times
   * what a training step consumes, and a second one takes a core from PyTorch's step.
   */
  static final int DEFAULT_THREADS = 1;

  // Ready batches kept beyond those being made: enough to absorb a slow batch without a stall.
  private static final int AHEAD = 2;

  private enum State {
    FREE,
    FILLING,
    READY,
    TAKEN
  }

  private final BatchSource source;
  private final long end;
  private final LoadedBatch[] slots;
  private final State[] states;
  private final Throwable[] failures;
  private final List<Thread> threads = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicLong cpuNanos = new AtomicLong();
  private long nextClaim;
  private long nextTake;
  private boolean failed;
  private boolean closed;

  private BatchLoader(BatchSource source, int epochs, int epoch, int batch, int threadCount) {
    int perEpoch = source.batchesPerEpoch();
    if (epoch < 0 || batch < 0 || batch >= perEpoch || threadCount < 1) {
      throw new IllegalArgumentException(
          "cannot start at batch "
              + batch
              + " of epoch "
              + epoch
              + " ("
              + perEpoch
              + " batches per epoch) with "
              + threadCount
              + " threads");
    }
    this.source = source;
    this.end = (long) epochs * perEpoch;
    this.nextClaim = (long) epoch * perEpoch + batch;
    this.nextTake = nextClaim;
    int count = threadCount + AHEAD;
    this.slots = new LoadedBatch[count];
    this.states = new State[count];
    this.failures = new Throwable[count];
    for (int i = 0; i < count; i++) {
      slots[i] = new LoadedBatch(this, source.batchSize(), source.side());
      states[i] = State.FREE;
    }
  }

  /**
   * Starts loading at a given batch and runs until the end of the last epoch.
   *
   * @param source what the batches are
   * @param epochs the number of epochs; the loader stops after the last batch of the last one
   * @param epoch the epoch index to start in, from 0
   * @param batch the batch index in that epoch to start at
   * @param threads the loader threads
   * @return the running loader; close it to stop its threads
   */
  static BatchLoader start(BatchSource source, int epochs, int epoch, int batch, int threads) {
    BatchLoader loader = new BatchLoader(source, epochs, epoch, batch, threads);
    for (int i = 0; i < threads; i++) {
      Thread thread = new Thread(loader::work, "batch-loader-" + i);
      thread.setDaemon(true);
      loader.threads.add(thread);
      thread.start();
    }
    return loader;
  }

  /**
   * Waits for the next batch in order. Close it before asking for a later one that should reuse its
   * buffers.
   *
   * @return the batch
   * @throws NoSuchElementException after the last batch of the last epoch
   * @throws IllegalStateException if the batch could not be made (the cause says why), the loader
   *     was closed, or the thread was interrupted while waiting
   */
  LoadedBatch next() {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the batch loader is closed");
      }
      if (nextTake >= end) {
        throw new NoSuchElementException("no batch after the last epoch");
      }
      int slot = slot(nextTake);
      while (states[slot] != State.READY) {
        if (closed) {
          throw new IllegalStateException("the batch loader is closed");
        }
        changed.await();
      }
      if (failures[slot] != null) {
        throw new IllegalStateException(
            "cannot load batch " + describe(nextTake) + ": " + failures[slot], failures[slot]);
      }
      states[slot] = State.TAKEN;
      nextTake++;
      return slots[slot];
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a batch", e);
    } finally {
      lock.unlock();
    }
  }

  /** Takes a batch's buffers back; called by {@link LoadedBatch#close()}. */
  void release(LoadedBatch batch) {
    lock.lock();
    try {
      for (int i = 0; i < slots.length; i++) {
        if (slots[i] == batch && states[i] == State.TAKEN) {
          states[i] = State.FREE;
          changed.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stops the threads and waits for them; a batch being made is finished first. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Tells whether any loader thread is still running. */
  boolean running() {
    return threads.stream().anyMatch(Thread::isAlive);
  }

  /**
   * The processor time the loader threads have spent making batches so far, in nanoseconds. Unlike
   * wall time, it hardly changes with other work on a shared machine.
   */
  long cpuNanos() {
    return cpuNanos.get();
  }

  private void work() {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    long sequence;
    while ((sequence = claim()) >= 0) {
      int slot = slot(sequence);
      Throwable failure = null;
      long cpuStarted = bean.getCurrentThreadCpuTime();
      try {
        int perEpoch = source.batchesPerEpoch();
        source.fill((int) (sequence / perEpoch), (int) (sequence % perEpoch), slots[slot]);
      } catch (RuntimeException | Error e) {
        failure = e;
      }
      cpuNanos.addAndGet(bean.getCurrentThreadCpuTime() - cpuStarted);
      finish(slot, failure);
    }
  }

  /** Claims the next batch once its slot is free; -1 when there is nothing more to do. */
  private long claim() {
    lock.lock();
    try {
      while (!closed && !failed && nextClaim < end && states[slot(nextClaim)] != State.FREE) {
        changed.awaitUninterruptibly();
      }
      if (closed || failed || nextClaim >= end) {
        return -1;
      }
      states[slot(nextClaim)] = State.FILLING;
      return nextClaim++;
    } finally {
      lock.unlock();
    }
  }

  private void finish(int slot, Throwable failure) {
    lock.lock();
    try {
      failures[slot] = failure;
      failed |= failure != null;
      states[slot] = State.READY;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private int slot(long sequence) {
    return (int) (sequence % slots.length);
  }

  private String describe(long sequence) {
    int perEpoch = source.batchesPerEpoch();
    return (sequence % perEpoch) + " of epoch " + (sequence / perEpoch);
  }
}
