// Compare trials: the ids come from the URL (#/compare?ids=3,5); their curves overlaid, their
// parameter differences, and their final evaluations side by side.

import {get, series} from '../api.js';
import {align, lineChart} from '../chart.js';
import {el, fill, notice, num, paramText, table} from '../dom.js';
import {CURVES} from './trial.js';

export async function comparePage(main, params) {
  const ids = (params.get('ids') || '').split(',').map(s => s.trim()).filter(s => /^\d+$/.test(s));
  const idsInput = el('input', {id: 'compare-ids', name: 'ids', type: 'text', value: ids.join(', '),
    placeholder: '3, 5, 8', inputmode: 'numeric'});
  const form = el('form', {class: 'filters', onsubmit: e => {
    e.preventDefault();
    const chosen = idsInput.value.split(/[\s,]+/).filter(s => /^\d+$/.test(s));
    location.hash = '#/compare' + (chosen.length ? '?ids=' + chosen.join(',') : '');
  }}, el('label', {for: 'compare-ids'}, 'Trial ids'), idsInput, el('button', {type: 'submit'}, 'Compare'));
  const body = el('div', {id: 'compare-box'});
  fill(main, el('h1', {}, 'Compare trials'), form, body);
  if (ids.length === 0) {
    fill(body, notice('info', 'Enter trial ids, or tick trials on a sweep\'s page and choose "Compare selected".'));
    return null;
  }
  const [trials, schema] = await Promise.all([
    Promise.all(ids.map(id => get('/api/trials/' + id).catch(e => ({id, failed: e})))),
    get('/api/schemas/sweep-spec').catch(() => null)]);
  const found = trials.filter(t => !t.failed);
  const defaults = defaultsOf(schema);
  found.forEach(t => { t.effective = effectiveParams(t.params || {}, defaults); });
  const problems = trials.filter(t => t.failed).map(t => notice('warn', t.failed.message));
  const curves = el('div', {class: 'curves'});
  fill(body, problems, differences(found), evaluations(found),
    el('section', {class: 'panel', 'aria-labelledby': 'overlay-title'},
      el('h2', {id: 'overlay-title'}, 'Curves'), curves));
  const histories = await Promise.all(found.map(t => series(t.id, CURVES).catch(() => ({}))));
  const charts = CURVES.map(name => {
    const present = found.map((t, i) => ({t, points: histories[i][name] || []}))
      .filter(s => s.points.length);
    if (!present.length) return null;
    const {xs, columns} = align(present.map(s => s.points));
    return lineChart({title: name, xLabel: 'step', yLabel: '', xs,
      lines: present.map((s, i) => ({label: '#' + s.t.id + ' ' + (s.t.params.objective || ''), ys: columns[i]}))});
  }).filter(Boolean);
  fill(curves, charts.length ? charts : notice('info', 'None of these trials has recorded metrics yet.'));
  return null;
}

/** Each trial parameter's default, from the sweep spec's JSON Schema (its fixed section). */
function defaultsOf(schema) {
  const fixed = schema && schema.properties && schema.properties.fixed;
  const out = {};
  for (const [k, v] of Object.entries((fixed && fixed.properties) || {})) {
    if (v && v.default !== undefined) out[k] = v.default;
  }
  return out;
}

/**
 * The parameters a trial ran with: its own, then the defaults, then the two that follow from
 * others as the trainer sets them (negatives from the objective, the image learning rate from the
 * learning rate). Values taken from defaults are marked, so that they read as such.
 */
function effectiveParams(params, defaults) {
  const out = {};
  for (const [k, v] of Object.entries(defaults)) out[k] = {value: v, implied: true};
  for (const [k, v] of Object.entries(params)) out[k] = {value: v, implied: false};
  const objective = out.objective ? out.objective.value : 'jsd';
  if (!('negatives' in params)) out.negatives = {value: objective === 'jsd' ? 1 : 'all', implied: true};
  if (!('image_learning_rate' in params) && out.learning_rate) {
    out.image_learning_rate = {value: out.learning_rate.value, implied: true};
  }
  return out;
}

function shown(entry) {
  if (!entry) return '—';
  return entry.implied ? el('span', {class: 'muted', title: 'the default'}, paramText(entry.value), ' (default)')
    : paramText(entry.value);
}

function differences(trials) {
  const keys = [...new Set(trials.flatMap(t => Object.keys(t.effective)))].sort();
  const text = (t, k) => (t.effective[k] ? paramText(t.effective[k].value) : '—');
  const differ = keys.filter(k => new Set(trials.map(t => text(t, k))).size > 1);
  const same = keys.filter(k => !differ.includes(k) && trials.some(t => t.effective[k] && !t.effective[k].implied));
  const head = [el('th', {scope: 'col'}, 'parameter')]
    .concat(trials.map(t => el('th', {scope: 'col'}, el('a', {href: '#/trials/' + t.id}, '#' + t.id))));
  return el('section', {class: 'panel', 'aria-labelledby': 'diff-title'},
    el('h2', {id: 'diff-title'}, 'Parameters that differ'),
    differ.length ? table({class: 'data compact', id: 'param-diff'}, head,
      differ.map(k => el('tr', {}, el('th', {scope: 'row'}, k),
        trials.map(t => el('td', {}, shown(t.effective[k]))))))
      : notice('info', trials.length > 1 ? 'The parameters are the same.' : 'Pick at least two trials.'),
    same.length ? el('p', {class: 'hint'}, 'The same in all: ',
      same.map(k => k + ' = ' + text(trials[0], k)).join(', ')) : null);
}

function evaluations(trials) {
  const keys = new Set();
  for (const t of trials) {
    for (const [task, metrics] of Object.entries((t.evaluations || {}).final || {})) {
      for (const m of Object.keys(metrics)) keys.add(task + '.' + m);
    }
  }
  if (!keys.size) return null;
  return el('section', {class: 'panel', 'aria-labelledby': 'eval-title'},
    el('h2', {id: 'eval-title'}, 'Final evaluations'),
    table({class: 'data compact'}, [el('th', {scope: 'col'}, 'metric')]
      .concat(trials.map(t => el('th', {scope: 'col'}, '#' + t.id))),
    [...keys].sort().map(k => {
      const [task, m] = k.split('.');
      return el('tr', {}, el('th', {scope: 'row'}, k), trials.map(t => el('td', {class: 'num'},
        num((((t.evaluations || {}).final || {})[task] || {})[m]))));
    })));
}
