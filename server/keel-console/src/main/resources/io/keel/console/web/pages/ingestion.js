import { h } from '../dom.js';

export async function render(el) {
  el.append(h('h1', {}, 'ingestion'));
}
