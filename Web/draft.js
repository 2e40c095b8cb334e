'use strict';
// Saving the TKSK's report: every change goes first to an outbox in localStorage (so it survives a
// reload and a lost connection), then to the server with If-Match, one request at a time. A
// replayed PUT of the same content makes no new version, so a retry is never counted twice.
(() => {
const { h, t } = P;

let catalogCache = null, typesCache = null;
P.catalog = async () => {
  if (!catalogCache) {
    const r = await P.api('GET', '/v1/catalog/pmks-categories');
    catalogCache = {};
    r.data.items.forEach(c => { catalogCache[c.code] = c; });
  }
  return catalogCache;
};
P.psksTypes = async () => typesCache || (typesCache = (await P.api('GET', '/v1/catalog/psks-types')).data.items);
P.groupName = g => t('grp_' + g.replace(/ /g, '_'));

// "LUT, laki-laki, Kejaksan" for pmks[LUT@32.74.01.1001].male.
P.fieldLabel = (key, F) => {
  let m = key.match(/^pmks\[([A-Z0-9]+)(?:@([\d.]+))?\](?:\.(\w+))?$/);
  if (m) {
    const c = F.cats[m[1]];
    const d = m[2] && F.desa && F.desa.find(x => x.code === m[2]);
    return [c ? c.name : m[1], m[3] ? t(m[3] === 'count' ? 'count' : m[3]) : null, d ? d.name : null].filter(Boolean).join(', ');
  }
  m = key.match(/^psks\[(\w+)\]/);
  if (m) return 'PSKS ' + m[1];
  m = key.match(/^activities\[(\d+)\]/);
  if (m) return t('activity_n', Number(m[1]) + 1);
  if (key === 'notes.kendala') return t('kendala');
  if (key === 'notes.tindak_lanjut') return t('tindak_lanjut');
  return key;
};

// The input a field key names (a line key without .male/.count means its first input).
const inputFor = key => document.getElementById(P.fid(key)) ||
  document.querySelector('[data-key^="' + CSS.escape(key) + '."]');
P.focusField = (F, key) => {
  const m = key.match(/^pmks\[[A-Z0-9]+@([\d.]+)\]/);
  const area = m ? m[1] : (key.startsWith('pmks[') ? '' : F.area);
  if (area !== F.area) { const pick = document.getElementById('area'); pick.value = area; pick.dispatchEvent(new Event('change')); }
  const x = inputFor(key);
  if (x) { x.scrollIntoView({ block: 'center' }); x.focus(); }
};

// Return notes (and warnings) beside their fields, tied to them for screen readers.
const attach = (key, kind, text) => {
  const x = inputFor(key);
  if (!x) return false;
  const id = 'n-' + kind + '-' + P.fid(key);
  if (document.getElementById(id)) return true;
  const note = h('p.' + kind, { id }, h('strong', t(kind === 'note' ? 'note_from_dinas' : 'warning')), ': ', text);
  const holder = x.closest('td, .field') || x.parentElement;
  holder.append(note);
  x.setAttribute('aria-describedby', ((x.getAttribute('aria-describedby') || '') + ' ' + id).trim());
  x.closest('tr, .field, fieldset').classList.add('has-' + kind);
  return true;
};
P.showNotes = F => {
  const r = F.report;
  if (!r || !r.return || r.status !== 'returned') return;
  r.return.notes.forEach(n => attach(P.stableField(n.field, r), 'note', n.message));
};
P.showWarnings = (F, announce) => {
  const box = document.getElementById('warnings');
  const ws = (F.report && F.report.warnings) || [];
  if (!box) return;
  P.clear(box);
  if (!ws.length) return;
  P.add(box, h('section.card.warnbox', { role: announce ? 'alert' : null }, h('h2', t('quality_warnings')),
    h('p', t('warnings_help')),
    h('ul', ws.map(w => h('li', P.fieldLabel(P.stableField(w.field, F.report), F), ': ', w.message)))));
  ws.forEach(w => attach(P.stableField(w.field, F.report), 'warn', w.message));
};

const outboxKey = F => 'pilar.outbox.' + F.kec + '.' + F.period;
P.restoreOutbox = F => {
  const saved = JSON.parse(localStorage.getItem(outboxKey(F)) || 'null');
  if (!saved) return;
  F.state = saved.state;
  F.restored = true;
  if (saved.base !== F.etag) F.staleBase = saved.base;  // someone else saved since: flush finds out
};
const saveState = (text, kind) => {
  const e = document.getElementById('save-state');
  if (e) { e.textContent = text; e.className = 'save-state ' + (kind || ''); }
};

P.queueSave = F => {
  if (!F.editable) return;
  localStorage.setItem(outboxKey(F), JSON.stringify({ state: F.state, base: F.staleBase || F.etag }));
  saveState(t('saving_local'));
  clearTimeout(F.timer);
  F.timer = setTimeout(() => P.flush(F), 800);
};
P.flushSoon = F => {
  if (F.restored) saveState(t('restored'), 'info');
  const retry = () => P.flush(F);
  // One listener at a time: the form of another visit must not flush too.
  if (P.onOnline) window.removeEventListener('online', P.onOnline);
  P.onOnline = retry;
  window.addEventListener('online', retry);
  const timer = setInterval(retry, 5000);
  P.timers.push(timer);
  if (F.restored) P.flush(F);
};

// Sends the outbox. Resolves true when the server holds what the form shows.
P.flush = async F => {
  const raw = localStorage.getItem(outboxKey(F));
  if (!raw) return true;
  if (F.inflight) return F.inflight;
  if (F.blocked) return false;
  F.inflight = (async () => {
    const saved = JSON.parse(raw);
    const headers = saved.base ? { 'If-Match': saved.base } : {};
    try {
      const r = await P.api('PUT', '/v1/reports/' + F.kec + '/' + F.period, { body: P.toContent(saved.state, F.cats), headers });
      F.report = r.data; F.etag = r.etag; F.staleBase = null;
      const now = localStorage.getItem(outboxKey(F));
      if (now === raw) localStorage.removeItem(outboxKey(F));
      else { const o = JSON.parse(now); o.base = r.etag; localStorage.setItem(outboxKey(F), JSON.stringify(o)); }
      saveState(t('saved_at', new Date().toLocaleTimeString(P.lang === 'en' ? 'en-GB' : 'id-ID', { hour: '2-digit', minute: '2-digit' })), 'ok');
      P.showWarnings(F, false);
      return now === raw;
    } catch (e) {
      if (e instanceof P.Offline) { saveState(t('offline_kept'), 'bad'); return false; }
      if (e instanceof P.Problem && e.status === 412) { F.blocked = true; P.showConflict(F, e.body); return false; }
      if (e instanceof P.Problem && e.status === 422) { saveState(P.apiError(e), 'bad'); F.blocked = 'invalid'; return false; }
      saveState(P.apiError(e), 'bad');
      return false;
    } finally { F.inflight = null; }
  })();
  return F.inflight;
};

// Someone else saved this report since this browser read it: say so, keep the local copy, and
// let the person choose.
P.showConflict = (F, body) => {
  saveState(t('conflict_short'), 'bad');
  const box = P.clear(document.getElementById('conflict'));
  P.add(box, h('section.card.conflict', { role: 'alert' }, h('h2', t('conflict_title')), h('p', t('conflict_text', body.current_version || '?')),
    h('button', { type: 'button', id: 'conflict-reload', onclick: () => { localStorage.removeItem(outboxKey(F)); P.render(); } }, t('conflict_theirs')), ' ',
    h('button', { type: 'button', id: 'conflict-mine', onclick: async () => {
      const o = JSON.parse(localStorage.getItem(outboxKey(F)));
      o.base = body.current_etag;
      localStorage.setItem(outboxKey(F), JSON.stringify(o));
      F.blocked = false; P.clear(box); await P.flush(F);
    } }, t('conflict_mine'))));
};

// Oninput re-arms a save that a 422 stopped.
const rearm = P.queueSave;
P.queueSave = F => { if (F.blocked === 'invalid') F.blocked = false; rearm(F); };

P.submitReport = async F => {
  clearTimeout(F.timer);
  const btn = document.getElementById('submit');
  btn.disabled = true;
  try {
    if (!(await P.flush(F)) && localStorage.getItem(outboxKey(F))) { P.say(t('submit_after_save'), 'bad'); return; }
    if (!F.report) { P.queueSave(F); clearTimeout(F.timer); await P.flush(F); if (!F.report) return; }
    if (F.report.warnings.length && !F.warned) {
      F.warned = true;
      P.showWarnings(F, true);
      btn.textContent = t('submit_anyway');
      return;
    }
    const key = F.submitKey || (F.submitKey = F.kec + '-' + F.period + '-' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8));
    const r = await P.api('POST', '/v1/reports/' + F.kec + '/' + F.period + '/submit', { headers: { 'Idempotency-Key': key, 'If-Match': F.etag } });
    F.report = r.data; F.etag = r.etag;
    P.drawForm(document.getElementById('main'), F);
    P.say(t('submitted_ok'), 'ok');
    P.showWarnings(F, true);
  } catch (e) {
    P.say(P.apiError(e), 'bad');
  } finally { if (document.body.contains(btn)) btn.disabled = false; }
};
})();
