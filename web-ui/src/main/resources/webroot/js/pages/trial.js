// One trial: live training curves, evaluations beside the CLIP baseline, checkpoints, the
// retrieval gallery, the error of a failed or diverged trial, and cancel and retry.

import {get, post, series} from '../api.js';
import {align, lineChart} from '../chart.js';
import {ageTag, el, fill, notice, num, paramText, stateBadge, table} from '../dom.js';
import {coalesce, follow} from '../live.js';
import {actionButton, failure, versusBaseline} from './common.js';
import {galleryPanel} from './gallery.js';

export const CURVES = ['loss', 'mi_estimate', 'temperature', 'learning_rate', 'images_per_sec'];
const ENDED = ['succeeded', 'failed', 'diverged', 'cancelled', 'pruned'];

export async function trialPage(main, id) {
  let trial;
  try {
    trial = await get('/api/trials/' + id);
  } catch (e) {
    fill(main, el('h1', {}, 'Trial ' + id), failure(e, 'Trial ' + id));
    return null;
  }
  const head = el('div', {class: 'trial-head'});
  const actionStatus = el('div', {'aria-live': 'polite'});
  const curves = el('div', {class: 'curves', id: 'curves'});
  const liveMode = el('p', {class: 'hint', id: 'live-mode', 'aria-live': 'polite'});
  const results = el('div', {id: 'results'});
  const gallery = galleryPanel(id);
  const action = (name, label) => actionButton(label, actionStatus, async () => {
    await post('/api/trials/' + id + '/' + name);
    await refreshTrial();
    return label + ': done.';
  }, {id: 'trial-' + name});
  fill(main, head,
    el('div', {class: 'toolbar'}, action('cancel', 'Cancel'), action('retry', 'Retry'),
      el('a', {class: 'button', href: '#/compare?ids=' + id}, 'Compare…')),
    actionStatus,
    el('section', {class: 'panel', 'aria-labelledby': 'curves-title'},
      el('h2', {id: 'curves-title'}, 'Training curves'), liveMode, curves),
    results, gallery);

  const show = () => {
    showHead(head, trial);
    showResults(results, trial);
    gallery.update(trial);
    head.parentNode.querySelector('#trial-cancel').hidden = ENDED.includes(trial.status);
    head.parentNode.querySelector('#trial-retry').hidden =
      !['failed', 'diverged', 'cancelled', 'pruned'].includes(trial.status);
  };
  const refreshCurves = coalesce(async () => {
    try {
      drawCurves(curves, await series(id, CURVES), ENDED.includes(trial.status));
    } catch (e) {
      fill(curves, failure(e, 'Metric history'));
    }
  });
  const refreshTrial = async () => {
    const before = trial.status;
    trial = await get('/api/trials/' + id);
    show();
    // Points written just before the trial ended may not have been drawn yet.
    if (before !== trial.status && ENDED.includes(trial.status)) await refreshCurves();
  };
  show();
  await refreshCurves();
  const refreshAll = coalesce(() => refreshTrial().catch(() => {}));
  return follow({trial_id: id}, ['metrics', 'trial', 'checkpoint', 'evaluations'], name => {
    if (name === 'metrics') refreshCurves();
    else refreshAll();
  }, {onMode: mode => fill(liveMode, ENDED.includes(trial.status) ? '' : mode === 'live'
    ? 'Live: new points arrive as the trial trains.'
    : notice('error', 'The live event stream closed; reload the page to follow the trial again.'))});
}

function showHead(head, trial) {
  const runtime = trial.runtime || {};
  fill(head,
    el('p', {class: 'crumbs'}, el('a', {href: '#/sweeps'}, 'Sweeps'), ' / ',
      el('a', {href: '#/sweeps/' + trial.sweep_id}, '#' + trial.sweep_id), ' / trial #' + trial.id),
    el('h1', {}, 'Trial #' + trial.id, ' ', stateBadge(trial.status)),
    trial.error ? notice('error', el('strong', {}, trial.status === 'diverged' ? 'Diverged: ' : 'Error: '),
      el('span', {id: 'trial-error'}, trial.error)) : null,
    el('dl', {class: 'facts'},
      el('dt', {}, 'Attempt'), el('dd', {}, (trial.attempt ?? '—') + ' of ' + (trial.max_attempts ?? '—')),
      el('dt', {}, 'Worker'), el('dd', {}, runtime.worker || trial.lease_holder || '—'),
      el('dt', {}, 'Device'), el('dd', {}, runtime.device ? runtime.device + ', PyTorch ' +
        runtime.version + ' (' + runtime.flavor + ')' : '—'),
      el('dt', {}, 'Started'), el('dd', {}, ageTag(trial.started_at)),
      el('dt', {}, 'Finished'), el('dd', {}, ageTag(trial.finished_at))),
    el('details', {open: true}, el('summary', {}, 'Parameters'),
      table({class: 'data compact', id: 'params'}, [el('th', {scope: 'col'}, 'parameter'),
        el('th', {scope: 'col'}, 'value')],
      Object.entries(trial.params || {}).map(([k, v]) => el('tr', {},
        el('td', {}, k), el('td', {}, paramText(v)))))));
}

