// Requests explorer: the request log filtered and paged by the server (GET /v1/requests), and one request opened
// (GET /v1/requests/{id}) with its redacted text, citations, stage waterfall, cost, guard findings, quality and lineage.
import { api, query } from '../api.js';
import { errorBox, fmt, h, section, stats, table } from '../dom.js';

const FILTERS = [['tenant', 'Tenant'], ['user', 'User'], ['app', 'App'], ['route', 'Route'], ['model', 'Model'], ['prompt_id', 'Prompt'],
  ['status', 'Status'], ['from', 'From', 'date'], ['to', 'To', 'date']];
const PAGE = 50;

export async function render(el, args) {
  if (args[0]) return detail(el, args[0]);
  el.append(h('h1', {}, 'Requests'));
  const params = new URLSearchParams(sessionStorage.getItem('keel.console.requests') || '');
  const form = h('form', { class: 'filters', 'aria-label': 'Filter requests' },
    FILTERS.map(([name, label, type]) => h('div', {},
      h('label', { for: 'rq-' + name }, label),
      h('input', { id: 'rq-' + name, name, type: type || 'text', value: params.get(name) || '' }))),
    h('div', {}, h('button', { type: 'submit' }, 'Filter')));
  const results = h('div');
  el.append(form, results);
  form.addEventListener('submit', e => {
    e.preventDefault();
    const p = {};
    for (const [name] of FILTERS) p[name] = form.elements[name].value.trim();
    sessionStorage.setItem('keel.console.requests', new URLSearchParams(Object.entries(p).filter(([, v]) => v)).toString());
    results.replaceChildren();
    page(results, p, null);
  });
  const p = {};
  for (const [name] of FILTERS) p[name] = params.get(name) || '';
  await page(results, p, null);
}

async function page(el, filters, before) {
  const res = await api('/v1/requests' + query({ ...filters, before, limit: PAGE }));
  el.append(table('Requests, newest first', [
    ['time', r => fmt.time(r.time)],
    ['id', r => h('a', { href: '#/requests/' + encodeURIComponent(r.id) }, r.id)],
    ['route', r => r.route], ['tenant', r => r.tenant], ['app', r => r.app ?? '–'],
    ['status', r => h('span', { class: r.status === 'ok' ? 'ok' : 'warn' }, r.status)],
    ['model', r => r.lineage && r.lineage.generator ? r.lineage.generator + (r.lineage.model_version ? '@' + r.lineage.model_version : '') : '–'],
    ['tokens', r => fmt.int(r.usage.total_tokens), { num: true }],
    ['cost (USD)', r => String(r.usage.cost_usd), { num: true }],
    ['total', r => fmt.ms(r.timings_ms.total), { num: true }],
  ], res.data, { testid: 'requests-table', onOpen: r => { location.hash = '#/requests/' + encodeURIComponent(r.id); } }));
  if (res.next_before) {
    const more = h('button', { type: 'button', class: 'secondary', 'data-testid': 'older' }, 'Older requests');
    more.addEventListener('click', () => { more.remove(); page(el, filters, res.next_before); });
    el.append(more);
  }
}

