// Pieces several pages share.

import {el, notice, num} from '../dom.js';

export const STATES = ['succeeded', 'running', 'queued', 'failed', 'diverged', 'cancelled',
  'pruned'];

/** Trials by state as a stacked bar, with the counts spelt out for screen readers and titles. */
export function progressBar(counts, total) {
  const order = s => (STATES.includes(s) ? STATES.indexOf(s) : STATES.length);
  const entries = Object.entries(counts || {}).filter(([, n]) => n > 0)
    .sort((a, b) => order(a[0]) - order(b[0]));
  const sum = total || entries.reduce((a, [, n]) => a + n, 0);
  const text = entries.length ? entries.map(([s, n]) => n + ' ' + s).join(', ') : 'no trials';
  const bar = el('span', {class: 'progress', role: 'img', 'aria-label': text, title: text},
    entries.map(([s, n]) => el('span', {
      class: 'progress-part state-bg-' + s,
      style: 'width:' + (100 * n / Math.max(1, sum)).toFixed(2) + '%',
    })));
  return el('span', {class: 'progress-cell'}, bar, el('span', {class: 'progress-text'}, text));
}

/** The message a page shows where a request for part of it failed, with the HTTP answer. */
export function failure(error, what) {
  return notice('error', what + ' could not be loaded: ', error.message);
}

/** A value and its CLIP baseline with the difference, coloured by whether it is better. */
export function versusBaseline(entry, goal = 'maximize') {
  if (!entry) return null;
  const d = entry.difference;
  const better = typeof d === 'number' && d !== 0 && (goal === 'minimize' ? d < 0 : d > 0);
  const worse = typeof d === 'number' && d !== 0 && !better;
  return el('span', {class: 'vs ' + (better ? 'better' : worse ? 'worse' : 'same')},
    'CLIP ', num(entry.baseline), ' (', el('strong', {}, signed(d)), ')');
}

function signed(d) {
  return typeof d === 'number' ? (d > 0 ? '+' : d < 0 ? '−' : '±') + num(Math.abs(d)) : num(d);
}

/** A button that runs an action and shows what came of it in the status element. */
export function actionButton(label, status, action, attrs = {}) {
  const button = el('button', Object.assign({type: 'button'}, attrs), label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const text = await action();
      status.replaceChildren(notice('info', text || label + ': done'));
    } catch (e) {
      status.replaceChildren(failure(e, label));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** The value at a dotted path such as "final.zeroshot_emoji_groups.top1" in a trial's results. */
export function metricValue(trial, key) {
  if (!trial) return undefined;
  if (key.startsWith('metrics.')) {
    const name = key.slice('metrics.'.length);
    const latest = trial.latest_metrics || trial.metrics || {};
    const m = latest[name];
    return m && typeof m === 'object' ? m.value : m;
  }
  const name = key.replace(/^eval\./, '');
  const flat = trial.evaluations && trial.evaluations[name];
  if (flat !== undefined && typeof flat !== 'object') return flat;
  let node = trial.evaluations;
  for (const part of name.split('.')) node = node && typeof node === 'object' ? node[part] : undefined;
  return node;
}

/**
 * A trial's evaluations as [phase.task.metric, value] pairs, whether nested by phase, task and
 * metric (GET /api/trials/{id}) or flat under such names (a page of GET /api/sweeps/{id}/trials).
 */
export function evaluationEntries(trial) {
  const out = [];
  const walk = (node, prefix) => {
    for (const [k, v] of Object.entries(node || {})) {
      const name = prefix ? prefix + '.' + k : k;
      if (v && typeof v === 'object') walk(v, name);
      else out.push([name, v]);
    }
  };
  walk(trial.evaluations, '');
  return out;
}

/** The baseline entry {value, baseline, difference} of an evaluation key, if there is one. */
export function baselineEntry(trial, key) {
  const comparison = trial && trial.baseline && trial.baseline.comparison;
  if (!comparison || key.startsWith('metrics.')) return undefined;
  const [phase, task, metric] = key.replace(/^eval\./, '').split('.');
  return comparison[phase] && comparison[phase][task] && comparison[phase][task][metric];
}
