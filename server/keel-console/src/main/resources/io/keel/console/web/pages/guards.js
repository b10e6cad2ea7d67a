// Guards: blocked requests and findings by type and policy, recent prompt-injection detections
// (GET /v1/console/guards over the newest requests); quarantined chunks with release (GET /v1/quarantine and
// POST /v1/quarantine/{id}/release, admin keys only: loaded on demand so other roles see no refused call).
import { api } from '../api.js';
import { errorBox, fmt, h, section, stats, table } from '../dom.js';

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
  el.append(quarantine());
}

/** Chunks held back at ingestion, listed on request (admin keys only), each with a release button. */
function quarantine() {
  const holder = h('div', { 'data-testid': 'quarantine' });
  const result = h('p', { role: 'status', 'data-testid': 'quarantine-result' });
  const load = h('button', { type: 'button' }, 'Show quarantined chunks');
  const show = async () => {
    holder.replaceChildren();
    try {
      const q = await api('/v1/quarantine?limit=100');
      holder.append(h('p', { class: 'muted' }, `${fmt.int(q.total)} chunks held back; the newest ${fmt.int(q.chunks.length)} shown.`),
        table('Quarantined chunks', [
          ['when', c => fmt.time(c.quarantined_at)], ['collection', c => c.collection], ['document', c => c.document_id],
          ['chunk', c => fmt.int(c.ordinal), { num: true }], ['reason', c => c.reason],
          ['text', c => c.text.length > 160 ? c.text.slice(0, 160) + '…' : c.text],
          ['', c => {
            const b = h('button', { type: 'button', class: 'secondary', 'aria-label': 'Release chunk ' + c.id }, 'Release');
            b.addEventListener('click', async () => {
              try {
                await api('/v1/quarantine/' + encodeURIComponent(c.id) + '/release', { method: 'POST', body: {} });
                result.textContent = `Released chunk ${c.ordinal} of ${c.document_id}; it is searchable again.`;
                await show();
              } catch (e) {
                result.textContent = e.message;
              }
            });
            return b;
          }],
        ], q.chunks, { testid: 'quarantine-chunks' }));
    } catch (e) {
      holder.append(errorBox(e));
    }
  };
  load.addEventListener('click', show);
  return section('Quarantined chunks', h('p', { class: 'muted' },
    'Chunks the injection guard held back at ingestion, with the reason. Admin keys only; a release is audited.'),
    load, holder, result);
}
