// Builds DOM nodes. Text is only ever set through text nodes, so names, captions and errors
// from the server can never inject markup.

/**
 * el('a', {href: '#/x', class: 'btn'}, 'text', child) makes an element; attributes named on*
 * take functions and become listeners; null or false children and attributes are skipped.
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      node.className = value;
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (value === true) {
      node.setAttribute(key, '');
    } else {
      node.setAttribute(key, String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of node. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A message box: kind is 'info', 'warn' or 'error'. */
export function notice(kind, ...children) {
  return el('p', {class: 'notice notice-' + kind, role: kind === 'error' ? 'alert' : 'status'},
    ...children);
}

/** A table inside a horizontally scrolling wrapper, so wide tables never widen the page. */
export function table(attrs, head, rows) {
  return el('div', {class: 'table-wrap'},
    el('table', attrs, el('thead', {}, el('tr', {}, head)), el('tbody', {}, rows)));
}

/** A number with at most four significant digits; strings such as "NaN" pass through. */
export function num(value) {
  if (value == null || value === '') return '—';
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en');
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/** A signed difference, e.g. +0.012. */
export function signed(value) {
  if (typeof value !== 'number') return num(value);
  return (value > 0 ? '+' : '') + num(value);
}

/** How long ago an ISO time was, e.g. "5 min ago". */
export function age(iso, now = Date.now()) {
  if (!iso) return '—';
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (seconds < 60) return Math.round(seconds) + ' s ago';
  if (seconds < 3600) return Math.round(seconds / 60) + ' min ago';
  if (seconds < 86400) return Math.round(seconds / 3600) + ' h ago';
  return Math.round(seconds / 86400) + ' d ago';
}

/** A time element showing the age, with the exact time as its title. */
export function ageTag(iso) {
  return iso ? el('time', {datetime: iso, title: iso}, age(iso)) : '—';
}

/** A parameter value as text: lists and objects as compact JSON. */
export function paramText(value) {
  if (value == null) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A trial state as a coloured badge. */
export function stateBadge(state) {
  return el('span', {class: 'badge state-' + (state || 'unknown')}, state || 'unknown');
}
