// Experiments: the experiments seen in the request log (GET /v1/usage grouped by experiment and variant), and one
// experiment's report (GET /v1/experiments/{name}/report, admin only): variants, traffic split, metrics with
// confidence intervals, comparisons against the control, the sample-ratio check and the verdicts.
import { api, query } from '../api.js';
import { errorBox, fmt, h, section, stats, table } from '../dom.js';

export async function render(el, args) {
  el.append(h('h1', {}, 'Experiments'));
  const seen = await api('/v1/usage' + query({ group_by: 'experiment,variant' }));
  const rows = seen.data.filter(r => r.experiment);
  const names = [...new Set(rows.map(r => r.experiment))].sort();
  el.append(section('Experiments in the request log', table('Experiments in the request log', [
    ['experiment', r => h('a', { href: '#/experiments/' + encodeURIComponent(r.experiment) }, r.experiment)],
    ['variant', r => r.variant ?? '–'], ['requests', r => fmt.int(r.requests), { num: true }],
    ['errors', r => fmt.int(r.errors), { num: true }], ['cost (USD)', r => r.cost_usd, { num: true }],
  ], rows, { testid: 'experiments-seen' })));
  const name = args[0] || names[0];
  if (!name) {
    el.append(h('p', { class: 'muted' }, 'No request carries an experiment yet (experiments.dir in keel.yaml).'));
    return;
  }
  const panel = section('Report: ' + name);
  el.append(panel);
  let r;
  try {
    r = await api('/v1/experiments/' + encodeURIComponent(name) + '/report');
  } catch (e) {
    panel.append(errorBox(e));
    return;
  }
  const total = r.variants.reduce((a, v) => a + v.requests, 0);
  const srm = r.srm || { status: 'no_data' };
  panel.append(stats([
    ['control', 'Control', r.control], ['alpha', 'Alpha', String(r.alpha)], ['exp_requests', 'Requests', fmt.int(total)],
    ['srm', 'Sample ratio', srm.status === 'mismatch' ? 'MISMATCH' : srm.status],
  ]));
  if (srm.status === 'mismatch') {
    panel.append(h('p', { class: 'error', role: 'alert', 'data-testid': 'srm-warning' },
      `Sample-ratio mismatch (chi-square ${fmt.num(srm.chi_square, 2)}, p ${fmt.num(srm.p_value, 4)}): the split of requests `
      + 'does not match the configured weights, so the comparisons below are not trustworthy until the cause is found.'));
  }
  const weights = r.variants.reduce((a, v) => a + v.weight, 0) || 1;
  panel.append(h('h3', {}, 'Traffic split'), table('Traffic split', [
    ['variant', v => v.name], ['weight', v => fmt.pct(v.weight / weights), { num: true }],
    ['requests', v => fmt.int(v.requests), { num: true }], ['share', v => total ? fmt.pct(v.requests / total) : '–', { num: true }],
  ], r.variants, { testid: 'split' }));
  const metrics = [...new Set(r.variants.flatMap(v => Object.keys(v.metrics)))];
  panel.append(h('h3', {}, 'Metrics (mean and confidence interval)'), table('Metrics per variant',
    [['metric', m => m]].concat(r.variants.map(v => [v.name, m => {
      const s = v.metrics[m];
      return s ? `${fmt.num(s.mean, 4)} [${ci(s.ci)}] n=${s.n}` : '–';
    }, { num: true }])), metrics, { testid: 'metrics' }));
  for (const [variant, byMetric] of Object.entries(r.comparisons || {})) {
    panel.append(h('h3', {}, `${variant} against ${r.control}`), table(`${variant} against ${r.control}`, [
      ['metric', ([m]) => m], ['lift', ([, c]) => c.lift === undefined || c.lift === null ? '–' : fmt.pct(c.lift), { num: true }],
      ['lift CI', ([, c]) => c.lift_ci ? ci(c.lift_ci, true) : '–', { num: true }],
      ['p (Holm)', ([, c]) => fmt.num(c.p_value_holm, 4), { num: true }],
      ['significant', ([, c]) => c.significant ? 'yes' : 'no'],
      ['more per arm', ([, c]) => c.more_needed_per_arm === null || c.more_needed_per_arm === undefined ? '–' : fmt.int(c.more_needed_per_arm), { num: true }],
    ], Object.entries(byMetric)));
  }
  const verdicts = Object.entries(r.verdicts || {});
  if (verdicts.length) panel.append(h('h3', {}, 'Verdicts'), h('ul', { 'data-testid': 'verdicts' }, verdicts.map(([v, s]) => h('li', {}, h('strong', {}, v + ': '), s))));
}

function ci(c, pct = false) {
  if (!c) return '–';
  const lo = Array.isArray(c) ? c[0] : c.low ?? c.lower ?? c.lo;
  const hi = Array.isArray(c) ? c[1] : c.high ?? c.upper ?? c.hi;
  const f = v => v === null || v === undefined ? '–' : pct ? fmt.pct(v) : fmt.num(v, 4);
  return `${f(lo)} – ${f(hi)}`;
}
