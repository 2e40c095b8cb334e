'use strict';
// The Dinas Sosial's view of one report: its content, warnings, history with differences, and
// verify / return with notes on single fields.
(() => {
const { h, t } = P;
const lineKey = l => l.category + (l.desa ? '@' + l.desa : '');
const show = v => v === null || v === undefined ? '–' : (typeof v === 'object' ? Object.keys(v).map(k => k + ': ' + v[k]).join(', ') : String(v));

P.route('periksa', async (main, kec, period) => {
  const base = '/v1/reports/' + kec + '/' + period;
  const [rep, hist, cats, desa] = await Promise.all([P.api('GET', base), P.api('GET', base + '/history'), P.catalog(),
    P.api('GET', '/v1/regions?' + P.qs({ parent: kec }))]);
  const r = rep.data;
  const F = { cats, desa: desa.data.items };
  const label = key => P.fieldLabel(key, F);
  const desaName = c => { const d = F.desa.find(x => x.code === c); return d ? d.name : c; };
  P.add(main, [
    h('p', h('a', { href: '#/dinas' }, '← ', t('nav_completeness'))),
    h('h1', r.kecamatan_name, ' · ', P.monthName(r.period)),
    h('p', P.badge(r.status), ' · ', t('due'), ': ', P.date(r.due_at), ' · ', t('submitted_at'), ': ', P.date(r.submitted_at),
      r.late ? h('span.bad', ' · ' + t('days_late', r.days_late)) : null),
  ]);
  if (r.warnings.length) P.add(main, h('section.card.warnbox', h('h2', t('quality_warnings')),
    h('ul', r.warnings.map(w => h('li', label(P.stableField(w.field, r)), ': ', w.message)))));
  if (r.return && r.status === 'returned') P.add(main, h('section.card.returned', h('h2', t('returned_reason')), h('p', r.return.reason),
    h('ul', r.return.notes.map(n => h('li', label(P.stableField(n.field, r)), ': ', n.message)))));

  P.add(main, h('section.card', h('h2', t('pmks_title')), P.table(t('pmks_title'),
    [t('category'), t('area'), t('male'), t('female'), t('count')],
    r.pmks.map(l => [(cats[l.category] || {}).name || l.category, l.desa ? desaName(l.desa) : t('whole_kecamatan'), P.num(l.male), P.num(l.female), P.num(l.count)]), { rowHeader: true, id: 'review-pmks' })));
  P.add(main, h('section.card', h('h2', t('psks_title')), P.table(t('psks_title'), [t('type'), t('count')], r.psks.map(p => [p.type, P.num(p.count)]), { rowHeader: true })));
  P.add(main, h('section.card', h('h2', t('activities_title')), P.table(t('activities_title'), [t('date'), t('kind'), t('description'), t('participants')],
    r.activities.map(a => [a.date, t('kind_' + a.kind), a.description, P.num(a.participants)]))));
  P.add(main, h('section.card', h('h2', t('notes_title')), h('dl', h('dt', t('kendala')), h('dd', r.notes.kendala || '–'), h('dt', t('tindak_lanjut')), h('dd', r.notes.tindak_lanjut || '–'))));

  const acts = r.allowed_actions;
  if (acts.includes('verify') || acts.includes('return')) P.add(main, actionForm(r, rep.etag, base, label));

  P.add(main, h('section.card#history', h('h2', t('history')), hist.data.items.slice().reverse().map(v => h('article.version',
    h('h3', t('version_n', v.version), v.current ? ' (' + t('current') + ')' : ''),
    h('ul', v.events.map(e => h('li', P.date(e.at), ' · ', t('ev_' + e.action), ' · ', e.by, e.reason ? ' · “' + e.reason + '”' : '',
      e.notes.length ? h('ul', e.notes.map(n => h('li', label(n.field), ': ', n.message))) : null))),
    v.changes.length && v.version > 1 ? P.table(t('changes_n', v.version), [t('field'), t('change'), t('before'), t('after')],
      v.changes.map(c => [label(c.field), t('ch_' + c.change), show(c.before), show(c.after)])) : null))));
});

// Every field a note can point at, in the words of the form.
const fieldsOf = r => {
  const out = [];
  r.pmks.forEach(l => {
    const k = 'pmks[' + lineKey(l) + ']';
    if (l.count !== undefined && l.count !== null) out.push(k + '.count'); else { out.push(k + '.male'); out.push(k + '.female'); }
  });
  r.psks.forEach(p => out.push('psks[' + p.type + '].count'));
  r.activities.forEach((a, i) => out.push('activities[' + i + ']'));
  out.push('notes.kendala', 'notes.tindak_lanjut');
  return out;
};

const actionForm = (r, etag, base, label) => {
  const fields = fieldsOf(r);
  const notes = h('div#return-notes');
  const addNote = () => {
    const i = notes.children.length;
    P.add(notes, h('div.note-row', P.field('note-field-' + i, t('field'), P.select(fields.map(f => [f, label(f)]))),
      P.field('note-text-' + i, t('note'), h('input', { type: 'text' }))));
    document.getElementById('note-field-' + i).focus();
  };
  const reason = h('textarea', { rows: 2 });
  const msg = h('p#action-msg', { role: 'alert' });
  const key = act => r.kecamatan + '-' + r.period + '-' + act + '-v' + r.version + '-' + etag.replace(/\W/g, '');
  const send = async (act, body) => {
    try {
      await P.api('POST', base + '/' + act, { body, headers: { 'If-Match': etag, 'Idempotency-Key': key(act) } });
      P.say(t(act === 'verify' ? 'verified_ok' : 'returned_ok'), 'ok');
      P.render();
    } catch (e) { msg.textContent = P.apiError(e); }
  };
  return h('section.card#review-actions', h('h2', t('review')),
    r.allowed_actions.includes('verify') ? h('p', h('button.primary#verify', { type: 'button', onclick: () => send('verify', {}) }, t('verify'))) : null,
    r.allowed_actions.includes('return') ? h('form#return-form', {
      onsubmit: ev => {
        ev.preventDefault();
        if (!reason.value.trim()) { msg.textContent = t('reason_needed'); reason.focus(); return; }
        const list = [...notes.children].map((row, i) => ({ field: document.getElementById('note-field-' + i).value, message: document.getElementById('note-text-' + i).value.trim() }))
          .filter(n => n.message);
        send('return', { reason: reason.value.trim(), notes: list });
      },
    }, h('h3', t('return_title')), P.field('return-reason', t('reason'), reason), notes,
      h('button#add-note', { type: 'button', onclick: addNote }, t('add_note')), ' ',
      h('button#return', { type: 'submit' }, t('return'))) : null,
    msg);
};
})();
