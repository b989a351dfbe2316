// Loading a sweep's trials: server-side pages from GET /api/sweeps/{id}/trials, and the baseline
// comparison that only each trial's own answer has.

import {get, query} from './api.js';

/** The headline metric of each evaluation task, used for the table's columns. */
export const HEADLINES = {
  voc_emoji: 'map',
  fashion_mnist_linear: 'top1',
  fashion_mnist_zeroshot: 'top1',
  zeroshot_emoji_groups: 'top1',
  retrieval_heldout: 'mean_recall',
};

/**
 * Adds each trial's GET /api/trials/{id} answer (latest_metrics, evaluations, baseline) to it,
 * six requests at a time; a trial whose request fails keeps what it had and gets detailError.
 */
export async function withDetails(trials) {
  const queue = trials.slice();
  const worker = async () => {
    while (queue.length) {
      const trial = queue.shift();
      try {
        Object.assign(trial, await get('/api/trials/' + trial.id));
      } catch (e) {
        trial.detailError = e.message;
      }
    }
  };
  await Promise.all(Array.from({length: Math.min(6, trials.length)}, worker));
  return trials;
}

/** A page of the sweep's trials, {trials, total}, filtered, sorted and paged by the server. */
export function loadTrials(sweepId, {status, sort, order, limit, offset}) {
  return get('/api/sweeps/' + sweepId + '/trials' + query({status, sort, order, limit, offset}));
}

/** Up to 1000 of the sweep's trials with their latest metrics and evaluations, for the chart. */
export async function loadAllTrials(sweepId) {
  return (await loadTrials(sweepId, {limit: 1000})).trials;
}
