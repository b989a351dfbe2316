// The mapping between the new-sweep form's fields and a sweep spec. The JSON spec is the source
// of truth: a field edit rewrites only the keys that field owns, and an edited spec refills every
// field, so the two stay in sync both ways without one erasing what the other cannot show.

export const OBJECTIVES = ['jsd', 'infonce', 'nwj', 'dv'];
export const ENCODERS = ['resnet10', 'resnet18', 'resnet34', 'resnet50'];
export const EVALUATIONS = ['voc_emoji', 'fashion_mnist_linear', 'fashion_mnist_zeroshot',
  'zeroshot_emoji_groups', 'retrieval_heldout'];

/** The spec a new sweep starts from. */
export function starterSpec() {
  return {
    name: '',
    parameters: {objective: ['jsd', 'infonce'], batch_size: [32, 128]},
    fixed: {epochs: 4},
  };
}

/** A comma list such as "1, 4, all" as values (numbers where numeric), or JSON if it is JSON. */
export function parseList(text) {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (/^[[{]/.test(trimmed)) {
    try { return JSON.parse(trimmed); } catch (e) { /* fall through: sent as typed */ }
  }
  return trimmed.split(',').map(s => s.trim()).filter(Boolean)
    .map(s => (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(s) ? Number(s) : s));
}

export function listText(value) {
  if (value == null) return '';
  if (Array.isArray(value) && value.every(v => typeof v !== 'object')) return value.join(', ');
  return Array.isArray(value) || typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A trial parameter from either section of the spec. */
export function paramOf(spec, key) {
  const swept = spec.parameters && spec.parameters[key];
  return swept !== undefined ? swept : spec.fixed && spec.fixed[key];
}

/**
 * Sets a trial parameter in one section (swept values in parameters, one value in fixed) and
 * removes it from the other; undefined removes it from both.
 */
export function setParam(spec, key, value, section) {
  for (const name of ['parameters', 'fixed']) {
    if (spec[name] && name !== section) delete spec[name][key];
  }
  if (value === undefined) {
    if (spec[section]) delete spec[section][key];
  } else {
    spec[section] = spec[section] || {};
    spec[section][key] = value;
  }
  if (spec.fixed && !Object.keys(spec.fixed).length) delete spec.fixed;
}

export function setTop(spec, key, value) {
  if (value === undefined) delete spec[key];
  else spec[key] = value;
}

/** Learning rates: log-spaced grid values, or a log-uniform range for random and asha. */
export function learningRates(search, min, max, count) {
  if (!(min > 0)) return undefined;
  if (search === 'random' || search === 'asha') {
    return {distribution: 'log_uniform', min, max: max > 0 ? max : min};
  }
  const n = Math.max(1, Math.round(count) || 1);
  if (n === 1 || !(max > 0)) return [min];
  const ratio = Math.log(max / min) / (n - 1);
  return Array.from({length: n}, (_, i) => Number((min * Math.exp(ratio * i)).toPrecision(3)));
}

/** Form values {min, max, count} read back from whatever learning_rate the spec holds. */
export function learningRateFields(value) {
  if (Array.isArray(value) && value.every(v => typeof v === 'number') && value.length) {
    return {min: Math.min(...value), max: Math.max(...value), count: value.length};
  }
  if (value && typeof value === 'object' && 'min' in value) {
    return {min: value.min, max: value.max, count: ''};
  }
  if (typeof value === 'number') return {min: value, max: '', count: 1};
  return {min: '', max: '', count: ''};
}

/** The form field an error's path points at, e.g. "parameters.batch_size[1]" -> "batch_size". */
export function fieldOfError(path, fieldKeys) {
  const parts = String(path || '').replace(/\[\d+\]/g, '').split('.');
  const key = ['parameters', 'fixed'].includes(parts[0]) ? parts[1] : parts[0];
  return fieldKeys.includes(key) ? key : null;
}
