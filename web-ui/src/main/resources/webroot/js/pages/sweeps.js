// The list of sweeps: state, progress, best value of the metric, age; paged and filterable.

import {get, query} from '../api.js';
import {setParams} from '../route.js';
import {ageTag, el, fill, notice, num, stateBadge, table} from '../dom.js';
import {follow, coalesce} from '../live.js';
import {failure, progressBar} from './common.js';

const PAGE = 20;

export async function sweepsPage(main, params) {
  const state = {
    status: params.get('status') || '',
    q: params.get('q') || '',
    offset: Number(params.get('offset')) || 0,
  };
  const statusSelect = el('select', {id: 'filter-status', name: 'status'},
    ['', 'active', 'paused', 'cancelled', 'finished'].map(s =>
      el('option', {value: s, selected: s === state.status}, s || 'any')));
  const search = el('input', {id: 'filter-q', name: 'q', type: 'search', value: state.q,
    placeholder: 'part of the name'});
  const results = el('div', {id: 'sweeps-results'});
  const apply = () => {
    state.status = statusSelect.value;
    state.q = search.value.trim();
    state.offset = 0;
    last = null;
    refresh();
  };
  const form = el('form', {class: 'filters', role: 'search', onsubmit: e => { e.preventDefault(); apply(); }},
    el('label', {for: 'filter-status'}, 'Status'), statusSelect,
    el('label', {for: 'filter-q'}, 'Name contains'), search,
    el('button', {type: 'submit'}, 'Filter'));
  statusSelect.addEventListener('change', apply);

  fill(main,
    el('div', {class: 'page-head'}, el('h1', {}, 'Sweeps'),
      el('a', {class: 'button primary', href: '#/sweeps/new'}, 'New sweep')),
    form, results);

  let last = null;
  const refresh = coalesce(async () => {
    setParams({status: state.status, q: state.q, offset: state.offset || ''});
    let data;
    try {
      data = await get('/api/sweeps' + query({limit: PAGE, offset: state.offset,
        status: state.status, q: state.q}));
    } catch (e) {
      last = null;
      fill(results, failure(e, 'The sweep list'));
      return;
    }
    const seen = JSON.stringify(data);
    if (seen === last) return;  // unchanged: keep the table, and the keyboard focus in it
    last = seen;
    fill(results, sweepTable(filtered(data.sweeps || [], state)),
      pager(data, state, offset => { state.offset = offset; refresh(); }));
  });
  await refresh();
  return follow({}, ['sweep', 'trial'], refresh);
}

/** Applies the filters here too, for servers that ignore them; a no-op where they were applied. */
function filtered(sweeps, {status, q}) {
  return sweeps.filter(s => (!status || sweepStatus(s) === status)
    && (!q || String(s.name).toLowerCase().includes(q.toLowerCase())));
}

function sweepStatus(sweep) {
  if (sweep.status) return sweep.status;
  return sweep.active > 0 ? 'active' : 'finished';
}

function sweepTable(sweeps) {
  if (!sweeps.length) return notice('info', 'No sweeps match. ', el('a', {href: '#/sweeps/new'}, 'Start one.'));
  return table({id: 'sweeps', class: 'data'},
    ['Sweep', 'Name', 'Status', 'Trials', 'Best', 'Age'].map(h => el('th', {scope: 'col'}, h)),
    sweeps.map(s => el('tr', {dataset: {sweep: s.id}},
      el('td', {}, el('a', {href: '#/sweeps/' + s.id}, '#' + s.id)),
      el('td', {class: 'name'}, el('a', {href: '#/sweeps/' + s.id}, s.name)),
      el('td', {}, stateBadge(sweepStatus(s))),
      el('td', {}, progressBar(s.counts || fallbackCounts(s), s.trials)),
      el('td', {}, best(s)),
      el('td', {}, ageTag(s.created_at)))));
}

function fallbackCounts(sweep) {
  const active = sweep.active || 0;
  return {active, finished: Math.max(0, (sweep.trials || 0) - active)};
}

function best(sweep) {
  if (!sweep.best || sweep.best.value == null) return '—';
  return el('span', {title: (sweep.metric || '') + ' (' + (sweep.goal || '') + ')'},
    el('a', {href: '#/trials/' + sweep.best.trial_id}, num(sweep.best.value)),
    sweep.metric ? el('small', {class: 'muted'}, ' ', sweep.metric) : null);
}

function pager(data, state, go) {
  const count = (data.sweeps || []).length;
  const total = data.total;
  const hasNext = total != null ? state.offset + PAGE < total : count === PAGE;
  const from = count ? state.offset + 1 : 0;
  return el('nav', {class: 'pager', 'aria-label': 'Pages of sweeps'},
    el('button', {type: 'button', disabled: state.offset === 0,
      onclick: () => go(Math.max(0, state.offset - PAGE))}, '← Newer'),
    el('span', {}, from + '–' + (state.offset + count) + (total != null ? ' of ' + total : '')),
    el('button', {type: 'button', disabled: !hasNext, onclick: () => go(state.offset + PAGE)},
      'Older →'));
}
