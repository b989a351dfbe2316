// Line charts drawn with uPlot (a WebJar, loaded by index.html as the global uPlot).

import {el, num} from './dom.js';

const COLOURS = ['#0a58ca', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207',
  '#be185d'];

/**
 * Draws lines into a new element: xs is the shared x axis, lines a list of {label, ys} where ys
 * holds one value (or null) per x. Returns the element; the chart follows its width, and
 * onDraw() is called after each time it is drawn.
 */
export function lineChart({title, xLabel, yLabel, xs, lines, points = false, logX = false,
  onDraw = null}) {
  const box = el('figure', {class: 'chart'});
  const caption = el('figcaption', {}, title);
  box.appendChild(caption);
  if (typeof uPlot !== 'function') {
    box.appendChild(el('p', {class: 'notice notice-warn'}, 'The chart library did not load.'));
    return box;
  }
  const plotArea = el('div', {class: 'chart-plot', role: 'img', 'aria-label': title});
  box.appendChild(plotArea);
  const opts = {
    width: 600,
    height: 240,
    scales: {x: {time: false, distr: logX ? 3 : 1}},
    axes: [{label: xLabel, size: 40},
      {label: yLabel || undefined, size: 64, values: (u, v) => v.map(num)}],
    series: [{label: xLabel, value: (u, v) => num(v)}].concat(lines.map((line, i) => ({
      label: line.label,
      stroke: COLOURS[i % COLOURS.length],
      width: 2,
      spanGaps: true,
      points: points ? {show: true, size: 7} : {},
      value: (u, v) => num(v),
    }))),
    legend: {live: true},
    hooks: {draw: [() => onDraw && onDraw()]},
  };
  const plot = new uPlot(opts, [xs].concat(lines.map(l => l.ys)), plotArea);
  const resize = () => {
    const width = Math.max(200, Math.floor(box.clientWidth - 8));
    if (width !== plot.width) plot.setSize({width, height: width < 420 ? 200 : 240});
  };
  new ResizeObserver(resize).observe(box);
  box.plot = plot;
  return box;
}

/**
 * Series of [step, value] pairs as uPlot data: the union of steps, and one list of values per
 * series with null where a series has no point at that step. Strings ("NaN") become null.
 */
export function align(seriesList) {
  const steps = [...new Set(seriesList.flatMap(s => s.map(p => p[0])))].sort((a, b) => a - b);
  const index = new Map(steps.map((s, i) => [s, i]));
  const columns = seriesList.map(s => {
    const ys = new Array(steps.length).fill(null);
    for (const [step, value] of s) ys[index.get(step)] = typeof value === 'number' ? value : null;
    return ys;
  });
  return {xs: steps, columns};
}
