// Overview: requests, errors, tokens and cost; latency per stage over time; spend by tenant, app, model and variant;
// budget burn-down. Every figure is read from /v1/usage and /v1/console/*.
import { api, query } from '../api.js';
import { errorBox, fmt, h, section, stats, table } from '../dom.js';
import { lineChart } from '../charts.js';

const DIMS = ['tenant', 'app', 'model', 'variant'];
const STAGE_LABELS = { guard_input: 'input guard', embedding: 'embedding', vector_search: 'vector search',
  inference: 'inference', guard_output: 'output guard', total: 'total' };

const WINDOWS = [['1h', 'Last hour', 3600], ['24h', 'Last 24 hours', 86400], ['7d', 'Last 7 days', 7 * 86400],
  ['30d', 'Last 30 days', 30 * 86400], ['all', 'All time', null]];

export async function render(el) {
  el.append(h('h1', {}, 'Overview'));
  const choice = sessionStorage.getItem('keel.console.window') || '24h';
  const select = h('select', { id: 'ov-window' }, WINDOWS.map(([v, label]) => h('option', { value: v, selected: v === choice ? true : null }, label)));
  const filters = h('form', { class: 'inline', 'aria-label': 'Time window' },
    h('label', { for: 'ov-window' }, 'Window'), select, h('button', { type: 'submit' }, 'Apply'));
  el.append(filters);
  const body = h('div');
  el.append(body);
  filters.addEventListener('submit', e => {
    e.preventDefault();
    sessionStorage.setItem('keel.console.window', select.value);
    body.replaceChildren();
    load(body, windowOf(select.value)).catch(err => body.append(errorBox(err)));
  });
  await load(body, windowOf(choice));
}

/** The query window for a choice: from a whole second that long ago, to now (open). */
function windowOf(choice) {
  const w = WINDOWS.find(([v]) => v === choice) || WINDOWS[1];
  if (w[2] === null) return {};
  return { from: new Date(Math.floor(Date.now() / 1000 - w[2]) * 1000).toISOString().replace('.000Z', 'Z') };
}

