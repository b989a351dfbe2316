// The retrieval gallery of a trial: for a chosen evaluation phase, each held-out image with the
// five captions the model ranks highest, the image's own captions marked.

import {get} from '../api.js';
import {el, fill, notice, num} from '../dom.js';
import {failure} from './common.js';

/**
 * A panel that shows the gallery of one of the trial's phases (final by default); update(trial)
 * offers the phases the trial lists in evaluation_details, redrawing only when they change.
 */
export function galleryPanel(trialId) {
  const picker = el('select', {id: 'gallery-phase'});
  const box = el('div', {id: 'gallery', 'aria-live': 'polite'});
  const panel = el('section', {class: 'panel', 'aria-labelledby': 'gallery-title', hidden: true},
    el('div', {class: 'page-head'}, el('h2', {id: 'gallery-title'}, 'Retrieval gallery'),
      el('div', {class: 'filters'}, el('label', {for: 'gallery-phase'}, 'Phase'), picker)),
    el('p', {class: 'hint'}, 'Each held-out image with the five captions the model ranks ' +
      'highest for it, best first; ✓ marks the image\'s own captions.'),
    box);
  const show = async () => {
    const phase = picker.value;
    try {
      const answer = await get('/api/trials/' + trialId + '/evaluations/' + encodeURIComponent(phase));
      if (picker.value !== phase) return;
      const retrieval = (answer.report || {}).retrieval_heldout;
      const gallery = retrieval && retrieval.details && retrieval.details.gallery;
      fill(box, gallery && gallery.length ? el('ol', {class: 'gallery'}, gallery.map(image))
        : notice('info', 'The ' + phase + ' evaluation has no retrieval gallery.'));
      box.dataset.phase = phase;
    } catch (e) {
      fill(box, failure(e, 'The gallery'));
    }
  };
  picker.addEventListener('change', show);
  let phases = '';
  panel.update = trial => {
    const listed = trial.evaluation_details || [];
    if (JSON.stringify(listed) === phases) return;
    phases = JSON.stringify(listed);
    panel.hidden = !listed.length;
    if (!listed.length) return;
    const chosen = listed.includes(picker.value) ? picker.value
      : listed.includes('final') ? 'final' : listed[0];
    fill(picker, listed.map(p => el('option', {value: p, selected: p === chosen}, p)));
    picker.value = chosen;
    show();
  };
  return panel;
}

function image(shown) {
  return el('li', {class: 'gallery-item', dataset: {image: shown.image_id}},
    el('img', {src: '/api/corpus/heldout/images/' + encodeURIComponent(shown.file_name),
      alt: 'held-out image ' + shown.file_name, width: 96, height: 96}),
    el('ol', {class: 'captions', 'aria-label': 'captions retrieved for ' + shown.file_name},
      (shown.top || []).map(c => el('li', {class: c.own ? 'own' : null, dataset: {own: !!c.own}},
        el('span', {class: 'caption'}, c.caption),
        ' ', el('span', {class: 'score'}, num(c.score)),
        c.own ? el('strong', {class: 'own-mark'}, ' ✓ own caption') : null))));
}
