// The dashboard's router: #/sweeps, #/sweeps/new, #/sweeps/{id}, #/trials/{id}, #/workers,
// #/compare?ids=1,2. Each page renders into <main> and returns a function that stops its live
// updates when the page is left.

import {el, fill, notice} from './dom.js';
import {currentRoute} from './route.js';
import {sweepsPage} from './pages/sweeps.js';
import {newSweepPage} from './pages/new-sweep.js';
import {sweepPage} from './pages/sweep.js';
import {trialPage} from './pages/trial.js';
import {workersPage} from './pages/workers.js';
import {comparePage} from './pages/compare.js';

const ROUTES = [
  [/^\/sweeps\/new$/, 'new', () => newSweepPage],
  [/^\/sweeps\/(\d+)$/, 'sweeps', m => main => sweepPage(main, m[1])],
  [/^\/trials\/(\d+)$/, 'sweeps', m => main => trialPage(main, m[1])],
  [/^\/workers$/, 'workers', () => workersPage],
  [/^\/compare$/, 'compare', () => comparePage],
  [/^\/(sweeps)?$/, 'sweeps', () => sweepsPage],
];

let leave = null;

async function render(event) {
  if (leave) leave();
  leave = null;
  const main = document.getElementById('main');
  const {path, params} = currentRoute();
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  for (const link of document.querySelectorAll('nav a[data-page]')) {
    link.toggleAttribute('aria-current', !!route && link.dataset.page === route[1]);
  }
  if (!route) {
    fill(main, el('h1', {}, 'Not found'), notice('warn', 'No page at ', path, '. ',
      el('a', {href: '#/sweeps'}, 'All sweeps')));
    return;
  }
  fill(main, el('p', {class: 'loading'}, 'Loading…'));
  // After following a link, keyboard and screen-reader users start at the new page's content.
  if (event && event.type === 'hashchange') main.focus({preventScroll: true});
  try {
    leave = (await route[2](route[0].exec(path))(main, params)) || null;
  } catch (e) {
    fill(main, el('h1', {}, 'Something went wrong'), notice('error', e.message));
  }
}

window.addEventListener('hashchange', render);
window.addEventListener('load', render);
// A page left for another document closes its event stream, which would otherwise hold one of
// the browser's few connections to the server while the page sits in the back-forward cache;
// coming back draws it afresh.
window.addEventListener('pagehide', () => {
  if (leave) leave();
  leave = null;
});
window.addEventListener('pageshow', e => {
  if (e.persisted) render();
});
// The skip link moves the focus without touching the hash, which holds the route.
document.querySelector('.skip').addEventListener('click', e => {
  e.preventDefault();
  document.getElementById('main').focus();
});