async function detail(el, id) {
  const r = await api('/v1/requests/' + encodeURIComponent(id));
  el.append(h('p', {}, h('a', { href: '#/requests' }, '← All requests')));
  el.append(h('h1', {}, 'Request ', h('code', { 'data-testid': 'request-id' }, r.id)));
  el.append(stats([
    ['status', 'Status', r.status], ['route', 'Route', r.route], ['tenant', 'Tenant', r.tenant],
    ['app', 'App', r.app ?? '–'], ['user', 'User', r.user ?? '–'], ['time', 'Time', fmt.time(r.time)],
    ['tokens', 'Tokens', fmt.int(r.usage.total_tokens)], ['cost_usd', 'Cost (USD)', String(r.usage.cost_usd)],
  ]));
  if (r.error) el.append(h('p', { class: 'error' }, 'Error: ', r.error));
  el.append(h('div', { class: 'grid2' },
    section('Question (redacted)', h('pre', { 'data-testid': 'question' }, r.question ?? '–')),
    section('Answer (redacted)', h('pre', { 'data-testid': 'answer' }, r.answer ?? '–'))));
  el.append(section('Stage timings', waterfall(r.timings_ms)));
  el.append(h('div', { class: 'grid2' },
    section('Cost and tokens', table('Usage', [['field', ([k]) => k], ['value', ([, v]) => String(v), { num: true }]],
      Object.entries(r.usage), { testid: 'usage' })),
    section('Guard findings', r.guard_findings.length
      ? h('p', { 'data-testid': 'findings' }, r.guard_findings.map(f => h('span', { class: 'tag' }, f)))
      : h('p', { class: 'muted', 'data-testid': 'findings' }, 'None.')),
    section('Quality signals', table('Quality signals', [['signal', ([k]) => k], ['value', ([, v]) => v === null ? '–' : String(v), { num: true }]],
      Object.entries(r.quality), { testid: 'quality' }))));
  el.append(section('Citations', table('Citations', [['chunk', c => c]], r.citations, { testid: 'citations' }),
    h('h3', {}, 'Context given to the model'),
    table('Context', [['chunk', c => c.chunk_id], ['document', c => c.document_id], ['score', c => fmt.num(c.score), { num: true }],
      ['text (redacted)', c => c.text]], r.context)));
  el.append(section('Lineage', lineage(r.lineage)));
}

/** Stage timings as bars laid end to end in the order the stages run, total last. */
function waterfall(t) {
  const order = ['guard_input', 'embedding', 'vector_search', 'context', 'inference', 'guard_output'];
  const stages = order.filter(s => t[s] > 0).concat(Object.keys(t).filter(s => !order.includes(s) && s !== 'total' && t[s] > 0));
  const total = Math.max(t.total || 0, stages.reduce((a, s) => a + t[s], 0)) || 1;
  let offset = 0;
  const rows = [];
  for (const s of stages) {
    const left = 100 * offset / total;
    const width = Math.max(0.5, 100 * t[s] / total);
    offset += t[s];
    rows.push(h('span', {}, s), h('div', { class: 'bar-track', role: 'img', 'aria-label': `${s}: ${fmt.ms(t[s])}` },
      h('div', { class: 'bar', style: { left: left + '%', width: width + '%' } })), h('span', { class: 'num' }, fmt.ms(t[s])));
  }
  rows.push(h('strong', {}, 'total'), h('span'), h('strong', { 'data-testid': 'total-ms' }, fmt.ms(t.total)));
  return h('div', { class: 'waterfall', 'data-testid': 'waterfall' }, rows);
}

function lineage(l) {
  if (!l || Object.keys(l).length === 0) return h('p', { class: 'muted' }, 'No lineage recorded.');
  const model = l.generator && l.generator !== 'none' && l.generator !== 'extractive';
  const rows = [
    ['model', model ? h('a', { href: '#/models/' + encodeURIComponent(l.generator) }, l.generator + (l.model_version ? '@' + l.model_version : '')) : (l.generator ?? '–')],
    ['prompt', l.prompt_id ? h('a', { href: '#/requests', onclick: filterBy('prompt_id', l.prompt_id) }, `${l.prompt_id} ${l.prompt_version ?? ''}`) : (l.prompt_version ?? '–')],
    ['index', l.index_version ?? '–'],
    ['embedding model', l.embedding_model ?? '–'],
    ['guard policy', l.guard_policy ? h('a', { href: '#/guards' }, l.guard_policy) : '–'],
    ['experiment', l.experiment ? h('a', { href: '#/experiments/' + encodeURIComponent(l.experiment) }, `${l.experiment} / ${l.variant}`) : '–'],
    ['retrieval', l.retrieval ? JSON.stringify(l.retrieval) : '–'],
  ];
  return table('Lineage', [['what', r => r[0]], ['version', r => r[1]]], rows, { testid: 'lineage' });
}

function filterBy(name, value) {
  return () => sessionStorage.setItem('keel.console.requests', new URLSearchParams({ [name]: value }).toString());
}