async function load(el, window) {
  const settle = p => p.then(v => ({ v }), e => ({ e }));
  const [total, byDay, latency, ...rest] = await Promise.all([
    api('/v1/usage' + query(window)),
    api('/v1/usage' + query({ ...window, group_by: 'day' })),
    api('/v1/console/latency' + query(window)),
    ...DIMS.map(dim => settle(api('/v1/usage' + query({ ...window, group_by: dim })))),
    settle(api('/v1/console/budgets')),
  ]);
  const byDim = rest.slice(0, DIMS.length);
  const budgetData = rest[DIMS.length];
  const t = total.data[0] || { requests: 0, errors: 0, prompt_tokens: 0, completion_tokens: 0, cost_usd: '0' };
  el.append(h('p', { class: 'muted', 'data-testid': 'window', 'data-from': window.from || '' },
    window.from ? `Since ${fmt.time(window.from)}.` : 'All time.'));
  el.append(stats([
    ['requests', 'Requests', fmt.int(t.requests)],
    ['errors', 'Errors', fmt.int(t.errors)],
    ['error_rate', 'Error rate', t.requests ? fmt.pct(t.errors / t.requests) : '–'],
    ['prompt_tokens', 'Prompt tokens', fmt.int(t.prompt_tokens)],
    ['completion_tokens', 'Completion tokens', fmt.int(t.completion_tokens)],
    ['cost_usd', 'Cost (USD)', t.cost_usd],
    ['p50_total', 'p50 latency (total)', fmt.ms(latency.overall.p50_ms.total)],
    ['p95_total', 'p95 latency (total)', fmt.ms(latency.overall.p95_ms.total)],
  ]));

  const xs = latency.buckets.map(b => Date.parse(b.start) / 1000);
  const width = latency.bucket_seconds >= 120 ? `${Math.round(latency.bucket_seconds / 60)} min` : `${Math.round(latency.bucket_seconds)} s`;
  const note = h('p', { class: 'muted' }, `Latency figures and these charts cover the newest ${fmt.int(latency.sample)} requests`
    + (latency.truncated ? ' of the window (a sample).' : ' of the window.') + ` Buckets of ${width}.`);
  const latencyStages = latency.stages.filter(s => latency.overall.p50_ms[s] !== null);
  el.append(h('div', { class: 'grid2' },
    section('Requests and errors over time', lineChart('Requests and errors per bucket', xs, [
      { label: 'requests', values: latency.buckets.map(b => b.requests) },
      { label: 'errors', values: latency.buckets.map(b => b.errors) },
    ], { testid: 'chart-requests' }), note),
    section('p95 latency per stage', lineChart('p95 latency per stage', xs, latencyStages.map(s => ({
      label: STAGE_LABELS[s] || s, values: latency.buckets.map(b => b.p95_ms[s]) })), { unit: 'ms', testid: 'chart-p95' })),
  ));
  el.append(section('Latency per stage', table('Latency per stage', [
    ['stage', s => STAGE_LABELS[s] || s],
    ['p50', s => fmt.ms(latency.overall.p50_ms[s]), { num: true }],
    ['p95', s => fmt.ms(latency.overall.p95_ms[s]), { num: true }],
  ], latencyStages, { testid: 'latency-table' })));

  el.append(section('Requests per day', table('Requests per day', usageColumns('day'), byDay.data
    .slice().sort((a, b) => String(a.day).localeCompare(String(b.day))), { testid: 'usage-day' })));

  const breakdowns = h('div', { class: 'grid2' });
  el.append(breakdowns);
  DIMS.forEach((dim, i) => {
    const panel = section('Tokens and cost by ' + dim);
    breakdowns.append(panel);
    if (byDim[i].e) panel.append(errorBox(byDim[i].e));
    else panel.append(table('Tokens and cost by ' + dim, usageColumns(dim), byDim[i].v.data, { testid: 'usage-' + dim }));
  });
  el.append(budgets(budgetData));
}

function usageColumns(dim) {
  return [
    [dim, r => r[dim] === null || r[dim] === undefined ? '(none)' : r[dim]],
    ['requests', r => fmt.int(r.requests), { num: true }],
    ['errors', r => fmt.int(r.errors), { num: true }],
    ['prompt tokens', r => fmt.int(r.prompt_tokens), { num: true }],
    ['completion tokens', r => fmt.int(r.completion_tokens), { num: true }],
    ['cost (USD)', r => r.cost_usd, { num: true }],
  ];
}

function budgets(result) {
  const panel = section('Budgets');
  if (result.e) {
    panel.append(errorBox(result.e));
    return panel;
  }
  const data = result.v.data;
  if (data.length === 0) {
    panel.append(h('p', { class: 'muted' }, 'No budgets are configured (budgets: in keel.yaml).'));
    return panel;
  }
  panel.append(table('Budgets', [
    ['scope', b => b.scope], ['subject', b => b.subject], ['period', b => `${b.period} from ${b.period_start.slice(0, 10)}`],
    ['limit (USD)', b => b.limit_usd, { num: true }],
    ['spent (USD)', b => b.spent_usd === null ? 'not tracked' : b.spent_usd, { num: true }],
    ['remaining (USD)', b => b.remaining_usd ?? '–', { num: true }],
  ], data, { testid: 'budgets' }));
  for (const b of data.filter(b => b.days && b.days.length)) {
    const xs = b.days.map(d => Date.parse(d.day + 'T00:00:00Z') / 1000);
    panel.append(lineChart(`Burn-down: ${b.scope} ${b.subject} (${b.period})`, xs, [
      { label: 'remaining', values: b.days.map(d => Math.max(0, Number(b.limit_usd) - Number(d.cumulative_usd))) },
    ], { unit: 'USD' }));
  }
  return panel;
}
