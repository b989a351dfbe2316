// New sweep: a form for the common axes and an editor for the whole JSON spec, kept in sync,
// validated as you type by the server's own validator (a dry run) and submitted to the API.

import {ApiError, postWithStatus} from '../api.js';
import {el, fill, notice} from '../dom.js';
import {
  ENCODERS, EVALUATIONS, OBJECTIVES, fieldOfError, learningRateFields,
  learningRates, listText, paramOf, parseList, setParam, setTop, starterSpec,
} from '../spec-form.js';

const DEBOUNCE_MS = 400;

/** Each form field: how it reads its value from the spec and writes it back. */
const FIELDS = {
  name: {read: s => s.name ?? '', write: (s, v) => setTop(s, 'name', v)},
  // grid is the default, so it is left out of the spec.
  search: {read: s => s.search || 'grid',
    write: (s, v) => setTop(s, 'search', v === 'grid' ? undefined : v)},
  max_trials: {read: s => s.max_trials ?? '', write: (s, v) => setTop(s, 'max_trials', int(v))},
  objective: {read: s => [].concat(paramOf(s, 'objective') || []),
    write: (s, v) => setParam(s, 'objective', v.length ? v : undefined, 'parameters')},
  negatives: {read: s => listText(paramOf(s, 'negatives')),
    write: (s, v) => setParam(s, 'negatives', parseList(v), 'parameters')},
  batch_size: {read: s => listText(paramOf(s, 'batch_size')),
    write: (s, v) => setParam(s, 'batch_size', parseList(v), 'parameters')},
  learning_rate: {read: s => learningRateFields(paramOf(s, 'learning_rate')),
    write: (s, v) => setParam(s, 'learning_rate',
      learningRates(s.search, num(v.min), num(v.max), num(v.count)), 'parameters')},
  image_encoder: {read: s => paramOf(s, 'image_encoder') ?? '',
    write: (s, v) => setParam(s, 'image_encoder', v || undefined, 'fixed')},
  epochs: {read: s => paramOf(s, 'epochs') ?? '',
    write: (s, v) => setParam(s, 'epochs', int(v), 'fixed')},
  evaluations: {read: s => [].concat(paramOf(s, 'evaluations') || []),
    write: (s, v) => setParam(s, 'evaluations', v.length ? v : undefined, 'fixed')},
  baselines: {read: s => s.baselines === true,
    write: (s, v) => setTop(s, 'baselines', v ? true : undefined)},
};

function num(text) {
  return text === '' || text == null ? undefined : Number(text);
}

function int(text) {
  const n = num(text);
  return n === undefined ? undefined : Number.isInteger(n) ? n : text;
}

