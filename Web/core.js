'use strict';
// The shell every screen uses: building elements, words in the chosen language, the API client
// (token from sessionStorage, 401 back to sign-in), the hash router and the sign-in screen.
const P = window.P = Object.assign(window.P || {}, { screens: {}, me: null, timers: [] });

P.lang = localStorage.getItem('pilar.lang') === 'en' ? 'en' : 'id';
P.t = (key, ...args) => {
  const w = P.WORDS[key];
  let s = w ? (P.lang === 'en' ? w[1] : w[0]) : key;
  args.forEach((a, i) => { s = s.replace('{' + i + '}', a); });
  return s;
};

// h('p.cls#id', {attrs}, children...): the only way screens make elements (no innerHTML, so text
// from the server can never become markup).
P.h = (spec, attrs, ...kids) => {
  const m = spec.match(/^([a-z0-9]+)((?:[.#][\w-]+)*)$/);
  const e = document.createElement(m[1]);
  (m[2].match(/[.#][\w-]+/g) || []).forEach(p => {
    if (p[0] === '.') e.classList.add(p.slice(1)); else e.id = p.slice(1);
  });
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) { kids.unshift(attrs); attrs = null; }
  for (const k in attrs || {}) {
    const v = attrs[k];
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'value') e.value = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  P.add(e, kids);
  return e;
};
P.add = (e, kids) => {
  for (const k of [kids].flat(9)) {
    if (k === null || k === undefined || k === false) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
};
P.clear = e => { while (e.firstChild) e.firstChild.remove(); return e; };
P.say = (text, kind) => {
  const s = document.getElementById('status');
  s.textContent = text || '';
  s.className = 'status' + (kind ? ' ' + kind : '');
};
P.num = n => (n === null || n === undefined) ? '–' : Number(n).toLocaleString(P.lang === 'en' ? 'en-GB' : 'id-ID');
P.pct = r => (r === null || r === undefined) ? '–' : Math.round(r * 100) + '%';
P.date = iso => iso ? new Date(iso).toLocaleDateString(P.lang === 'en' ? 'en-GB' : 'id-ID',
  { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Asia/Jakarta' }) : '–';
P.monthName = p => {
  const [y, m] = p.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 15)).toLocaleDateString(P.lang === 'en' ? 'en-GB' : 'id-ID', { month: 'long', year: 'numeric' });
};
// Months in WIB, as the service counts them.
P.thisMonth = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 7);
P.addMonths = (p, n) => {
  const [y, m] = p.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
};
P.lastMonth = () => P.addMonths(P.thisMonth(), -1);
P.qs = o => Object.keys(o).filter(k => o[k] !== undefined && o[k] !== null && o[k] !== '')
  .map(k => encodeURIComponent(k) + '=' + encodeURIComponent(o[k])).join('&');

// ---- the API ----
P.token = () => sessionStorage.getItem('pilar.token');
class Offline extends Error {}
P.Offline = Offline;
class Problem extends Error {
  constructor(status, body) { super((body && body.detail) || ('HTTP ' + status)); this.status = status; this.body = body || {}; }
}
P.Problem = Problem;

// Resolves to {status, etag, data, text}; throws Problem for 4xx/5xx (a 401 first signs out) and
// Offline when the server cannot be reached.
P.api = async (method, path, opts = {}) => {
  // The server's words (problem details, field messages) come in the language of the switch.
  const headers = Object.assign({ Authorization: 'Bearer ' + (opts.token || P.token()), 'Accept-Language': P.lang }, opts.headers || {});
  let body = opts.body;
  if (body !== undefined && typeof body !== 'string' && !(body instanceof Blob)) { body = JSON.stringify(body); headers['Content-Type'] = 'application/json'; }
  let r;
  try {
    r = await fetch(path, { method, headers, body, cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new Offline(P.t('offline'));
  }
  const type = r.headers.get('Content-Type') || '';
  const text = r.status === 304 ? '' : await r.text();
  const data = type.includes('json') && text ? JSON.parse(text) : null;
  if (r.status === 401 && !opts.token) { P.signOut(P.t('expired')); throw new Problem(401, data); }
  if (r.status >= 400) throw new Problem(r.status, data);
  return { status: r.status, etag: r.headers.get('ETag'), data, text };
};
P.apiError = e => {
  if (e instanceof Offline) return P.t('offline');
  if (e instanceof Problem) {
    const errs = (e.body.errors || []).map(x => (x.field ? x.field + ': ' : '') + x.message);
    return [e.message].concat(errs).join(' · ');
  }
  console.warn(e);
  return String(e);
};

// Every table downloads as CSV: fetched with the token, handed to the browser as a file.
P.download = async (path, filename) => {
  try {
    const r = await P.api('GET', path, { headers: { Accept: 'text/csv' } });
    const url = URL.createObjectURL(new Blob([r.text], { type: 'text/csv' }));
    const a = P.h('a', { href: url, download: filename });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) { P.say(P.apiError(e), 'bad'); }
};
P.csvButton = (path, filename) => P.h('button.link', { type: 'button', onclick: () => P.download(path, filename) }, P.t('csv'));

// ---- session ----
P.signOut = (why) => {
  sessionStorage.removeItem('pilar.token');
  P.me = null;
  P.stopTimers();
  history.replaceState(null, '', '#/masuk');  // no hashchange: the render below keeps its message
  P.render(why);
};
P.stopTimers = () => { P.timers.forEach(clearInterval); P.timers = []; };

P.homeOf = role => role === 'tksk' ? '#/tugas' : (role === 'kabkota' ? '#/dinas' : '#/dasbor');
P.navFor = role => ({
  tksk: [['#/tugas', 'nav_tasks']],
  kabkota: [['#/dinas', 'nav_completeness'], ['#/psks', 'nav_psks'], ['#/impor', 'nav_imports'], ['#/token', 'nav_tokens'], ['#/dasbor', 'nav_dashboard']],
  provinsi: [['#/dasbor', 'nav_dashboard'], ['#/dinas', 'nav_completeness'], ['#/psks', 'nav_psks'], ['#/token', 'nav_tokens']],
  admin: [['#/dasbor', 'nav_dashboard'], ['#/dinas', 'nav_completeness'], ['#/psks', 'nav_psks'], ['#/impor', 'nav_imports'], ['#/token', 'nav_tokens']],
  viewer: [['#/dasbor', 'nav_dashboard']],
})[role] || [];

P.drawChrome = () => {
  document.documentElement.lang = P.lang;
  document.querySelector('.skip').textContent = P.t('skip');
  const lang = document.getElementById('lang');
  lang.textContent = P.lang === 'id' ? 'English' : 'Bahasa Indonesia';
  lang.setAttribute('lang', P.lang === 'id' ? 'en' : 'id');
  const out = document.getElementById('signout');
  out.hidden = !P.me;
  out.textContent = P.t('signout');
  const nav = P.clear(document.getElementById('nav'));
  if (!P.me) return;
  const here = location.hash.split('/').slice(0, 2).join('/');
  P.add(nav, P.navFor(P.me.role).map(([href, key]) =>
    P.h('a', { href, 'aria-current': here === href ? 'page' : null }, P.t(key))));
  P.add(nav, [P.h('span.who', P.me.name + (P.me.region_name ? ' · ' + P.me.region_name : ''))]);
};

// ---- router ----
P.route = (pattern, fn) => { P.screens[pattern] = fn; };
P.render = async (message) => {
  P.stopTimers();
  const main = P.clear(document.getElementById('main'));
  const hash = location.hash || '#/';
  if (!P.token()) { P.drawChrome(); return P.signInScreen(main, message); }
  if (!P.me) {
    try { P.me = (await P.api('GET', '/v1/me')).data; } catch (e) {
      if (e instanceof Problem && e.status === 401) return;
      P.drawChrome();
      return P.add(main, [P.h('p.bad', P.apiError(e)), P.h('button', { type: 'button', onclick: () => P.render() }, P.t('retry'))]);
    }
  }
  if (hash === '#/' || hash === '#/masuk' || hash === '#') { location.replace(P.homeOf(P.me.role)); return; }
  P.drawChrome();
  if (message) P.say(message);
  const parts = hash.slice(2).split('/').map(decodeURIComponent);
  const fn = P.screens[parts[0]];
  if (!fn) return P.add(main, P.h('p', P.t('no_page')));
  try { await fn(main, ...parts.slice(1)); } catch (e) {
    if (e instanceof Problem && e.status === 401) return;
    P.add(main, P.h('p.bad', { role: 'alert' }, P.apiError(e)));
  }
};

P.signInScreen = (main, message) => {
  const input = P.h('input#token', { type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'token-help' });
  const err = P.h('p.bad#signin-error', { role: 'alert' }, message || '');
  const form = P.h('form.card.signin', {
    onsubmit: async ev => {
      ev.preventDefault();
      await P.signIn(input.value.trim(), err);
    },
  },
  P.h('h1', P.t('signin_title')),
  P.h('p', P.t('signin_intro')),
  P.h('label', { for: 'token' }, P.t('token_label')), input,
  P.h('p.help#token-help', P.t('token_help')),
  err,
  P.h('button.primary', { type: 'submit' }, P.t('signin')));
  P.add(main, form);
  input.focus();
};

P.signIn = async (token, err) => {
  if (!token) { err.textContent = P.t('token_empty'); return; }
  try {
    const me = await P.api('GET', '/v1/me', { token });
    sessionStorage.setItem('pilar.token', token);
    P.me = me.data;
    location.hash = P.homeOf(P.me.role);
  } catch (e) {
    sessionStorage.removeItem('pilar.token');
    if (err) err.textContent = (e instanceof Problem && e.status === 401) ? P.t('token_bad') : P.apiError(e);
    else P.render(P.t('token_bad'));
  }
};

// A labelled field: the label, the control, and room for a help or note line.
P.field = (id, label, control, help) => {
  control.id = id;
  const kids = [P.h('label', { for: id }, label), control];
  if (help) { const hid = id + '-help'; control.setAttribute('aria-describedby', hid); kids.push(P.h('p.help', { id: hid }, help)); }
  return P.h('div.field', kids);
};
P.select = (options, value) => P.h('select', {}, options.map(([v, text]) =>
  P.h('option', { value: v, selected: String(v) === String(value ?? '') }, text)));
P.table = (caption, head, rows, opts = {}) => P.h('div.scroll', { tabindex: '0', role: 'region', 'aria-label': caption },
  P.h('table', opts.id ? { id: opts.id } : null,
    P.h('caption', caption),
    P.h('thead', P.h('tr', head.map(x => P.h('th', { scope: 'col' }, x)))),
    P.h('tbody', rows.length ? rows.map(r => P.h('tr', r.map((c, i) => i === 0 && opts.rowHeader ? P.h('th', { scope: 'row' }, c) : P.h('td', c))))
      : P.h('tr', P.h('td', { colspan: head.length }, P.t('none'))))));
P.statusWord = s => P.WORDS['st_' + s] ? P.t('st_' + s) : String(s).replace(/_/g, ' ');
P.badge = s => P.h('span.badge.st-' + String(s).replace(/_/g, ''), P.statusWord(s));
