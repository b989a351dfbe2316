// Loading a sweep's trials: a server-side page from GET /api/sweeps/{id}/trials where the server
// has it, else the sweep's own trial list, filtered, sorted and paged here the same way.

import {get, query} from './api.js';
import {metricValue} from './pages/common.js';

/** The headline metric of each evaluation task, used for the table's columns. */
export const HEADLINES = {
  voc_emoji: 'map',
  fashion_mnist_linear: 'top1',
  fashion_mnist_zeroshot: 'top1',
  zeroshot_emoji_groups: 'top1',
  retrieval_heldout: 'mean_recall',
};

/** The value a sort key ("id", "status", "params.x", "metrics.x", "eval.p.t.m") names. */
export function sortValue(trial, key) {
  if (key === 'id' || key === 'status') return trial[key];
  if (key.startsWith('params.')) return (trial.params || {})[key.slice(7)];
  return metricValue(trial, key);
}

function compare(a, b) {
  const missing = v => v == null || typeof v === 'string' && /^-?(NaN|Infinity)$/.test(v);
  if (missing(a) || missing(b)) return missing(a) - missing(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', {numeric: true});
}

/** Sorts like the server: by the key, missing values last, ties by id. */
export function sortTrials(trials, key, order) {
  const sign = order === 'desc' ? -1 : 1;
  return trials.slice().sort((x, y) => {
    const a = sortValue(x, key);
    const b = sortValue(y, key);
    const missing = v => v == null;
    if (missing(a) !== missing(b)) return missing(a) ? 1 : -1;
    return sign * compare(a, b) || x.id - y.id;
  });
}

/**
 * Adds latest_metrics, evaluations and baseline from GET /api/trials/{id} to the trials that
 * lack what the caller needs: by default the baseline, which only a trial's own answer has.
 */
export async function withDetails(trials, {limit = 300, lacks = t => !('baseline' in t)} = {}) {
  const need = trials.filter(lacks).slice(0, limit);
  const queue = need.slice();
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
  await Promise.all(Array.from({length: Math.min(6, need.length)}, worker));
  return trials;
}

/**
 * A page of trials: {trials, total, paged} where paged says whether the server did the work.
 * sweep is GET /api/sweeps/{id}'s answer, used when the server has no trial listing.
 */
export async function loadTrials(sweep, {status, sort, order, limit, offset}) {
  try {
    const page = await get('/api/sweeps/' + sweep.id + '/trials' +
      query({status, sort, order, limit, offset}));
    return {trials: page.trials, total: page.total, paged: true};
  } catch (e) {
    if (!e.notFound) throw e;
  }
  let all = (Array.isArray(sweep.trials) ? sweep.trials : []).filter(t => !status || t.status === status);
  if (sort && sort !== 'id' && sort !== 'status' && !sort.startsWith('params.')) {
    await withDetails(all);
  }
  all = sortTrials(all, sort || 'id', order);
  const slice = all.slice(offset, offset + limit);
  await withDetails(slice);
  return {trials: slice, total: all.length, paged: false};
}

/** Every trial of the sweep (up to 1000) with its results, for the chart. */
export async function loadAllTrials(sweep) {
  let trials;
  try {
    trials = (await get('/api/sweeps/' + sweep.id + '/trials' + query({limit: 1000}))).trials;
  } catch (e) {
    if (!e.notFound) throw e;
    trials = (Array.isArray(sweep.trials) ? sweep.trials : []).map(t => Object.assign({}, t));
  }
  // The chart needs results only; a page of the trial listing has them already.
  return withDetails(trials, {lacks: t => !t.evaluations});
}
