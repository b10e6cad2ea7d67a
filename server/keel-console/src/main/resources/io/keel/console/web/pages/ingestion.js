// Collections and ingestion: collections with their documents and chunks (GET /v1/console/collections), freshness,
// ingestion events and errors, sources with their Kafka lag and dead letters (GET /v1/ingestion/status).
import { api } from '../api.js';
import { fmt, h, section, stats, table } from '../dom.js';

export async function render(el) {
  el.append(h('h1', {}, 'Collections & ingestion'));
  const [cols, s] = await Promise.all([api('/v1/console/collections'), api('/v1/ingestion/status')]);
  const f = s.freshness || {};
  const ev = s.events || {};
  const err = s.errors || {};
  el.append(stats([
    ['backlog', 'Backlog (events not yet searchable)', fmt.int(s.backlog)],
    ['freshness_p50', 'Freshness p50', fmt.ms(f.p50_ms)], ['freshness_p99', 'Freshness p99', fmt.ms(f.p99_ms)],
    ['accepted', 'Events applied', fmt.int(ev.accepted)], ['rejected', 'Events rejected', fmt.int(ev.rejected)],
    ['failed_batches', 'Failed batches', fmt.int(err.failed_batches)],
  ]));
  el.append(h('p', { class: 'muted' }, `Freshness is event time to searchable over the last ${f.window_seconds ?? '–'} s `
    + `(${fmt.int(f.samples)} events). Events also unchanged: ${fmt.int(ev.unchanged)}, stale: ${fmt.int(ev.stale)}.`));
  el.append(section('Collections', table('Collections', [
    ['collection', c => c.collection], ['documents', c => fmt.int(c.documents), { num: true }],
    ['chunks', c => fmt.int(c.chunks), { num: true }], ['index version', c => c.version, { num: true }],
    ['embedding model', c => c.embedding_model],
  ], cols.data, { testid: 'collections' })));
  el.append(section('Sources', table('Ingestion sources', [
    ['source', x => x.name], ['collection', x => x.collection ?? '–'], ['running', x => x.running ? 'yes' : 'no'],
    ['backlog', x => fmt.int(x.backlog), { num: true }],
  ], s.sources || [], { testid: 'sources' })));
  const partitions = (s.sources || []).flatMap(x => (x.partitions || []).map(p => ({ source: x.name, ...p })));
  el.append(section('Kafka partitions', table('Kafka partitions', [
    ['topic', p => p.topic], ['partition', p => p.partition, { num: true }],
    ['committed', p => fmt.int(p.committed_offset), { num: true }], ['end', p => fmt.int(p.end_offset), { num: true }],
    ['lag', p => fmt.int(p.lag), { num: true }],
  ], partitions, { testid: 'partitions' })));
  el.append(section('Errors and dead letters', table('Ingestion errors', [['what', ([k]) => k.replaceAll('_', ' ')],
    ['value', ([, v]) => typeof v === 'number' ? fmt.int(v) : String(v ?? '–'), { num: true }]],
    Object.entries(err), { testid: 'ingestion-errors' }),
    h('p', { class: 'muted' }, 'A rejected HTTP event is answered to its sender; a Kafka record that cannot be applied goes '
      + 'to its source\'s dead-letter topic (streaming.kafka.dead_letter_topic).')));
}
