// The console's shell: sign-in, navigation between pages (#/page/args), and rendering a page into <main>.
import { api, apiKey, signIn, signOut, ApiError } from './api.js';
import { errorBox, h } from './dom.js';
import * as overview from './pages/overview.js';
import * as requests from './pages/requests.js';
import * as models from './pages/models.js';
import * as guards from './pages/guards.js';
import * as experiments from './pages/experiments.js';
import * as ingestion from './pages/ingestion.js';

const PAGES = { overview, requests, models, guards, experiments, ingestion };
const $ = id => document.getElementById(id);
let renderSeq = 0;

function route() {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(2) : 'overview';
  const [name, ...args] = hash.split('/').map(decodeURIComponent);
  return { name: PAGES[name] ? name : 'overview', args };
}

async function show() {
  const signedIn = !!apiKey();
  $('login').hidden = signedIn;
  $('nav').hidden = !signedIn;
  $('logout').hidden = !signedIn;
  const page = $('page');
  if (!signedIn) {
    page.replaceChildren();
    document.title = 'Sign in · Keel console';
    return;
  }
  const { name, args } = route();
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const seq = ++renderSeq;
  const container = h('div', { 'data-page': name, 'aria-busy': 'true' });
  page.replaceChildren(container);
  try {
    await PAGES[name].render(container, args);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signOut();
      $('login-error').textContent = 'The key was refused (401): ' + e.message;
      return show();
    }
    container.append(errorBox(e));
  } finally {
    if (seq === renderSeq) {
      container.setAttribute('aria-busy', 'false');
      container.dataset.loadMs = String(Math.round(performance.now()));
      container.dataset.loaded = 'true';
    }
  }
}

$('login-form').addEventListener('submit', async e => {
  e.preventDefault();
  const key = $('api-key').value.trim();
  $('login-error').textContent = '';
  signIn(key);
  try {
    await api('/v1/models');
  } catch (err) {
    signOut();
    $('login-error').textContent = err instanceof ApiError ? `${err.status} ${err.code}: ${err.message}` : String(err.message);
    return;
  }
  $('api-key').value = '';
  if (!location.hash.startsWith('#/')) location.hash = '#/overview'; else show();
  $('main').focus();
});

$('logout').addEventListener('click', () => {
  signOut();
  show();
  $('api-key').focus();
});

window.addEventListener('hashchange', () => {
  if (location.hash.startsWith('#/')) {
    show();
  }
});

show();
