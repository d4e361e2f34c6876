// The status page: plain JavaScript over the HTTP API (GET /status, the segment and import endpoints).
// The token is asked once per browser tab and kept in sessionStorage; nothing else is stored.
'use strict';

const TOKEN_KEY = 'bigsegments.token';
const REFRESH_MS = 2000;
/** SDKs report STALE past their staleAfter, 2 minutes by default. */
const STALE_AFTER_S = 120;
let environments = [];
let uploadLocation = null;

function token() { return sessionStorage.getItem(TOKEN_KEY); }

async function api(path, options = {}) {
  const headers = Object.assign({ Authorization: token() }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    showTokenForm('The token was refused: enter it again.');
    throw new Error('unauthorized');
  }
  if (!response.ok) {
    let message = response.status + '';
    try { message = (await response.json()).message || message; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs).forEach(([k, v]) => {
    if (k === 'class') node.className = v; else if (k === 'text') node.textContent = v; else node.setAttribute(k, v);
  });
  children.forEach(c => node.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
  return node;
}

function table(headers, rows) {
  return el('table', {}, el('thead', {}, el('tr', {}, ...headers.map(h => el('th', { text: h })))),
    el('tbody', {}, ...rows));
}

function number(n) { return n == null ? '—' : Number(n).toLocaleString('en-US'); }
function time(ms) { return ms == null ? '—' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'); }
function age(seconds) {
  if (seconds == null) return el('span', { class: 'bad', text: 'never stamped' });
  const cls = seconds > STALE_AFTER_S ? 'stale' : 'fresh';
  return el('span', { class: cls, text: Math.round(seconds) + ' s ago' });
}

function showTokenForm(message) {
  document.getElementById('token-form').hidden = false;
  document.getElementById('main').hidden = true;
  document.getElementById('token-forget').hidden = true;
  showError(message);
}

function showError(message) {
  const e = document.getElementById('error');
  e.hidden = !message;
  e.textContent = message || '';
}

function renderPipeline(status) {
  const p = status.processor;
  const rows = status.stores.map(s => el('tr', { 'data-store': s.store + '/' + s.groupId },
    el('td', { text: s.store }), el('td', { text: s.target }), el('td', { text: s.groupId }),
    el('td', { class: 'num', text: number(s.lag) }),
    el('td', { class: s.ready ? 'fresh' : 'bad', text: s.ready ? 'ready' : (s.outage || s.failure || 'not ready') }),
    el('td', { class: s.reachable && s.reporting ? 'fresh' : 'bad',
      text: !s.reporting ? 'not reporting' : (s.reachable ? 'reachable' : 'unreachable') })));
  const dl = status.deadLetters;
  document.getElementById('pipeline').replaceChildren(
    el('p', {}, 'Stream processor lag: ', el('strong', { id: 'processor-lag', text: number(p.lag) }),
      ' commands', p.error ? el('span', { class: 'bad', text: ' (' + p.error + ')' }) : ''),
    table(['store', 'target', 'consumer group', 'lag', 'state', 'reachability'], rows),
    el('p', {}, 'Dead letters: ', el('strong', { id: 'dead-letters', text: number(dl.total) }),
      ...Object.entries(dl.bySource).map(([source, reasons]) =>
        el('span', { class: 'muted', text: ' · ' + source + ': ' + Object.entries(reasons).map(([r, n]) => r + ' ' + n).join(', ') }))));
}

function importRow(i) {
  return el('tr', { 'data-import': i.id },
    el('td', { text: i.segmentKey }), el('td', { text: i.mode }), el('td', { class: 'status', text: i.status }),
    el('td', {}, el('progress', { max: '1', value: String(i.progress) }), ' ' + Math.round(i.progress * 100) + '%'),
    el('td', { class: 'num', text: number(i.rowsRead) }), el('td', { class: 'num', text: number(i.keysAccepted) }),
    el('td', { class: 'num', text: number(i.duplicates) }), el('td', { class: 'num', text: number(i.rejectedRows) }),
    el('td', { class: 'num', text: number(i.added) }), el('td', { class: 'num', text: number(i.removed) }),
    el('td', { text: i.error || (i.rejections.length ? 'line ' + i.rejections[0].line + ': ' + i.rejections[0].reason : '') }));
}

const IMPORT_HEADERS = ['segment', 'mode', 'status', 'progress', 'rows', 'keys', 'duplicates', 'rejected', 'added',
  'removed', 'error or first rejection'];

async function renderEnvironment(env) {
  const page = await (await api('/api/v2/segments/' + encodeURIComponent(env.projectKey) + '/'
    + encodeURIComponent(env.environmentKey) + '?limit=500')).json();
  const stores = env.stores;
  const rows = page.items.map(s => {
    const reference = s.lastChangeAt != null ? s.lastChangeAt : s.updatedAt;
    return el('tr', { 'data-segment': s.key },
      el('td', { class: 'key', text: s.key }), el('td', { text: s.name }), el('td', { class: 'num', text: s.generation }),
      el('td', { text: s.contextKind }), el('td', { class: 'num included', text: number(s.included) }),
      el('td', { class: 'num excluded', text: number(s.excluded) }), el('td', { text: time(s.lastChangeAt) }),
      ...stores.map(f => {
        const holds = f.synchronizedOn != null && f.synchronizedOn >= reference;
        return el('td', { class: holds ? 'fresh' : 'stale', text: holds ? 'in store' : 'pending' });
      }),
      el('td', { text: s.activeImportId ? 'importing' : (s.pendingCleanups.length ? 'removing old generation' : '') }));
  });
  return el('section', { 'data-environment': env.name },
    el('h2', { text: 'Environment ' + env.name + ' (' + env.projectKey + '/' + env.environmentKey + ', id ' + env.id + ')' }),
    table(['store', 'consumer group', 'synchronizedOn', 'age', 'state'], stores.map(f => el('tr', {},
      el('td', { text: f.store }), el('td', { text: f.groupId }), el('td', { text: time(f.synchronizedOn) }),
      el('td', {}, age(f.ageSeconds)), el('td', { text: f.lost ? 'lost data: needs an operator' : (f.refilling ? 'refilling' : '') })))),
    el('h3', { text: 'Segments (' + env.segments + ')' }),
    page.countsUnavailable ? el('p', { class: 'bad', text: 'Counts unavailable: ' + page.countsUnavailable }) : '',
    table(['key', 'name', 'generation', 'kind', 'included', 'excluded', 'last change',
      ...stores.map(f => f.store + ' holds it'), 'pending'], rows),
    el('h3', { text: 'Running imports' }), table(IMPORT_HEADERS, env.runningImports.map(importRow)),
    el('h3', { text: 'Latest imports' }), table(IMPORT_HEADERS, env.recentImports.map(importRow)));
}

function renderFailures(status) {
  const stopped = status.environments.flatMap(e => e.recentImports.filter(i => i.status === 'stopped')
    .map(i => el('tr', {}, el('td', { text: time(i.creationTime) }), el('td', { text: 'import ' + e.name + '/' + i.segmentKey }),
      el('td', { text: 'stopped' }), el('td', { text: i.error || '' }))));
  const letters = status.deadLetters.recent.map(d => el('tr', {}, el('td', { text: time(d.time) }),
    el('td', { text: 'dead letter from ' + d.source + ' (' + (d.topic || '?') + ')' }), el('td', { text: d.reason }),
    el('td', { text: (d.errorClass || '') + ': ' + (d.errorMessage || '') })));
  document.getElementById('failures').replaceChildren(stopped.length + letters.length === 0
    ? el('p', { class: 'muted', text: 'None.' }) : table(['when', 'what', 'status', 'error'], [...stopped, ...letters]));
}

function fillUploadChoices() {
  const envSelect = document.getElementById('upload-environment');
  const current = envSelect.value;
  envSelect.replaceChildren(...environments.map(e => el('option', { value: e.name, text: e.name })));
  if (current) envSelect.value = current;
  fillSegments();
}

function fillSegments() {
  const env = environments.find(e => e.name === document.getElementById('upload-environment').value);
  const select = document.getElementById('upload-segment');
  const current = select.value;
  const keys = env ? [...document.querySelectorAll('section[data-environment="' + CSS.escape(env.name) + '"] tr[data-segment]')]
    .map(r => r.getAttribute('data-segment')) : [];
  select.replaceChildren(...keys.map(k => el('option', { value: k, text: k })));
  if (keys.includes(current)) select.value = current;
}

async function refresh() {
  if (!token()) return;
  try {
    const status = await (await api('/status')).json();
    environments = status.environments;
    renderPipeline(status);
    const sections = [];
    for (const env of environments) sections.push(await renderEnvironment(env));
    document.getElementById('environments').replaceChildren(...sections);
    renderFailures(status);
    fillUploadChoices();
    document.getElementById('updated').textContent = 'updated ' + time(status.generatedAt);
    showError(null);
  } catch (e) {
    if (e.message !== 'unauthorized') showError('Could not read the status: ' + e.message);
  }
  await followUpload();
}

async function upload(event) {
  event.preventDefault();
  const env = environments.find(e => e.name === document.getElementById('upload-environment').value);
  const segment = document.getElementById('upload-segment').value;
  const form = new FormData();
  form.append('file', document.getElementById('upload-file').files[0]);
  form.append('mode', document.getElementById('upload-mode').value);
  try {
    const response = await api('/api/v2/segments/' + encodeURIComponent(env.projectKey) + '/'
      + encodeURIComponent(env.environmentKey) + '/' + encodeURIComponent(segment) + '/imports',
      { method: 'POST', body: form });
    uploadLocation = new URL(response.headers.get('Location')).pathname;
    document.getElementById('upload-state').hidden = false;
    await followUpload();
  } catch (e) {
    if (e.message !== 'unauthorized') showError('The upload was refused: ' + e.message);
  }
}

async function followUpload() {
  if (!uploadLocation) return;
  try {
    const i = await (await api(uploadLocation)).json();
    document.getElementById('upload-progress').value = i.progress;
    document.getElementById('upload-status').textContent = i.status + ' ' + Math.round(i.progress * 100) + '%'
      + (i.error ? ': ' + i.error : '');
    document.getElementById('upload-counts').textContent = 'rows ' + number(i.rowsRead) + ', keys ' + number(i.keysAccepted)
      + ', duplicates ' + number(i.duplicates) + ', rejected ' + number(i.rejectedRows) + ', added ' + number(i.added)
      + ', removed ' + number(i.removed);
    if (i.status === 'complete' || i.status === 'stopped') uploadLocation = null;
  } catch (e) {
    if (e.message !== 'unauthorized') showError('Could not read the import: ' + e.message);
  }
}

function start() {
  document.getElementById('token-entry').addEventListener('submit', event => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById('token').value.trim());
    document.getElementById('token').value = '';
    begin();
  });
  document.getElementById('token-forget').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showTokenForm(null);
  });
  document.getElementById('upload').addEventListener('submit', upload);
  document.getElementById('upload-environment').addEventListener('change', fillSegments);
  if (token()) begin(); else showTokenForm(null);
  setInterval(refresh, REFRESH_MS);
}

function begin() {
  document.getElementById('token-form').hidden = true;
  document.getElementById('main').hidden = false;
  document.getElementById('token-forget').hidden = false;
  refresh();
}

start();
