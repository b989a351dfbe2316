// The page's place in the hash: "#/compare?ids=1,2" is the path /compare and its query.

/** The hash as a path and its query parameters: "#/compare?ids=1,2". */
export function currentRoute() {
  const hash = location.hash.replace(/^#/, '') || '/sweeps';
  const [path, search] = hash.split('?');
  return {path, params: new URLSearchParams(search || '')};
}

/** Changes the query of the current page's hash without leaving it. */
export function setParams(params) {
  const {path} = currentRoute();
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') search.set(k, v);
  const text = search.toString();
  history.replaceState(null, '', '#' + path + (text ? '?' + text : ''));
}
