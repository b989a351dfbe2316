// A minimal sweep browser over the public REST API. Text from the server is only ever set with
// textContent, so names, captions and error messages can never inject markup.
'use strict';

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

async function getJson(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(path + ' answered ' + response.status);
  return response.json();
}

async function showSweeps() {
  const body = document.querySelector('#sweeps tbody');
  const data = await getJson('/api/sweeps');
  body.replaceChildren();
  for (const sweep of data.sweeps) {
    const row = document.createElement('tr');
    const link = document.createElement('a');
    link.href = '#sweep-' + sweep.id;
    link.textContent = sweep.id;
    link.addEventListener('click', () => showTrials(sweep.id));
    cell(row, '').appendChild(link);
    cell(row, sweep.name);
    cell(row, sweep.trials);
    cell(row, sweep.active);
    cell(row, sweep.created_at);
    body.appendChild(row);
  }
}

async function showTrials(id) {
  const sweep = await getJson('/api/sweeps/' + encodeURIComponent(id));
  document.getElementById('trials-title').textContent = 'Trials of sweep ' + sweep.id + ': ' + sweep.name;
  const body = document.querySelector('#trials tbody');
  body.replaceChildren();
  for (const trial of sweep.trials) {
    const row = document.createElement('tr');
    cell(row, trial.id);
    cell(row, JSON.stringify(trial.params));
    cell(row, trial.status, 'status-' + trial.status);
    cell(row, trial.attempt);
    cell(row, trial.error);
    body.appendChild(row);
  }
  document.getElementById('trials-section').hidden = false;
}

showSweeps().catch(err => { document.querySelector('#sweeps tbody').textContent = err.message; });
const initial = /^#sweep-(\d+)$/.exec(location.hash);
if (initial) showTrials(initial[1]);
