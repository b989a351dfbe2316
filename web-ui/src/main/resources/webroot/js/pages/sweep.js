// One sweep: its state and controls, a sortable and filterable table of its trials beside their
// CLIP baselines, a chart of a metric against a parameter with one line per objective, and CSV.

import {get, post} from '../api.js';
import {ageTag, el, fill, notice, num, paramText, stateBadge, table} from '../dom.js';
import {coalesce, follow} from '../live.js';
import {HEADLINES, loadAllTrials, loadTrials, withDetails} from '../trials.js';
import {sweepChart} from './sweep-chart.js';
import {
  actionButton, baselineEntry, metricValue, failure, progressBar, STATES, versusBaseline,
} from './common.js';

const PAGE = 25;

export async function sweepPage(main, id) {
  let sweep;
  try {
    sweep = await get('/api/sweeps/' + id);
  } catch (e) {
    fill(main, el('h1', {}, 'Sweep ' + id), failure(e, 'Sweep ' + id));
    return null;
  }
  const view = {status: '', sort: 'id', order: 'asc', offset: 0};
  const head = el('div', {class: 'sweep-head'});
  const controlStatus = el('div', {class: 'control-status', 'aria-live': 'polite'});
  const tableBox = el('div', {id: 'trials-box'});
  const chartBox = el('section', {'aria-labelledby': 'chart-title', class: 'panel'});
  const selected = new Set();
  const compareLink = el('a', {class: 'button', id: 'compare-selected', href: '#/compare'},
    'Compare selected');
  const statusFilter = el('select', {id: 'trial-status'},
    [''].concat(STATES).map(s => el('option', {value: s}, s || 'any')));
  statusFilter.addEventListener('change', () => {
    view.status = statusFilter.value;
    view.offset = 0;
    refreshTable();
  });

  const control = (action, label) => actionButton(label, controlStatus, async () => {
    if (action === 'cancel' && !confirm('Cancel sweep ' + id + ' and its queued and running trials?')) {
      return 'Not cancelled.';
    }
    const answer = await post('/api/sweeps/' + id + '/' + action);
    await refresh();
    // The control answers with the sweep as it left it; show that state at once.
    if (answer && answer.status) {
      sweep.status = answer.status;
      showHead();
      showControls();
    }
    return label + ': the sweep is ' + sweep.status + '.';
  }, {id: 'sweep-' + action});
  const exportLink = el('a', {class: 'button', href: '/api/sweeps/' + id + '/export.csv',
    download: 'sweep-' + id + '.csv', id: 'export-csv'}, 'Export CSV');
  exportLink.addEventListener('click', async e => {
    e.preventDefault();
    try {
      const response = await fetch(exportLink.href);
      if (!response.ok) throw new Error('GET ' + exportLink.pathname + ' answered ' + response.status);
      const url = URL.createObjectURL(await response.blob());
      const a = el('a', {href: url, download: 'sweep-' + id + '.csv'});
      document.body.appendChild(a);
      a.click();
      a.remove();
      URL.revokeObjectURL(url);
    } catch (err) {
      fill(controlStatus, failure(err, 'CSV export'));
    }
  });

  fill(main, head,
    el('div', {class: 'toolbar'}, control('pause', 'Pause'), control('resume', 'Resume'),
      control('cancel', 'Cancel'), exportLink, compareLink),
    controlStatus,
    el('section', {'aria-labelledby': 'trials-title', class: 'panel'},
      el('div', {class: 'page-head'}, el('h2', {id: 'trials-title'}, 'Trials'),
        el('div', {class: 'filters'}, el('label', {for: 'trial-status'}, 'Status'), statusFilter)),
      tableBox),
    chartBox);

  const showHead = () => fill(head,
    el('p', {class: 'crumbs'}, el('a', {href: '#/sweeps'}, 'Sweeps'), ' / #' + sweep.id),
    el('h1', {}, sweep.name),
    el('dl', {class: 'facts'},
      el('dt', {}, 'Status'), el('dd', {id: 'sweep-status'}, stateBadge(sweep.status)),
      el('dt', {}, 'Trials'), el('dd', {}, progressBar(sweep.counts, sweep.trials_total)),
      el('dt', {}, 'Metric'), el('dd', {}, metricOf(sweep) ? metricOf(sweep).name + ' (' +
        metricOf(sweep).goal + ')' : '—'),
      el('dt', {}, 'Created'), el('dd', {}, ageTag(sweep.created_at))),
    el('details', {}, el('summary', {}, 'Spec'),
      el('pre', {class: 'spec'}, JSON.stringify(sweep.spec, null, 2))));

  const showControls = () => {
    const ended = ['cancelled', 'finished'].includes(sweep.status);
    main.querySelector('#sweep-pause').hidden = sweep.status !== 'active';
    main.querySelector('#sweep-resume').hidden = sweep.status !== 'paused';
    main.querySelector('#sweep-cancel').hidden = ended;
  };

  let lastTable = null;
  // Each trial's baseline comparison, which only its own answer has: fetched for the shown page
  // after it is drawn, and kept so that a refreshed page shows the last known ones meanwhile.
  const baselines = new Map();
  const refreshTable = coalesce(async () => {
    let page;
    try {
      page = await loadTrials(id, {status: view.status, sort: view.sort, order: view.order,
        limit: PAGE, offset: view.offset});
    } catch (e) {
      fill(tableBox, failure(e, 'The trial list'));
      return;
    }
    for (const t of page.trials) if (!('baseline' in t) && baselines.has(t.id)) t.baseline = baselines.get(t.id);
    showTable(page);
    await withDetails(page.trials);
    for (const t of page.trials) baselines.set(t.id, t.baseline);
    showTable(page);
  });
  const showTable = page => {
    const seen = JSON.stringify([page, view]);
    if (seen === lastTable) return;
    lastTable = seen;
    // Redrawing keeps the keyboard focus where it was (a sort button, a tick box, a link).
    const focused = tableBox.contains(document.activeElement) ? selectorOf(document.activeElement) : null;
    fill(tableBox, trialTable(sweep, page.trials, view, selected, key => {
      view.order = view.sort === key && view.order === 'asc' ? 'desc' : 'asc';
      view.sort = key;
      refreshTable();
    }, () => {
      compareLink.href = '#/compare?ids=' + [...selected].join(',');
    }), pager(page, view, offset => { view.offset = offset; refreshTable(); }));
    // The time from navigation to a usable page, for the browser's performance tools.
    if (!performance.getEntriesByName('cliplab:trials-shown').length) {
      performance.mark('cliplab:trials-shown');
    }
    if (focused) tableBox.querySelector(focused)?.focus();
  };
  const refreshChart = coalesce(async () => {
    try {
      sweepChart(chartBox, sweep, await loadAllTrials(id));
    } catch (e) {
      fill(chartBox, failure(e, 'The chart'));
    }
  });
  const refresh = async () => {
    sweep = await get('/api/sweeps/' + id);
    showHead();
    showControls();
    await Promise.all([refreshTable(), refreshChart()]);
  };

  showHead();
  showControls();
  await Promise.all([refreshTable(), refreshChart()]);
  return follow({sweep_id: id}, ['trial', 'sweep', 'evaluations'],
    () => refresh().catch(() => {}));
}

