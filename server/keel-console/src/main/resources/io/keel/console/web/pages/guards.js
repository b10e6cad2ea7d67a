// Guards: blocked requests and findings by type and policy, recent prompt-injection detections
// (GET /v1/console/guards over the newest requests).
import { api } from '../api.js';
import { fmt, h, section, stats, table } from '../dom.js';

export async function render(el) {
  el.append(h('h1', {}, 'Guards'));
  const g = await api('/v1/console/guards');
  el.append(stats([
    ['requests', 'Requests read', fmt.int(g.requests)],
    ['blocked', 'Blocked', fmt.int(g.blocked)],
    ['with_findings', 'Redacted or flagged', fmt.int(g.with_findings)],
    ['injections', 'Prompt injections', fmt.int(g.by_type.prompt_injection ?? 0)],
  ]));
  el.append(h('p', { class: 'muted' }, `Over the newest ${fmt.int(g.sample)} requests` + (g.truncated ? ' (a sample of the log).' : '.')));
  el.append(h('div', { class: 'grid2' },
    section('Findings by type', table('Findings by type', [['type', ([t]) => t], ['requests', ([, n]) => fmt.int(n), { num: true }]],
      Object.entries(g.by_type).sort((a, b) => b[1] - a[1]), { testid: 'guards-by-type' })),
    section('Outcomes by policy', table('Outcomes by policy', [
      ['policy', p => p.policy], ['requests', p => fmt.int(p.requests), { num: true }],
      ['blocked', p => fmt.int(p.blocked), { num: true }], ['redacted or flagged', p => fmt.int(p.with_findings), { num: true }],
    ], g.by_policy, { testid: 'guards-by-policy' }))));
  el.append(section('Recent prompt-injection detections', table('Recent prompt-injection detections', [
    ['time', r => fmt.time(r.time)], ['request', r => h('a', { href: '#/requests/' + encodeURIComponent(r.id) }, r.id)],
    ['route', r => r.route], ['tenant', r => r.tenant], ['status', r => r.status], ['findings', r => r.findings.join(', ')],
  ], g.recent_injections, { testid: 'guards-injections' })));
  el.append(section('Quarantined chunks', h('p', { class: 'muted' },
    'Chunks quarantined at ingestion are listed and released with the quarantine API when the server has it; ',
    'this console version does not call it.')));
}
