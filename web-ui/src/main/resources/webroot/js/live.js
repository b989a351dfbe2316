// Live updates from GET /api/events; the returned function stops them.

import {query} from './api.js';

/**
 * Calls onChange(eventName, data) for each named event of the stream filtered by filters;
 * onMode('live') when the stream opens, onMode('closed') when it has closed for good (the
 * browser reopens a dropped connection itself).
 */
export function follow(filters, events, onChange, {onMode = () => {}} = {}) {
  const source = new EventSource('/api/events' + query(filters));
  source.addEventListener('open', () => onMode('live'));
  for (const name of events) {
    source.addEventListener(name, e => {
      let data = null;
      try { data = JSON.parse(e.data); } catch (err) { data = null; }
      onChange(name, data);
    });
  }
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) onMode('closed');
  });
  return () => source.close();
}

/** Runs task at most once at a time; calls arriving meanwhile collapse into one more run. */
export function coalesce(task) {
  let running = false;
  let again = false;
  const run = async () => {
    if (running) { again = true; return; }
    running = true;
    try {
      do { again = false; await task(); } while (again);
    } finally {
      running = false;
    }
  };
  return run;
}