/** A selector that finds the element again in the redrawn table, or null. */
function selectorOf(node) {
  const attr = ['id', 'data-sort', 'aria-label', 'href'].find(a => node.hasAttribute(a));
  return attr ? node.tagName.toLowerCase() + '[' + attr + '="' + CSS.escape(node.getAttribute(attr)) + '"]' : null;
}

function metricOf(sweep) {
  if (sweep.metric) return {name: sweep.metric, goal: sweep.goal || 'maximize'};
  return sweep.spec && sweep.spec.metric;
}

/**
 * The swept parameters, then any other that takes two or more values among the trials that set
 * it (a baseline spells out every parameter, so one that only it sets is not a difference).
 */
function variedParams(sweep, trials) {
  const keys = new Set(Object.keys((sweep.spec && sweep.spec.parameters) || {}));
  const values = {};
  for (const t of trials) {
    for (const [k, v] of Object.entries(t.params || {})) {
      (values[k] = values[k] || new Set()).add(paramText(v));
    }
  }
  for (const [k, seen] of Object.entries(values)) if (seen.size > 1) keys.add(k);
  return [...keys];
}

/** Evaluation columns: each task's headline metric in the final phase, where any trial has it. */
function evalColumns(sweep, trials) {
  const keys = [];
  const metric = metricOf(sweep);
  if (metric && metric.name.split('.').length === 3) keys.push('eval.' + metric.name);
  for (const [task, m] of Object.entries(HEADLINES)) {
    const key = 'eval.final.' + task + '.' + m;
    if (!keys.includes(key) && trials.some(t => metricValue(t, key) !== undefined)) keys.push(key);
  }
  return keys;
}

