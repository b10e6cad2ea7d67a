// Small DOM helpers: every text goes in through textContent, never as HTML.

/** An element with attributes (on* keys become listeners) and children (strings become text nodes). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** A list of labelled figures; each value carries data-stat so tests and readers find it by name. */
export function stats(items) {
  return h('dl', { class: 'stats' }, items.map(([name, label, value]) =>
    h('div', { class: 'stat' }, h('dt', {}, label), h('dd', { 'data-stat': name }, value))));
}

/**
 * A table: columns are [header, cell(row), {num: true}] and rows any values. With onOpen, rows are links in the tab
 * order, opened by click or Enter.
 */
export function table(caption, columns, rows, { onOpen, testid } = {}) {
  const head = h('tr', {}, columns.map(([label, , opt]) => h('th', { scope: 'col', class: opt && opt.num ? 'num' : null }, label)));
  const body = rows.map(r => {
    const tr = h('tr', {}, columns.map(([, cell, opt]) => h('td', { class: opt && opt.num ? 'num' : null }, cell(r))));
    if (onOpen) {
      tr.classList.add('clickable');
      tr.tabIndex = 0;
      tr.addEventListener('click', () => onOpen(r));
      tr.addEventListener('keydown', e => { if (e.key === 'Enter') onOpen(r); });
    }
    return tr;
  });
  if (rows.length === 0) body.push(h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, 'Nothing to show.')));
  return h('table', { 'data-testid': testid }, h('caption', { class: 'visually-hidden' }, caption), h('thead', {}, head), h('tbody', {}, body));
}

export function errorBox(err) {
  const msg = err && err.status ? `${err.status} ${err.code}: ${err.message}` : String(err && err.message || err);
  return h('p', { class: 'error', role: 'alert', 'data-testid': 'error' }, msg);
}

export const fmt = {
  int: v => v === null || v === undefined ? '–' : Number(v).toLocaleString('en-US'),
  usd: v => v === null || v === undefined ? '–' : '$' + Number(v).toFixed(6).replace(/0{1,4}$/, ''),
  ms: v => v === null || v === undefined ? '–' : Number(v).toFixed(1) + ' ms',
  num: (v, d = 3) => v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toFixed(d),
  pct: v => v === null || v === undefined ? '–' : (100 * Number(v)).toFixed(1) + ' %',
  time: v => v ? new Date(v).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '–',
};

/** A section with a heading. */
export function section(title, ...children) {
  return h('section', { class: 'panel', 'aria-label': title }, h('h2', {}, title), children);
}
