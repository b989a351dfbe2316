// Live updates from GET /api/events. Where the stream is missing or drops for good, the page
// polls instead, so it keeps up either way; the returned function stops both.

import {query} from './api.js';

/**
 * Calls onChange(eventName, data) for each named event of the stream filtered by filters, and
 * onChange('poll') every pollMs when the stream cannot be used. onMode('live' | 'polling').
 */
export function follow(filters, events, onChange, {pollMs = 5000, onMode = () => {}} = {}) {
  let timer = null;
  let source = null;
  const startPolling = () => {
    if (timer) return;
    onMode('polling');
    timer = setInterval(() => onChange('poll', null), pollMs);
  };
  if (typeof EventSource === 'function') {
    source = new EventSource('/api/events' + query(filters));
    source.addEventListener('open', () => onMode('live'));
    for (const name of events) {
      source.addEventListener(name, e => {
        let data = null;
        try { data = JSON.parse(e.data); } catch (err) { data = null; }
        onChange(name, data);
      });
    }
    source.addEventListener('error', () => {
      // A 404 or a wrong content type closes the stream for good; a dropped one reconnects.
      if (source.readyState === EventSource.CLOSED) startPolling();
    });
  } else {
    startPolling();
  }
  return () => {
    if (source) source.close();
    if (timer) clearInterval(timer);
  };
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
