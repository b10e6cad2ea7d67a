// Models and prompts: registry versions and stages, promotion and rollback (admin only; the server checks the role
// and audits each change), the registry's audit trail, replay evaluations, and prompt versions, labels and diffs.
import { api } from '../api.js';
import { errorBox, fmt, h, section, table } from '../dom.js';

const STAGES = ['production', 'staging'];

export async function render(el, args) {
  el.append(h('h1', {}, 'Models & prompts'));
  const list = await api('/v1/registry/models');
  el.append(section('Registered models', table('Registered models', [
    ['model', m => h('a', { href: '#/models/' + encodeURIComponent(m.name) }, m.name)],
    ['production', m => m.production ?? '–', { num: true }], ['staging', m => m.staging ?? '–', { num: true }],
    ['latest', m => m.latest, { num: true }], ['versions', m => m.versions.length, { num: true }],
  ], list.models, { testid: 'models-table' })));
  const name = args[0] && args[0] !== 'prompt' ? args[0] : (list.models[0] && list.models[0].name);
  if (name) el.append(await model(name));
  el.append(await evaluations());
  el.append(await prompts(args[0] === 'prompt' ? args[1] : null));
}

/** Prompt versions, labels, label history and a diff of two versions (GET /v1/console/prompts...). */
async function prompts(selected) {
  const panel = section('Prompts');
  const list = await api('/v1/console/prompts');
  panel.append(table('Prompts', [
    ['prompt', p => h('a', { href: '#/models/prompt/' + encodeURIComponent(p.id) }, p.id)],
    ['versions', p => p.versions, { num: true }],
    ['labels', p => Object.entries(p.labels).map(([l, ref]) => h('span', { class: 'tag' }, `${l} → ${ref}`))],
  ], list.data, { testid: 'prompts' }));
  panel.append(h('p', { class: 'muted' }, 'Pushing, labelling and rolling back prompts is done with ', h('code', {}, 'keel prompts'),
    ' (audited); requests that used a prompt are listed by the Requests page\'s prompt filter.'));
  const id = selected || (list.data[0] && list.data[0].id);
  if (!id) return panel;
  const p = await api('/v1/console/prompts/' + encodeURIComponent(id));
  panel.append(h('h3', {}, 'Versions of ' + id), table('Versions of ' + id, [
    ['version', v => v.ref], ['labels', v => Object.entries(p.labels).filter(([, ref]) => ref === v.ref).map(([l]) => h('span', { class: 'tag' }, l))],
    ['pushed', v => `${fmt.time(v.pushed_at)} by ${v.pushed_by}`],
  ], p.versions, { testid: 'prompt-versions' }));
  if (p.history.length) {
    panel.append(h('h3', {}, 'Label history'), table('Label history of ' + id, [
      ['when', c => fmt.time(c.at)], ['label', c => c.label], ['action', c => c.action],
      ['from', c => c.from_hash ? c.from_hash.slice(0, 12) : '–'], ['to', c => c.to_hash ? c.to_hash.slice(0, 12) : '–'], ['who', c => c.actor],
    ], p.history));
  }
  if (p.versions.length > 1) {
    const opts = sel => p.versions.map((v, i) => h('option', { value: v.ref, selected: i === sel ? true : null }, v.ref));
    const from = h('select', { id: 'diff-from' }, opts(1));
    const to = h('select', { id: 'diff-to' }, opts(0));
    const out = h('pre', { 'data-testid': 'prompt-diff' });
    const form = h('form', { class: 'inline', 'aria-label': 'Compare two versions' },
      h('label', { for: 'diff-from' }, 'Diff'), from, h('label', { for: 'diff-to' }, 'against'), to, h('button', { type: 'submit' }, 'Compare'));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      try {
        const d = await api(`/v1/console/prompts/${encodeURIComponent(id)}/diff?from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(to.value)}`);
        out.textContent = d.diff || '(identical)';
      } catch (err) {
        out.textContent = `${err.status} ${err.code}: ${err.message}`;
      }
    });
    panel.append(h('h3', {}, 'Compare versions'), form, out);
  }
  return panel;
}

