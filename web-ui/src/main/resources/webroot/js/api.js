// Calls to the public REST API. Every page uses only these, so anything it does a script can do.

/** A failed request: status is the HTTP status (0 when the server could not be reached). */
export class ApiError extends Error {
  constructor(method, path, status, body) {
    const detail = body && body.error ? body.error : status ? 'HTTP ' + status : 'no answer';
    super(method + ' ' + path + ' answered ' + (status || 'nothing') + ': ' + detail);
    this.status = status;
    this.body = body || {};
    this.path = path;
  }

  /** The endpoint is missing on this server (or the resource does not exist). */
  get notFound() {
    return this.status === 404;
  }

  /** Each {field, message} the server named; a single error becomes a list of one. */
  get errors() {
    if (Array.isArray(this.body.errors) && this.body.errors.length) return this.body.errors;
    return [{field: this.body.field || '', message: this.body.error || this.message}];
  }
}

async function request(method, path, body) {
  const init = {method, headers: {accept: 'application/json'}};
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(method, path, 0, {error: e.message});
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = {error: text.slice(0, 200)};
  }
  if (!response.ok) throw new ApiError(method, path, response.status, json);
  return {status: response.status, json};
}

export async function get(path) {
  return (await request('GET', path)).json;
}

export async function post(path, body) {
  return (await request('POST', path, body)).json;
}

/** post() that also gives the status, for answers whose meaning depends on it. */
export function postWithStatus(path, body) {
  return request('POST', path, body);
}

/** A query string from the entries whose value is neither null nor empty. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value == null || value === '') continue;
    for (const v of [].concat(value)) search.append(key, String(v));
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

let openApi;

/**
 * Whether the server documents a query parameter of an operation in GET /api/openapi.json, so
 * that the dashboard never sends ?dry_run=true to a server that would take it for a real submit.
 */
export async function documents(method, path, parameter) {
  if (!openApi) openApi = get('/api/openapi.json').catch(() => null);
  const doc = await openApi;
  const operation = doc && doc.paths && (doc.paths[path] || doc.paths[path.replace(/^\/api/, '')]);
  const op = operation && operation[method.toLowerCase()];
  return !!(op && JSON.stringify(op.parameters || []).includes('"' + parameter + '"'));
}

/** Points of a trial's metric, fetched one metric per request so older servers answer too. */
export async function series(trialId, names, points = 1000) {
  const answers = await Promise.all(names.map(name =>
    get('/api/trials/' + encodeURIComponent(trialId) + '/metrics' + query({name, points}))
      .then(r => (r.series && r.series[name]) || [])));
  const out = {};
  names.forEach((name, i) => { out[name] = answers[i]; });
  return out;
}
