// Time-series charts with uPlot (bundled from its webjar), each followed by its data as a table for screen readers.
import uPlot from '/console/lib/uPlot.esm.js';
import { h, table } from './dom.js';

const COLORS = ['#0b57b0', '#c0392b', '#1e8449', '#8e44ad', '#b9770e', '#117a8b', '#566573', '#d35400'];

/**
 * A line chart. xs are epoch seconds; series are {label, values, dash?}. Nulls leave gaps. Returns a figure holding
 * the chart and a collapsed data table.
 */
export function lineChart(title, xs, series, { unit = '', testid } = {}) {
  const fig = h('figure', { class: 'chart', 'data-testid': testid, 'aria-label': title }, h('figcaption', {}, title));
  const holder = h('div', { 'aria-hidden': 'true' });
  fig.append(holder);
  const cols = [['time', r => new Date(r.x * 1000).toISOString()]]
    .concat(series.map((s, i) => [s.label + (unit ? ` (${unit})` : ''), r => r.ys[i] === null || r.ys[i] === undefined ? '–' : String(r.ys[i]), { num: true }]));
  const rows = xs.map((x, j) => ({ x, ys: series.map(s => s.values[j]) }));
  fig.append(h('details', {}, h('summary', {}, 'Data'), table(title, cols, rows)));
  if (xs.length === 0) {
    holder.append(h('p', { class: 'muted' }, 'No data yet.'));
    return fig;
  }
  requestAnimationFrame(() => {
    const width = Math.max(320, holder.clientWidth || 600);
    const opts = {
      width, height: 200,
      series: [{}].concat(series.map((s, i) => ({
        label: s.label, stroke: COLORS[i % COLORS.length], width: 2, dash: s.dash, spanGaps: false,
        value: (u, v) => v === null || v === undefined ? '–' : (Math.round(v * 1000) / 1000) + (unit ? ' ' + unit : ''),
      }))),
      axes: [{}, { size: 60 }],
      legend: { live: false },
      cursor: { show: true, drag: { x: false, y: false } },
    };
    new uPlot(opts, [xs].concat(series.map(s => s.values)), holder);
  });
  return fig;
}