async function model(name) {
  const panel = section('Model ' + name);
  panel.dataset.testid = 'model-detail';
  let m;
  try {
    m = await api('/v1/registry/models/' + encodeURIComponent(name));
  } catch (e) {
    panel.append(errorBox(e));
    return panel;
  }
  panel.append(table('Versions of ' + name, [
    ['version', v => v.version, { num: true }], ['stage', v => v.stage], ['provider', v => v.provider],
    ['model id', v => v.model_id], ['input $/1M', v => v.price ? String(v.price.input_per_1m) : '–', { num: true }],
    ['output $/1M', v => v.price ? String(v.price.output_per_1m) : '–', { num: true }],
    ['created', v => `${fmt.time(v.created_at)} by ${v.created_by}`],
  ], m.versions.slice().reverse(), { testid: 'versions' }));

  const result = h('p', { role: 'status', 'data-testid': 'action-result' });
  const version = h('select', { id: 'promote-version', name: 'version' },
    m.versions.slice().reverse().map(v => h('option', { value: v.version }, `version ${v.version} (${v.stage})`)));
  const stage = h('select', { id: 'promote-stage', name: 'stage' }, STAGES.map(s => h('option', { value: s }, s)));
  const note = h('input', { id: 'promote-note', name: 'note', type: 'text', placeholder: 'change ticket, reason' });
  const promote = h('form', { class: 'inline', 'aria-label': 'Promote a version', 'data-testid': 'promote-form' },
    h('label', { for: 'promote-version' }, 'Promote'), version,
    h('label', { for: 'promote-stage' }, 'to'), stage,
    h('label', { for: 'promote-note' }, 'Note'), note,
    h('button', { type: 'submit' }, 'Promote'));
  promote.addEventListener('submit', e => act(e, result, name, 'promote',
    { version: Number(version.value), stage: stage.value, ...(note.value ? { note: note.value } : {}) }));
  const rbStage = h('select', { id: 'rollback-stage', name: 'stage' }, STAGES.map(s => h('option', { value: s }, s)));
  const rollback = h('form', { class: 'inline', 'aria-label': 'Roll back a stage', 'data-testid': 'rollback-form' },
    h('label', { for: 'rollback-stage' }, 'Roll back'), rbStage, h('button', { type: 'submit', class: 'secondary' }, 'Roll back'));
  rollback.addEventListener('submit', e => act(e, result, name, 'rollback', { stage: rbStage.value }));
  panel.append(h('h3', {}, 'Change stages'),
    h('p', { class: 'muted' }, 'Admin keys only; every change is recorded in the audit log.'), promote, rollback, result);

  try {
    const audit = await api('/v1/registry/models/' + encodeURIComponent(name) + '/audit');
    panel.append(h('h3', {}, 'History'), table('History of ' + name, [
      ['when', e => fmt.time(e.at)], ['who', e => e.actor], ['action', e => e.action],
      ['from', e => e.from_version ?? '–', { num: true }], ['to', e => e.to_version ?? '–', { num: true }],
      ['stage', e => e.stage ?? '–'], ['note', e => e.note ?? ''],
    ], audit.entries, { testid: 'model-audit' }));
  } catch (e) {
    panel.append(errorBox(e));
  }
  return panel;
}

async function act(e, result, name, action, body) {
  e.preventDefault();
  result.className = '';
  result.textContent = '…';
  try {
    const v = await api(`/v1/registry/models/${encodeURIComponent(name)}/${action}`, { method: 'POST', body });
    result.className = 'ok';
    result.textContent = `${action === 'promote' ? 'Promoted' : 'Rolled back'}: version ${v.version} is ${v.stage}.`;
    setTimeout(() => window.dispatchEvent(new HashChangeEvent('hashchange')), 800);
  } catch (err) {
    result.className = 'error';
    result.textContent = `Refused: ${err.status} ${err.code}: ${err.message}`;
  }
}

async function evaluations() {
  const panel = section('Replay evaluations');
  try {
    const ev = await api('/v1/evaluations');
    panel.append(table('Replay evaluations', [
      ['id', e => e.id], ['created', e => fmt.time(e.created_at)],
      ['candidate', e => e.spec ? String(e.spec.candidate ?? '–') : '–'],
      ['window', e => e.spec ? `${fmt.time(e.spec.from)} – ${fmt.time(e.spec.to)}` : '–'],
      ['gate', e => e.gate === null || e.gate === undefined ? 'none' : (e.gate.passed === false ? 'failed' : e.gate.passed === true ? 'passed' : JSON.stringify(e.gate))],
      ['summary', e => e.summary ? JSON.stringify(e.summary).slice(0, 200) : ''],
    ], ev.data || [], { testid: 'evaluations' }));
  } catch (e) {
    panel.append(errorBox(e));
  }
  return panel;
}