function sortHeader(label, key, view, onSort) {
  const active = view.sort === key;
  return el('th', {scope: 'col', 'aria-sort': active ? (view.order === 'asc' ? 'ascending' : 'descending') : 'none'},
    el('button', {type: 'button', class: 'sort', dataset: {sort: key},
      onclick: () => onSort(key)},
    label, el('span', {class: 'sort-mark', 'aria-hidden': 'true'},
      active ? (view.order === 'asc' ? ' ▲' : ' ▼') : ' ↕')));
}

function trialTable(sweep, trials, view, selected, onSort, onSelect) {
  if (!trials.length) return notice('info', 'No trials match.');
  const params = variedParams(sweep, trials);
  const evals = evalColumns(sweep, trials);
  const goal = (metricOf(sweep) || {}).goal;
  const head = [el('th', {scope: 'col'}, el('span', {class: 'sr-only'}, 'Compare')),
    sortHeader('Trial', 'id', view, onSort), sortHeader('Status', 'status', view, onSort)]
    .concat(params.map(p => sortHeader(p, 'params.' + p, view, onSort)))
    .concat([sortHeader('loss', 'metrics.loss', view, onSort)])
    .concat(evals.map(k => sortHeader(k.replace(/^eval\.final\./, ''), k, view, onSort)));
  const rows = trials.map(t => el('tr', {dataset: {trial: t.id}},
    el('td', {}, el('input', {type: 'checkbox', 'aria-label': 'compare trial ' + t.id,
      checked: selected.has(t.id), onchange: e => {
        if (e.target.checked) selected.add(t.id); else selected.delete(t.id);
        onSelect();
      }})),
    el('td', {}, el('a', {href: '#/trials/' + t.id}, '#' + t.id),
      t.baseline && t.baseline.self ? el('small', {class: 'muted'}, ' CLIP baseline') : null),
    el('td', {}, stateBadge(t.status), t.error ? el('span', {class: 'error-mark', title: t.error}, ' ⚠') : null),
    params.map(p => el('td', {}, paramText((t.params || {})[p]))),
    el('td', {class: 'num'}, num(metricValue(t, 'metrics.loss'))),
    evals.map(k => el('td', {class: 'num'}, num(metricValue(t, k)),
      el('br'), versusBaseline(baselineEntry(t, k), k === 'eval.' + ((metricOf(sweep) || {}).name) ? goal : 'maximize')))));
  return table({id: 'trials', class: 'data'}, head, rows);
}

function pager(page, view, go) {
  const to = view.offset + page.trials.length;
  return el('nav', {class: 'pager', 'aria-label': 'Pages of trials'},
    el('button', {type: 'button', id: 'page-previous', disabled: view.offset === 0,
      onclick: () => go(Math.max(0, view.offset - PAGE))}, '← Previous'),
    el('span', {}, (page.trials.length ? view.offset + 1 : 0) + '–' + to + ' of ' + page.total),
    el('button', {type: 'button', id: 'page-next', disabled: to >= page.total, onclick: () => go(view.offset + PAGE)},
      'Next →'));
}
