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

/** Each named metric's points of a trial, in one request, at most `points` per series. */
export async function series(trialId, names, points = 1000) {
  const answer = await get('/api/trials/' + encodeURIComponent(trialId) + '/metrics' +
    query({name: names.join(','), points}));
  return Object.fromEntries(names.map(name => [name, (answer.series || {})[name] || []]));
}