/** Draws each curve once, then gives the existing charts their new points (no flicker). */
function drawCurves(box, data, ended) {
  const present = CURVES.filter(name => data[name] && data[name].length);
  const drawn = [...box.querySelectorAll('figure.chart')];
  if (present.length && drawn.length === present.length && drawn.every(f => f.plot)) {
    present.forEach((name, i) => {
      const {xs, columns} = align([data[name]]);
      drawn[i].plot.setData([xs, columns[0]]);
    });
    return;
  }
  const charts = present.map(name => {
    const {xs, columns} = align([data[name]]);
    return lineChart({title: name, xLabel: 'step', yLabel: '', xs,
      lines: [{label: name, ys: columns[0]}], onDraw: () => noteDrawn(box, name)});
  });
  fill(box, charts.length ? charts
    : notice('info', ended ? 'It recorded no metrics.' : 'No metrics recorded yet.'));
}

/**
 * Notes a drawn chart in the box's data-drawn, and the first drawn loss chart as the User Timing
 * mark cliplab:curves-drawn (the time from navigation to a usable page).
 */
function noteDrawn(box, name) {
  const names = new Set((box.dataset.drawn || '').split(',').filter(Boolean)).add(name);
  box.dataset.drawn = [...names].join(',');
  if (name === 'loss' && !performance.getEntriesByName('cliplab:curves-drawn').length) {
    performance.mark('cliplab:curves-drawn');
  }
}

function showResults(box, trial) {
  fill(box,
    el('section', {class: 'panel', 'aria-labelledby': 'evals-title'},
      el('h2', {id: 'evals-title'}, 'Evaluations'), baselineNote(trial), evaluationTable(trial)),
    el('section', {class: 'panel', 'aria-labelledby': 'checkpoints-title'},
      el('h2', {id: 'checkpoints-title'}, 'Checkpoints'),
      (trial.checkpoints || []).length ? table({class: 'data compact', id: 'checkpoints'},
        ['epoch', 'step', 'saved', 'path'].map(h => el('th', {scope: 'col'}, h)),
        trial.checkpoints.map(c => el('tr', {}, el('td', {class: 'num'}, c.epoch),
          el('td', {class: 'num'}, num(c.step)), el('td', {}, ageTag(c.created_at)),
          el('td', {class: 'path'}, c.path))))
        : notice('info', 'No checkpoints yet.')));
}

function baselineNote(trial) {
  const b = trial.baseline;
  if (!b) return notice('info', 'No CLIP baseline can be matched to these parameters.');
  if (b.self) return notice('info', 'This trial is a CLIP baseline (infonce, all negatives).');
  if (b.trial_id == null) {
    return notice('info', 'Its CLIP baseline has not succeeded yet; a sweep with "baselines": true queues it.');
  }
  return el('p', {}, 'Compared with its CLIP baseline, ',
    el('a', {href: '#/trials/' + b.trial_id}, 'trial #' + b.trial_id), ' (',
    el('a', {href: '#/compare?ids=' + trial.id + ',' + b.trial_id}, 'compare'), ').');
}

function evaluationTable(trial) {
  const rows = [];
  const comparison = (trial.baseline && trial.baseline.comparison) || {};
  for (const [phase, tasks] of Object.entries(trial.evaluations || {})) {
    for (const [task, metrics] of Object.entries(tasks)) {
      for (const [metric, value] of Object.entries(metrics)) {
        const entry = ((comparison[phase] || {})[task] || {})[metric];
        rows.push(el('tr', {}, el('td', {}, phase), el('td', {}, task), el('td', {}, metric),
          el('td', {class: 'num'}, num(value)), el('td', {class: 'num'}, versusBaseline(entry) || '—')));
      }
    }
  }
  if (!rows.length) return notice('info', 'No evaluations yet.');
  return table({class: 'data compact', id: 'evaluations'},
    ['phase', 'task', 'metric', 'value', 'CLIP baseline (difference)'].map(h => el('th', {scope: 'col'}, h)),
    rows);
}
