'use strict';
// The Dinas Sosial: the month's completeness with the review queue, the PSKS register, imports
// with their dry run, and tokens with a sign-in link to hand over.
(() => {
const { h, t } = P;
const region = () => P.me.region || '';

const periodPicker = (value, onchange) => {
  const x = h('input', { type: 'month', value, max: P.thisMonth() });
  x.addEventListener('change', () => { if (/^\d{4}-\d{2}$/.test(x.value)) onchange(x.value); });
  return P.field('period', t('period'), x);
};

P.route('dinas', async (main, period) => {
  period = period || P.lastMonth();
  const [comp, queue] = await Promise.all([
    P.api('GET', '/v1/stats/completeness?' + P.qs({ region: region(), period })),
    P.api('GET', '/v1/reports?' + P.qs({ region: region(), status: 'submitted', limit: 100 })),
  ]);
  const c = comp.data;
  const now = Date.now();
  // A missing report whose due date has not come is not late: "not yet due".
  // (Newer servers say `not_yet_due` themselves; older ones say `missing` with a due date ahead.)
  const notYetDue = k => k.status === 'not_yet_due' || (k.status === 'missing' && Date.parse(k.due_at) > now);
  const word = k => notYetDue(k) ? h('span.badge.st-notdue', t('st_notdue'))
    : (k.status === 'missing' ? h('span.badge.st-missing', t('st_missing')) : P.badge(k.status));
  const kec = c.kecamatan || [];
  const notDue = typeof c.not_yet_due === 'number' ? c.not_yet_due : kec.filter(notYetDue).length;
  P.add(main, [
    h('h1', t('completeness_title'), ' · ', c.region_name),
    periodPicker(period, p => { location.hash = '#/dinas/' + p; }),
    h('ul.stats#completeness-summary',
      h('li', h('strong', P.num(c.received)), ' ', t('of_n_received', P.num(c.expected))),
      h('li', h('strong', P.num(c.on_time)), ' ', t('on_time')),
      h('li', h('strong', P.num(c.late)), ' ', t('late')),
      h('li', h('strong', P.num(c.verified)), ' ', t('verified_n')),
      h('li', h('strong', P.num(notDue)), ' ', t('st_notdue'))),
    h('section.card', h('h2', t('kecamatan_list')),
      P.table(t('kecamatan_list') + ' · ' + P.monthName(period), [t('kecamatan'), t('status'), t('due'), t('submitted_at'), t('late')],
        kec.map(k => [k.status === 'missing' || notYetDue(k) ? k.name : h('a', { href: '#/laporan/' + k.code + '/' + k.period }, k.name), word(k), P.date(k.due_at), P.date(k.submitted_at),
          k.days_late > 0 ? t('days_late', k.days_late) : '–']), { rowHeader: true, id: 'completeness-table' }),
      P.csvButton('/v1/stats/completeness.csv?' + P.qs({ region: region(), period, table: 'kecamatan' }), 'kelengkapan-' + period + '.csv')),
    h('section.card#queue', h('h2', t('review_queue')),
      P.table(t('review_queue'), [t('kecamatan'), t('period'), t('submitted_at'), t('warnings')],
        queue.data.items.map(r => [h('a', { href: '#/laporan/' + r.kecamatan + '/' + r.period }, (kec.find(k => k.code === r.kecamatan) || { name: r.kecamatan }).name), P.monthName(r.period), P.date(r.submitted_at), P.num(r.warnings)]), { rowHeader: true })),
  ]);
});

// ---- PSKS register ----
P.route('psks', async (main, id) => {
  if (id) return psksRecord(main, id);
  const types = await P.psksTypes();
  const q = h('input', { type: 'search' });
  const type = P.select([['', t('all_types')]].concat(types.map(x => [x.code, x.name])));
  const results = h('div#psks-results');
  let cursor = null;
  const search = async more => {
    const r = await P.api('GET', '/v1/psks?' + P.qs({ q: q.value.trim(), type: type.value, region: region(), limit: 50, cursor: more ? cursor : null }));
    cursor = r.data.next_cursor;
    if (!more) P.clear(results);
    const old = results.querySelector('.more'); if (old) old.remove();
    P.add(results, P.table(t('psks_results'), [t('name'), t('type'), 'NIK', t('region'), t('status')],
      r.data.items.map(p => [h('a', { href: '#/psks/' + p.id }, p.name || '–'), p.type, p.nik || '–', p.region, p.status]), { rowHeader: true }));
    if (cursor) P.add(results, h('button.more', { type: 'button', onclick: () => search(true) }, t('more')));
  };
  P.add(main, [h('h1', t('nav_psks')),
    h('form.card.row', { role: 'search', onsubmit: ev => { ev.preventDefault(); search(false).catch(e => P.say(P.apiError(e), 'bad')); } },
      P.field('psks-q', t('name_search'), q), P.field('psks-type', t('type'), type), h('button.primary', { type: 'submit' }, t('search'))),
    results,
    P.csvButton('/v1/psks/export?' + P.qs({ region: region() }), 'psks-' + (region() || 'semua') + '.csv')]);
  await search(false);
});

const psksRecord = async (main, id) => {
  const r = (await P.api('GET', '/v1/psks/' + encodeURIComponent(id))).data;
  const skip = ['id'];
  P.add(main, [h('p', h('a', { href: '#/psks' }, '← ', t('nav_psks'))), h('h1', r.name || r.type),
    h('dl.record', Object.keys(r).filter(k => !skip.includes(k) && typeof r[k] !== 'object').map(k => [h('dt', t('f_' + k) === 'f_' + k ? k : t('f_' + k)), h('dd', r[k] === null ? '–' : String(r[k]))]))]);
};

// ---- imports: a dry run first, its row errors as a table, then the real thing ----
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const WOULD = { created: 'would_create', updated: 'would_update', unchanged: 'would_leave_unchanged' };

// Polls an import job, showing rows read on a progress bar; resolves to the import's answer
// (a refused import's problem too, as the synchronous answer would be), throws any other problem.
const followJob = async (url, out) => {
  const bar = h('progress#import-progress', { max: 1, value: 0 });
  const note = h('span#import-progress-note', t('import_reading'));
  P.clear(out);
  P.add(out, h('section.card', h('label', { for: 'import-progress' }, t('import_reading')), bar, ' ', note));
  for (;;) {
    const j = (await P.api('GET', url)).data;
    bar.value = j.fraction_read || 0;
    note.textContent = P.num(j.rows_done) + ' ' + t('rows_read') + (j.rows_per_second ? ' · ' + P.num(j.rows_per_second) + ' ' + t('rows_per_second') : '');
    if (j.state !== 'running') {
      if (j.result_status >= 400 && !(j.result && j.result.rejected !== undefined)) throw new P.Problem(j.result_status, typeof j.result === 'object' ? j.result : { detail: String(j.result) });
      return j.result;
    }
    await new Promise(ok => setTimeout(ok, 500));
  }
};

// The rejected rows as the file they came in (.xlsx or CSV), fetched with the token.
const downloadFile = async href => {
  try {
    const r = await fetch(href, { headers: { Authorization: 'Bearer ' + P.token() }, cache: 'no-store', credentials: 'omit' });
    if (!r.ok) throw new P.Problem(r.status, await r.json().catch(() => null));
    const name = ((r.headers.get('Content-Disposition') || '').match(/filename="([^"]+)"/) || [])[1] || 'baris-ditolak';
    const url = URL.createObjectURL(await r.blob());
    const a = h('a', { href: url, download: name });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) { P.say(P.apiError(e), 'bad'); }
};

P.route('impor', async main => {
  const types = await P.psksTypes();
  const kind = P.select([['reports', t('import_reports')]].concat(types.map(x => [x.code, 'PSKS ' + x.code + ' · ' + x.name])), 'PSM');
  const file = h('input', { type: 'file', accept: '.csv,.xlsx,text/csv,' + XLSX });
  const out = h('div#import-result', { 'aria-live': 'polite' });
  const run = async dry => {
    const f = file.files[0];
    if (!f) { P.say(t('choose_file'), 'bad'); return; }
    const path = kind.value === 'reports' ? '/v1/reports/import' : '/v1/psks/import';
    const qs = P.qs({ type: kind.value === 'reports' ? null : kind.value, dry_run: dry ? 'true' : null });
    const xlsx = /\.xlsx$/i.test(f.name);
    let s, job = false;
    try {
      // A big file runs as a job (202): its status URL feeds the progress bar until the answer is in.
      const r = await P.api('POST', path + '?' + qs, { body: xlsx ? f : await f.text(),
        headers: { 'Content-Type': xlsx ? XLSX : 'text/csv', Prefer: 'respond-async' } });
      if (r.status === 202) { job = true; s = await followJob(r.data.status_url, out); } else s = r.data;
    } catch (e) {
      if (!(e instanceof P.Problem) || !e.body || e.body.rejected === undefined) { P.clear(out); P.add(out, h('p.bad', P.apiError(e))); return; }
      s = e.body;
    }
    P.clear(out);
    P.add(out, h('section.card', { 'data-job': job ? 'yes' : 'no' }, h('h2', dry ? t('dry_run_result') : (s.applied ? t('import_done') : t('import_refused'))),
      // A refused import answers what would have happened (would_create, ...).
      h('ul.stats', ['created', 'updated', 'unchanged', 'rejected'].map(k => h('li', h('strong', P.num(s[k] !== undefined ? s[k] : s[WOULD[k]])), ' ', t('imp_' + k)))),
      job ? h('progress#import-progress', { max: 1, value: 1 }) : null,
      s.rejected_rows ? h('button.link#import-rejected', { type: 'button', onclick: () => downloadFile(s.rejected_rows.href) }, t('download_rejected')) : null,
      P.table(t('row_errors'), [t('row'), t('field'), t('code'), t('message')], (s.errors || []).map(e => [String(e.row), e.field || '–', e.code, e.message]), { id: 'import-errors' }),
      dry && !s.rejected ? h('button.primary#import-go', { type: 'button', onclick: () => run(false) }, t('import_now')) : null));
  };
  P.add(main, [h('h1', t('nav_imports')), h('p', t('import_help')),
    h('form.card', { onsubmit: ev => { ev.preventDefault(); run(true); } },
      P.field('import-kind', t('import_kind'), kind), P.field('import-file', t('file'), file),
      h('button.primary', { type: 'submit' }, t('dry_run'))), out]);
});

// ---- tokens, with the sign-in link a Dinas hands to its TKSK ----
P.route('token', async main => {
  const [list, kec] = await Promise.all([P.api('GET', '/v1/tokens'),
    region() ? P.api('GET', '/v1/regions?' + P.qs({ parent: region() })) : Promise.resolve({ data: { items: [] } })]);
  const roles = { admin: ['kabkota', 'viewer'], provinsi: ['kabkota', 'viewer'], kabkota: ['tksk', 'viewer'] }[P.me.role] || ['viewer'];
  const role = P.select(roles.map(x => [x, t('role_' + x)]));
  const where = P.select([[region(), P.me.region_name || '—']].concat(kec.data.items.map(k => [k.code, k.name])), '');
  const name = h('input', { type: 'text', required: true });
  const made = h('div#token-made', { 'aria-live': 'polite' });
  P.add(main, [h('h1', t('nav_tokens')),
    h('form.card', { onsubmit: async ev => {
      ev.preventDefault();
      try {
        const r = (await P.api('POST', '/v1/tokens', { body: { role: role.value, region: where.value || null, name: name.value.trim() } })).data;
        const link = location.origin + '/#token=' + encodeURIComponent(r.token);
        const box = h('input#signin-link', { type: 'text', readonly: true, value: link });
        P.clear(made);
        P.add(made, h('section.card.info', h('h2', t('token_made', r.name)), h('p', t('link_help')),
          P.field('signin-link', t('signin_link'), box),
          h('button', { type: 'button', onclick: () => { box.select(); navigator.clipboard && navigator.clipboard.writeText(link); P.say(t('copied'), 'ok'); } }, t('copy'))));
        box.focus(); box.select();
      } catch (e) { P.say(P.apiError(e), 'bad'); }
    } }, h('h2', t('new_token')), P.field('tok-role', t('role'), role), P.field('tok-region', t('region'), where), P.field('tok-name', t('token_name'), name),
    h('button.primary', { type: 'submit' }, t('create'))), made,
    h('section.card', h('h2', t('tokens_list')), P.table(t('tokens_list'), [t('token_name'), t('role'), t('region'), t('created'), ''],
      list.data.items.map(x => [x.name, t('role_' + x.role), x.region || '–', P.date(x.created_at),
        x.revoked_at ? t('revoked') : h('button.link', { type: 'button', onclick: async () => {
          if (!confirm(t('revoke_confirm', x.name))) return;
          try { await P.api('DELETE', '/v1/tokens/' + x.id); P.render(); } catch (e) { P.say(P.apiError(e), 'bad'); }
        } }, t('revoke'))]), { rowHeader: true }))]);
});
})();
