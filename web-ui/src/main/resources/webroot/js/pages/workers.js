// The workers: host, device, the trial each runs, last heartbeat, quarantine.

import {get, post} from '../api.js';
import {ageTag, el, fill, notice, stateBadge, table} from '../dom.js';
import {coalesce, follow} from '../live.js';
import {actionButton, failure} from './common.js';

export async function workersPage(main) {
  const box = el('div', {id: 'workers-box'});
  const status = el('div', {'aria-live': 'polite'});
  fill(main, el('h1', {}, 'Workers'), status, box);
  let last = null;
  const refresh = coalesce(async () => {
    let data;
    try {
      data = await get('/api/workers?limit=500');
    } catch (e) {
      fill(box, failure(e, 'The worker registry'));
      return;
    }
    const seen = JSON.stringify(data);
    if (seen === last) return;
    last = seen;
    const workers = data.workers || [];
    const total = data.total ?? workers.length;
    fill(box, el('p', {}, total + (total === 1 ? ' worker' : ' workers')),
      workers.length ? table({class: 'data', id: 'workers'},
        ['Worker', 'Host', 'Device', 'Status', 'Trial', 'Heartbeat', 'Runtime', 'Quarantine']
          .map(h => el('th', {scope: 'col'}, h)),
        workers.map(w => el('tr', {},
          el('td', {}, w.id), el('td', {}, w.host), el('td', {}, w.device),
          el('td', {}, stateBadge(w.lost ? 'lost' : w.status)),
          el('td', {}, w.current_trial_id ? el('a', {href: '#/trials/' + w.current_trial_id},
            '#' + w.current_trial_id) : '—'),
          el('td', {}, ageTag(w.heartbeat_at)),
          el('td', {}, runtimeText(w.runtime)),
          el('td', {}, w.quarantine_reason ? [el('span', {class: 'worse'}, w.quarantine_reason,
            ' (', String(w.consecutive_failures ?? 0), ' failures in a row) '),
          actionButton('Release', status, async () => {
            await post('/api/workers/' + encodeURIComponent(w.id) + '/release');
            last = null;
            await refresh();
            return 'Worker ' + w.id + ' released.';
          })] : '—'))))
        : notice('info', 'No worker has registered yet.'));
  });
  await refresh();
  return follow({}, ['worker'], refresh);
}

function runtimeText(runtime) {
  if (!runtime) return '—';
  if (typeof runtime !== 'object') return String(runtime);
  if (!runtime.version) return JSON.stringify(runtime);
  return 'PyTorch ' + runtime.version + (runtime.flavor ? ' (' + runtime.flavor + ')' : '');
}
