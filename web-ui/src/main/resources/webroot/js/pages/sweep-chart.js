// A chosen metric of a sweep's trials against a chosen parameter, one line per objective.

import {lineChart} from '../chart.js';
import {el, fill, notice} from '../dom.js';
import {evaluationEntries, metricValue} from './common.js';

/** The metrics any trial has: its evaluations as eval.phase.task.metric, its latest metrics. */
function metricKeys(trials) {
  const keys = new Set();
  for (const t of trials) {
    for (const [name] of evaluationEntries(t)) keys.add('eval.' + name);
    for (const name of Object.keys(t.latest_metrics || t.metrics || {})) keys.add('metrics.' + name);
  }
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function rank(key) {
  return key.startsWith('eval.final.') ? 0 : key.startsWith('eval.') ? 1 : 2;
}

/** Numeric parameters that take more than one value. */
function numericParams(trials) {
  const values = {};
  for (const t of trials) {
    for (const [k, v] of Object.entries(t.params || {})) {
      if (typeof v === 'number') (values[k] = values[k] || new Set()).add(v);
    }
  }
  return Object.keys(values).filter(k => values[k].size > 1).sort();
}

/**
 * The chart's lines: for each objective, the mean of the metric over its trials at each value of
 * the parameter; xs is the union of the parameter's values.
 */
export function chartLines(trials, metric, param) {
  const groups = new Map();
  for (const t of trials) {
    const x = (t.params || {})[param];
    const y = metricValue(t, metric);
    if (typeof x !== 'number' || typeof y !== 'number') continue;
    const objective = (t.params || {}).objective || 'jsd';
    if (!groups.has(objective)) groups.set(objective, new Map());
    const byX = groups.get(objective);
    byX.set(x, (byX.get(x) || []).concat(y));
  }
  const xs = [...new Set([...groups.values()].flatMap(m => [...m.keys()]))].sort((a, b) => a - b);
  const lines = [...groups.entries()].sort().map(([objective, byX]) => ({
    label: objective,
    ys: xs.map(x => (byX.has(x) ? byX.get(x).reduce((a, b) => a + b, 0) / byX.get(x).length : null)),
  }));
  return {xs, lines};
}

export function sweepChart(box, sweep, trials) {
  const metrics = metricKeys(trials);
  const params = numericParams(trials);
  const title = el('h2', {id: 'chart-title'}, 'Metric against parameter');
  if (!metrics.length || !params.length) {
    fill(box, title, notice('info', !metrics.length ? 'No trial has results to chart yet.'
      : 'No numeric parameter takes more than one value in this sweep.'));
    return;
  }
  const previous = box.querySelector('#chart-metric')?.value;
  const previousParam = box.querySelector('#chart-param')?.value;
  const wanted = sweep.metric || (sweep.spec && sweep.spec.metric && sweep.spec.metric.name);
  const metricSelect = el('select', {id: 'chart-metric'}, metrics.map(k => el('option', {value: k},
    k.replace(/^(eval|metrics)\./, ''))));
  metricSelect.value = [previous, 'eval.' + wanted, 'eval.final.zeroshot_emoji_groups.top1']
    .find(k => metrics.includes(k)) || metrics[0];
  const paramSelect = el('select', {id: 'chart-param'}, params.map(p => el('option', {value: p}, p)));
  paramSelect.value = [previousParam, 'batch_size'].find(p => params.includes(p)) || params[0];
  const plot = el('div', {class: 'chart-box'});
  const draw = () => {
    const {xs, lines} = chartLines(trials, metricSelect.value, paramSelect.value);
    const label = metricSelect.selectedOptions[0].textContent;
    fill(plot, xs.length ? lineChart({title: label + ' against ' + paramSelect.value,
      xLabel: paramSelect.value, yLabel: label.split('.').pop(), xs, lines, points: true,
      logX: xs[0] > 0 && xs[xs.length - 1] / xs[0] >= 8})
      : notice('info', 'No trial has both ' + label + ' and a value of ' + paramSelect.value + '.'));
  };
  metricSelect.addEventListener('change', draw);
  paramSelect.addEventListener('change', draw);
  fill(box, title, el('div', {class: 'filters'},
    el('label', {for: 'chart-metric'}, 'Metric'), metricSelect,
    el('label', {for: 'chart-param'}, 'against'), paramSelect), plot);
  draw();
}
