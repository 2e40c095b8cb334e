'use strict';
// The TKSK: "Tugas saya" and the monthly report form. Saving lives in draft.js.
(() => {
const { h, t } = P;

P.route('tugas', async main => {
  const kec = P.me.region;
  const period = P.lastMonth();
  const [list, comp] = await Promise.all([
    P.api('GET', '/v1/reports?' + P.qs({ region: kec, limit: 24 })),
    P.api('GET', '/v1/stats/completeness?' + P.qs({ region: kec, period })),
  ]);
  const items = list.data.items;
  const due = (comp.data.kecamatan || [])[0];
  const current = items.find(r => r.period === period);
  const link = (r, label) => h('a.button', { href: '#/laporan/' + kec + '/' + r.period }, label);
  P.add(main, [
    h('h1', t('tasks_title')),
    h('section.card#task-current', { 'aria-labelledby': 'task-current-h' },
      h('h2#task-current-h', t('report_of', P.monthName(period))),
      h('p', t('due'), ': ', h('strong', P.date(due && due.due_at))),
      h('p', t('status'), ': ', current ? P.badge(current.status) : t('not_started')),
      link({ period }, current && current.status !== 'draft' && current.status !== 'returned' ? t('open') : t('fill_in'))),
  ]);
  const section = (id, title, rows) => h('section.card#' + id, h('h2', title),
    rows.length ? h('ul.plain', rows.map(r => h('li', link(r, P.monthName(r.period)), ' ', P.badge(r.status),
      r.warnings ? h('span.warn-text', ' ' + t('n_warnings', r.warnings)) : null))) : h('p', t('none')));
  P.add(main, [
    section('task-returned', t('returned_reports'), items.filter(r => r.status === 'returned')),
    section('task-drafts', t('drafts'), items.filter(r => r.status === 'draft')),
    section('task-other', t('other_reports'), items.filter(r => r.status === 'submitted' || r.status === 'verified')),
    h('p', h('a', { href: '#/laporan/' + kec + '/' + P.thisMonth() }, t('report_of', P.monthName(P.thisMonth())))),
  ]);
});

// ---- the form ----
const lineKey = l => l.category + (l.desa ? '@' + l.desa : '');
const toState = r => {
  const s = { pmks: {}, psks: {}, activities: [], notes: { kendala: '', tindak_lanjut: '' } };
  if (!r) return s;
  for (const l of r.pmks || []) s.pmks[lineKey(l)] = { male: l.male, female: l.female, count: l.count };
  for (const p of r.psks || []) s.psks[p.type] = p.count;
  s.activities = (r.activities || []).map(a => Object.assign({}, a));
  s.notes = { kendala: (r.notes && r.notes.kendala) || '', tindak_lanjut: (r.notes && r.notes.tindak_lanjut) || '' };
  return s;
};
const isNum = v => typeof v === 'number' && isFinite(v);
// The body for PUT: only lines with a number in them.
P.toContent = (s, cats) => {
  const pmks = [];
  for (const key of Object.keys(s.pmks).sort()) {
    const v = s.pmks[key];
    const [category, desa] = key.split('@');
    const cat = cats[category];
    const line = { category };
    if (desa) line.desa = desa;
    if (cat && cat.unit !== 'person') { if (!isNum(v.count)) continue; line.count = v.count; }
    else { if (!isNum(v.male) && !isNum(v.female)) continue; line.male = v.male || 0; line.female = v.female || 0; }
    pmks.push(line);
  }
  const psks = Object.keys(s.psks).sort().filter(k => isNum(s.psks[k])).map(type => ({ type, count: s.psks[type] }));
  const activities = s.activities.filter(a => a.kind || a.date || a.description).map(a => {
    const o = { kind: a.kind, date: a.date, description: a.description || '' };
    if (isNum(a.participants)) o.participants = a.participants;
    return o;
  });
  const notes = { kendala: s.notes.kendala || null, tindak_lanjut: s.notes.tindak_lanjut || null };
  return { pmks, psks, activities, notes };
};
// A field path of a note or warning in the form's stable keys: pmks[2].male (an index into
// the report as the server holds it) becomes pmks[LUT].male.
P.stableField = (field, report) => {
  const m = field.match(/^(pmks|psks)\[(\d+)\](.*)$/);
  if (!m || !report) return field;
  const x = (report[m[1]] || [])[Number(m[2])];
  if (!x) return field;
  return m[1] + '[' + (m[1] === 'pmks' ? lineKey(x) : x.type) + ']' + (m[3] || (m[1] === 'psks' ? '.count' : ''));
};
const fid = key => 'f-' + key.replace(/[^A-Za-z0-9_-]/g, '_');
P.fid = fid;

P.route('laporan', async (main, kec, period) => {
  if (P.me.role !== 'tksk') return P.screens.periksa(main, kec, period);
  const [cats, types, desa, list] = await Promise.all([
    P.catalog(), P.psksTypes(),
    P.api('GET', '/v1/regions?' + P.qs({ parent: kec })),
    P.api('GET', '/v1/reports?' + P.qs({ region: kec, period })),
  ]);
  const F = { kec, period, cats, types, desa: desa.data.items, area: '', report: null, etag: null };
  if (list.data.items.length) {
    const r = await P.api('GET', '/v1/reports/' + kec + '/' + period);
    F.report = r.data; F.etag = r.etag;
  }
  F.state = toState(F.report);
  P.restoreOutbox(F);
  P.drawForm(main, F);
  P.flushSoon(F);
});

P.drawForm = (main, F) => {
  P.clear(main);
  const r = F.report;
  const editable = !r || r.allowed_actions.includes('edit');
  F.editable = editable;
  P.add(main, [
    h('h1', t('report_of', P.monthName(F.period)), ' · ', (r && r.kecamatan_name) || P.me.region_name),
    h('p', t('status'), ': ', r ? P.badge(r.status) : t('not_started'),
      r ? [' · ', t('due'), ': ', P.date(r.due_at)] : null),
    h('p#save-state.save-state', { role: 'status', 'aria-live': 'polite' }),
    h('div#conflict'),
  ]);
  if (r && r.return && r.status === 'returned') {
    P.add(main, h('section.card.returned#return-box', { role: 'alert' },
      h('h2', t('returned_by_dinas')), h('p', h('strong', t('reason')), ': ', r.return.reason),
      r.return.notes.length ? h('ul', r.return.notes.map(n => h('li', h('a', { href: '#' + fid(P.stableField(n.field, r)), onclick: ev => { ev.preventDefault(); P.focusField(F, P.stableField(n.field, r)); } }, P.fieldLabel(P.stableField(n.field, r), F)), ': ', n.message))) : null));
  }
  if (!editable) P.add(main, h('p.card.info', r.status === 'submitted' ? t('sent_wait') : t('verified_locked')));
  const form = h('form#report-form', { onsubmit: ev => { ev.preventDefault(); P.submitReport(F); }, oninput: ev => P.onFormInput(F, ev), onchange: ev => P.onFormInput(F, ev) });
  P.add(form, [P.pmksSection(F), P.psksSection(F), P.activitySection(F), P.notesSection(F)]);
  P.add(form, h('div#warnings'));
  if (editable) P.add(form, h('div.actions', h('button.primary#submit', { type: 'submit' }, r && r.status === 'returned' ? t('resubmit') : t('submit'))));
  P.add(main, form);
  if (!editable) form.querySelectorAll('input,select,textarea,button').forEach(x => { if (!x.closest('.area-pick')) x.disabled = true; });
  P.showNotes(F);
  P.showWarnings(F, false);
  P.updateTotals(F);
};

const numInput = (key, value, label, editable) => h('input.num', {
  id: fid(key), 'data-key': key, type: 'text', inputmode: 'numeric', pattern: '[0-9]*', autocomplete: 'off',
  'aria-label': label, value: isNum(value) ? String(value) : '', disabled: !editable,
});

P.pmksSection = F => {
  const area = F.area;
  const pick = P.select([['', t('whole_kecamatan')]].concat(F.desa.map(d => [d.code, d.name])), area);
  pick.addEventListener('change', () => { F.area = pick.value; const s = document.getElementById('pmks'); s.replaceWith(P.pmksSection(F)); P.showNotes(F); P.updateTotals(F); document.getElementById('area').focus(); });
  const groups = {};
  Object.values(F.cats).filter(c => c.active).forEach(c => { (groups[c.group] = groups[c.group] || []).push(c); });
  const areaName = area ? F.desa.find(d => d.code === area).name : t('whole_kecamatan');
  return h('section.card#pmks', h('h2', t('pmks_title')), h('p.help', t('pmks_help')),
    h('div.area-pick', P.field('area', t('area'), pick)),
    Object.keys(groups).map(g => h('fieldset.group', h('legend', P.groupName(g)),
      h('table.lines', h('thead', h('tr', h('th', { scope: 'col' }, t('category')), h('th', { scope: 'col' }, t('male')), h('th', { scope: 'col' }, t('female')), h('th', { scope: 'col' }, t('total_area')), h('th', { scope: 'col' }, t('total_kec')))),
        h('tbody', groups[g].map(c => {
          const key = c.code + (area ? '@' + area : '');
          const v = F.state.pmks[key] || {};
          const name = c.name + ' (' + c.code + ')';
          const cells = c.unit === 'person'
            ? [h('td', { 'data-label': t('male') }, c.women_only ? '–' : numInput('pmks[' + key + '].male', v.male, name + ', ' + t('male') + ', ' + areaName, F.editable)),
               h('td', { 'data-label': t('female') }, numInput('pmks[' + key + '].female', v.female, name + ', ' + t('female') + ', ' + areaName, F.editable))]
            : [h('td', { colspan: 2, 'data-label': t('count') }, numInput('pmks[' + key + '].count', v.count, name + ', ' + t('unit_' + c.unit) + ', ' + areaName, F.editable), ' ', h('span.unit', t('unit_' + c.unit)))];
          return h('tr', { 'data-cat': c.code }, h('th', { scope: 'row' }, name), cells,
            h('td.sum', { 'data-sum': key, 'data-label': t('total_area') + ': ' }), h('td.sum', { 'data-total': c.code, 'data-label': t('total_kec') + ': ' }));
        }))))),
    h('p.totals#pmks-totals', { 'aria-live': 'polite' }));
};

P.psksSection = F => h('section.card#psks', h('h2', t('psks_title')),
  h('div.grid', F.types.filter(x => x.active).map(x => P.field(fid('psks[' + x.code + '].count'),
    x.name + ' (' + x.code + ')', numInput('psks[' + x.code + '].count', F.state.psks[x.code], x.name, F.editable)))));

const KINDS = ['pendampingan', 'koordinasi', 'pertemuan_kartar_psm', 'penyuluhan', 'monev', 'lainnya'];
P.activitySection = F => {
  const box = h('section.card#activities', h('h2', t('activities_title')));
  F.state.activities.forEach((a, i) => {
    const k = 'activities[' + i + ']';
    P.add(box, h('fieldset.activity#' + fid(k), { 'data-index': i }, h('legend', t('activity_n', i + 1)),
      P.field(fid(k + '.kind'), t('kind'), Object.assign(P.select([['', '—']].concat(KINDS.map(x => [x, t('kind_' + x)])), a.kind), { disabled: !F.editable })),
      P.field(fid(k + '.date'), t('date'), h('input', { type: 'date', value: a.date || '', disabled: !F.editable })),
      P.field(fid(k + '.description'), t('description'), h('input', { type: 'text', value: a.description || '', disabled: !F.editable })),
      P.field(fid(k + '.participants'), t('participants'), h('input.num', { type: 'text', inputmode: 'numeric', value: isNum(a.participants) ? String(a.participants) : '', disabled: !F.editable })),
      F.editable ? h('button.link', { type: 'button', onclick: () => { F.state.activities.splice(i, 1); P.redrawSection(F, 'activities'); P.queueSave(F); } }, t('remove')) : null));
  });
  if (F.editable) P.add(box, h('button', { type: 'button', id: 'add-activity', onclick: () => { F.state.activities.push({ kind: '', date: '', description: '' }); P.redrawSection(F, 'activities'); } }, t('add_activity')));
  return box;
};

P.notesSection = F => h('section.card#notes', h('h2', t('notes_title')),
  P.field(fid('notes.kendala'), t('kendala'), h('textarea', { rows: 3, value: F.state.notes.kendala, disabled: !F.editable })),
  P.field(fid('notes.tindak_lanjut'), t('tindak_lanjut'), h('textarea', { rows: 3, value: F.state.notes.tindak_lanjut, disabled: !F.editable })));

P.redrawSection = (F, id) => {
  const fresh = { activities: P.activitySection }[id](F);
  document.getElementById(id).replaceWith(fresh);
  P.showNotes(F);
};

// One input changed: read it into the state, recompute totals, queue the save.
P.onFormInput = (F, ev) => {
  const x = ev.target;
  if (x.id === 'area') return;
  const num = v => v.trim() === '' ? undefined : (/^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN);
  if (x.dataset.key) {
    const m = x.dataset.key.match(/^(pmks|psks)\[([^\]]+)\]\.(\w+)$/);
    const v = num(x.value);
    x.setAttribute('aria-invalid', Number.isNaN(v) ? 'true' : 'false');
    if (Number.isNaN(v)) return P.say(t('whole_number'), 'bad');
    if (m[1] === 'pmks') { const line = F.state.pmks[m[2]] = F.state.pmks[m[2]] || {}; line[m[3]] = v; }
    else F.state.psks[m[2]] = v;
  } else if (x.closest('.activity')) {
    const i = Number(x.closest('.activity').dataset.index);
    const field = x.id.split('_').pop();
    const a = F.state.activities[i];
    if (field === 'participants') { const v = num(x.value); a.participants = Number.isNaN(v) ? undefined : v; } else a[field] = x.value;
  } else if (x.id === fid('notes.kendala')) F.state.notes.kendala = x.value;
  else if (x.id === fid('notes.tindak_lanjut')) F.state.notes.tindak_lanjut = x.value;
  P.updateTotals(F);
  P.queueSave(F);
};

// Totals as the service counts them: the kecamatan line when there is one, else its desa lines.
P.updateTotals = F => {
  const sums = { person: 0, household: 0, community: 0 };
  const line = v => (v.male || 0) + (v.female || 0) + (v.count || 0);
  document.querySelectorAll('[data-sum]').forEach(td => { td.textContent = P.num(line(F.state.pmks[td.dataset.sum] || {})); });
  for (const c of Object.values(F.cats)) {
    const whole = F.state.pmks[c.code];
    const hasWhole = whole && Object.values(whole).some(isNum);
    let total = hasWhole ? line(whole) : 0;
    if (!hasWhole) for (const k in F.state.pmks) if (k.startsWith(c.code + '@')) total += line(F.state.pmks[k]);
    const td = document.querySelector('[data-total="' + c.code + '"]');
    if (td) td.textContent = P.num(total);
    sums[c.unit] += total;
  }
  const out = document.getElementById('pmks-totals');
  if (out) out.textContent = t('totals_line', P.num(sums.person), P.num(sums.household), P.num(sums.community));
};
})();