export async function newSweepPage(main) {
  const controls = {};
  const errorSlots = {};
  const editor = el('textarea', {id: 'spec-json', name: 'spec', rows: 22, spellcheck: 'false',
    'aria-describedby': 'spec-json-errors'});
  const editorErrors = el('div', {id: 'spec-json-errors', class: 'field-error', 'aria-live': 'polite'});
  const preview = el('p', {id: 'preview', class: 'preview', 'aria-live': 'polite'});
  const submitStatus = el('div', {id: 'submit-status', 'aria-live': 'polite'});

  const field = (key, label, control, hint) => {
    errorSlots[key] = el('p', {class: 'field-error', id: 'error-' + key, 'aria-live': 'polite'});
    controls[key] = control;
    return el('div', {class: 'field', dataset: {field: key}},
      el('label', {for: 'field-' + key}, label), control,
      hint ? el('p', {class: 'hint'}, hint) : null, errorSlots[key]);
  };
  const input = (key, attrs) => el('input', Object.assign({id: 'field-' + key, name: key,
    'aria-describedby': 'error-' + key}, attrs));
  const select = (key, options) => el('select', {id: 'field-' + key, name: key,
    'aria-describedby': 'error-' + key}, options.map(([v, t]) => el('option', {value: v}, t)));
  const boxes = (key, label, values, hint) => {
    errorSlots[key] = el('p', {class: 'field-error', id: 'error-' + key, 'aria-live': 'polite'});
    const list = values.map(v => el('input', {type: 'checkbox', id: 'field-' + key + '-' + v,
      name: key, value: v}));
    controls[key] = list;
    return el('fieldset', {class: 'field', dataset: {field: key}, 'aria-describedby': 'error-' + key},
      el('legend', {}, label),
      el('div', {class: 'checks'}, values.map((v, i) => el('label', {class: 'check',
        for: 'field-' + key + '-' + v}, list[i], ' ', v))),
      hint ? el('p', {class: 'hint'}, hint) : null, errorSlots[key]);
  };
  const lr = {
    min: el('input', {id: 'field-learning_rate', name: 'lr_min', type: 'number', step: 'any',
      min: '0', 'aria-describedby': 'error-learning_rate', 'aria-label': 'smallest learning rate'}),
    max: el('input', {id: 'field-learning_rate-max', name: 'lr_max', type: 'number', step: 'any',
      min: '0', 'aria-label': 'largest learning rate'}),
    count: el('input', {id: 'field-learning_rate-count', name: 'lr_count', type: 'number',
      min: '1', step: '1', 'aria-label': 'how many learning rates (grid)'}),
  };
  controls.learning_rate = lr;
  errorSlots.learning_rate = el('p', {class: 'field-error', id: 'error-learning_rate',
    'aria-live': 'polite'});

  const form = el('form', {id: 'sweep-form', class: 'sweep-form', novalidate: true},
    field('name', 'Name', input('name', {type: 'text', required: true,
      placeholder: 'e.g. batch size, jsd against infonce'})),
    field('search', 'Search', select('search', [['grid', 'grid'], ['random', 'random'],
      ['asha', 'asha (early stopping)']])),
    field('max_trials', 'Max trials', input('max_trials', {type: 'number', min: '1', step: '1'}),
      'Budget for random and asha; a cap for grid.'),
    boxes('objective', 'Objective (bound)', OBJECTIVES),
    field('negatives', 'Negatives', input('negatives', {type: 'text', placeholder: '1, 4, all'}),
      'Per positive: numbers or "all"; empty: 1 for jsd, all otherwise.'),
    field('batch_size', 'Batch sizes', input('batch_size', {type: 'text',
      placeholder: '32, 64, 128'}), 'A comma list, or a range as JSON {"min":16,"max":64,"step":16}.'),
    el('div', {class: 'field', dataset: {field: 'learning_rate'}},
      el('label', {for: 'field-learning_rate'}, 'Learning rate'),
      el('div', {class: 'range'}, lr.min, el('span', {'aria-hidden': 'true'}, 'to'), lr.max,
        el('span', {'aria-hidden': 'true'}, '×'), lr.count),
      el('p', {class: 'hint'}, 'Smallest, largest, how many (log-spaced for grid; log-uniform for random and asha).'),
      errorSlots.learning_rate),
    field('image_encoder', 'Image encoder', select('image_encoder',
      [['', 'default (resnet10)']].concat(ENCODERS.map(e => [e, e])))),
    field('epochs', 'Epochs', input('epochs', {type: 'number', min: '1', step: '1'})),
    boxes('evaluations', 'Evaluations', EVALUATIONS, 'None ticked: all five.'),
    el('div', {class: 'field', dataset: {field: 'baselines'}},
      el('label', {class: 'check', for: 'field-baselines'},
        (controls.baselines = el('input', {type: 'checkbox', id: 'field-baselines',
          name: 'baselines', 'aria-describedby': 'error-baselines'})),
        ' Queue each point\'s CLIP baseline'),
      (errorSlots.baselines = el('p', {class: 'field-error', id: 'error-baselines'}))),
    el('div', {class: 'actions'}, el('button', {type: 'submit', class: 'primary', id: 'submit'},
      'Start sweep'), submitStatus));

  fill(main, el('h1', {}, 'New sweep'),
    el('div', {class: 'new-sweep'},
      el('section', {'aria-labelledby': 'form-title'}, el('h2', {id: 'form-title'}, 'Common settings'), form),
      el('section', {'aria-labelledby': 'editor-title'},
        el('h2', {id: 'editor-title'}, el('label', {for: 'spec-json'}, 'Full spec (JSON)')),
        el('p', {class: 'hint'}, 'Every key of the API\'s sweep spec; see ',
          el('a', {href: '/api/schemas/sweep-spec'}, 'its JSON Schema'), '.'),
        editor, editorErrors, preview)));

  let spec = starterSpec();
  let validation = 0;
  let timer = null;

  const readForm = key => {
    const c = controls[key];
    if (Array.isArray(c)) return c.filter(b => b.checked).map(b => b.value);
    if (key === 'learning_rate') return {min: c.min.value, max: c.max.value, count: c.count.value};
    if (c.type === 'checkbox') return c.checked;
    return c.value;
  };
  const writeForm = () => {
    for (const [key, f] of Object.entries(FIELDS)) {
      const value = f.read(spec);
      const c = controls[key];
      if (Array.isArray(c)) c.forEach(b => { b.checked = value.includes(b.value); });
      else if (key === 'learning_rate') {
        c.min.value = value.min ?? ''; c.max.value = value.max ?? ''; c.count.value = value.count ?? '';
      } else if (c.type === 'checkbox') c.checked = value;
      else c.value = value;
    }
  };
  const showErrors = errors => {
    Object.values(errorSlots).forEach(slot => slot.replaceChildren());
    Object.values(controls).flatMap(c => (c.nodeType ? [c] : Object.values(c)))
      .forEach(c => c.removeAttribute('aria-invalid'));
    const unplaced = [];
    for (const error of errors) {
      const key = fieldOfError(error.field, Object.keys(FIELDS));
      const text = (error.field ? error.field + ': ' : '') + error.message;
      if (key) {
        errorSlots[key].appendChild(el('span', {}, text));
        const c = controls[key];
        (c.nodeType ? c : Object.values(c)[0]).setAttribute('aria-invalid', 'true');
      } else {
        unplaced.push(el('li', {}, text));
      }
    }
    fill(editorErrors, unplaced.length ? el('ul', {}, unplaced) : null);
  };
  const validate = async () => {
    const mine = ++validation;
    try {
      const {json} = await postWithStatus('/api/sweeps?dry_run=true', spec);
      if (mine !== validation) return;
      showErrors([]);
      fill(preview, el('strong', {}, 'Valid. '), 'Makes ' + json.trials + ' trials',
        json.baselines ? ', ' + json.baselines + ' of them CLIP baselines.' : '.');
    } catch (e) {
      if (mine !== validation) return;
      if (e instanceof ApiError && e.status === 400) {
        showErrors(e.errors);
        fill(preview, 'Not valid yet: ' + e.errors.length + ' error(s).');
      } else {
        fill(preview, notice('warn', 'Could not validate: ' + e.message));
      }
    }
  };
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(validate, DEBOUNCE_MS);
  };

  form.addEventListener('input', e => {
    const key = e.target.closest('[data-field]')?.dataset.field;
    if (!FIELDS[key]) return;
    FIELDS[key].write(spec, readForm(key));
    if (key === 'search') FIELDS.learning_rate.write(spec, readForm('learning_rate'));
    editor.value = JSON.stringify(spec, null, 2);
    changed();
  });
  editor.addEventListener('input', () => {
    try {
      const parsed = JSON.parse(editor.value);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new Error('the spec must be a JSON object');
      }
      spec = parsed;
      editor.removeAttribute('aria-invalid');
      fill(editorErrors);
      writeForm();
      changed();
    } catch (e) {
      editor.setAttribute('aria-invalid', 'true');
      fill(editorErrors, el('p', {}, 'Not valid JSON: ' + e.message));
    }
  });
  form.addEventListener('submit', async e => {
    e.preventDefault();
    fill(submitStatus, 'Submitting…');
    try {
      const {json} = await postWithStatus('/api/sweeps', editor.value);
      fill(submitStatus, notice('info', 'Sweep ' + json.id + ' created with ' + json.trials + ' trials.'));
      location.hash = '#/sweeps/' + json.id;
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        showErrors(err.errors);
        fill(submitStatus, notice('error', err.body.error || err.message,
          err.body.field ? ' (' + err.body.field + ')' : ''));
      } else {
        fill(submitStatus, notice('error', err.message));
      }
    }
  });

  editor.value = JSON.stringify(spec, null, 2);
  writeForm();
  validate();
  return () => clearTimeout(timer);
}
