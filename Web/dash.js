'use strict';
// The dashboard: six panels, each polling its stats endpoint with If-None-Match and redrawn only
// when the answer changes (a 304 costs the server no database work).
(() => {
const { h, t } = P;
// Every 15 s; the browser test shortens it through sessionStorage to watch a redraw happen.
const POLL_MS = Number(sessionStorage.getItem('pilar.poll_ms')) || 15000;
const depth = code => code ? code.split('.').length : 0;

P.route('dasbor', async (main, region, period) => {
  region = region === undefined || region === '-' ? (P.me.region || '') : region;
  period = period || P.lastMonth();
  const go = (r, p) => { location.hash = '#/dasbor/' + (r || '-') + '/' + p; };
  const from = P.addMonths(period, -11);
  const q = extra => P.qs(Object.assign({ region }, extra));
  const persons = items => items.filter(x => x.unit === 'person');
  const panels = [
    { id: 'p-category', title: t('pmks_by_category'), path: '/v1/stats/pmks?' + q({ period, by: 'category' }), csv: '/v1/stats/pmks.csv?' + q({ period, by: 'category' }),
      draw: d => [P.bars(t('pmks_by_category'), d.items.map(x => ({ label: x.category_name, value: x.total }))),
        P.table(t('pmks_by_category'), [t('category'), t('unit'), t('total')], d.items.map(x => [x.category_name, t('unit_' + x.unit), P.num(x.total)]), { rowHeader: true })] },
    { id: 'p-region', title: t('pmks_by_region'), path: '/v1/stats/pmks?' + q({ period, by: 'region' }), csv: '/v1/stats/pmks.csv?' + q({ period, by: 'region,category' }),
      draw: d => [P.bars(t('pmks_by_region') + ' (' + t('unit_person') + ')', persons(d.items).map(x => ({ label: x.region_name, value: x.total }))),
        P.table(t('pmks_by_region'), [t('region'), t('unit'), t('total')], d.items.map(x => [
          depth(x.region) < 3 && x.region !== region ? h('a', { href: '#/dasbor/' + x.region + '/' + period }, x.region_name) : x.region_name,
          t('unit_' + x.unit), P.num(x.total)]), { rowHeader: true, id: 'region-table' })] },
    { id: 'p-month', title: t('pmks_by_month'), path: '/v1/stats/pmks?' + q({ period: from, period_to: period, by: 'period' }), csv: '/v1/stats/pmks.csv?' + q({ period: from, period_to: period, by: 'period,category' }),
      draw: d => {
        const months = [...Array(12).keys()].map(i => P.addMonths(from, i));
        const val = (p, unit) => { const x = d.items.find(i => i.period === p && i.unit === unit); return x ? x.total : 0; };
        return [P.columns(t('pmks_by_month') + ' (' + t('unit_person') + ')', months.map(p => ({ label: p.slice(5), value: val(p, 'person') }))),
          P.table(t('pmks_by_month'), [t('period'), t('unit_person'), t('unit_household'), t('unit_community')],
            months.map(p => [P.monthName(p), P.num(val(p, 'person')), P.num(val(p, 'household')), P.num(val(p, 'community'))]), { rowHeader: true, id: 'month-table' })];
      } },
    { id: 'p-completeness', title: t('completeness_title'), path: '/v1/stats/completeness?' + q({ period, list: 'none' }), csv: '/v1/stats/completeness.csv?' + q({ period }),
      draw: d => [h('div.rings', [['received_rate', 'received'], ['on_time_rate', 'on_time'], ['verified_rate', 'verified_n']].map(([k, w]) => h('figure', P.ring(t(w), d[k]), h('figcaption', t(w))))),
        P.table(t('completeness_title'), [t('region'), t('expected'), t('received'), t('on_time'), t('late'), t('verified_n')],
          d.children.map(c => [c.region_name || c.region, P.num(c.expected), P.num(c.received), P.num(c.on_time), P.num(c.late), P.num(c.verified)]), { rowHeader: true })] },
    { id: 'p-psks', title: t('psks_by_type'), path: '/v1/stats/psks?' + q({ by: 'type' }), csv: '/v1/stats/psks.csv?' + q({ by: 'type,region' }),
      draw: d => [P.bars(t('psks_by_type'), d.items.map(x => ({ label: x.type, value: x.total }))),
        P.table(t('psks_by_type'), [t('type'), t('total')], d.items.map(x => [x.type, P.num(x.total)]), { rowHeader: true })] },
    { id: 'p-capacity', title: t('capacity'), path: '/v1/stats/capacity?' + q({}), csv: '/v1/stats/capacity.csv?' + q({}),
      draw: d => {
        const x = d.total || {};
        return [P.table(t('capacity'), [t('measure'), t('total')], [
          [t('cap_active'), P.num(x.active)], [t('cap_trained_3y'), P.num(x.trained_3y)], [t('cap_trained_ever'), P.num(x.trained_ever)],
          [t('cap_desa_psm'), P.num(x.desa_with_psm) + ' / ' + P.num(x.desa)], [t('cap_psm_coverage'), P.pct(x.psm_coverage)]], { rowHeader: true })];
      } },
  ];
  const periodInput = h('input', { type: 'month', value: period, max: P.thisMonth() });
  periodInput.addEventListener('change', () => { if (/^\d{4}-\d{2}$/.test(periodInput.value)) go(region, periodInput.value); });
  const up = region && region !== (P.me.region || '') ? region.split('.').slice(0, -1).join('.') : null;
  let name = '';
  P.add(main, [h('h1#dash-title', t('nav_dashboard')),
    h('div.row', P.field('dash-period', t('period'), periodInput),
      up !== null ? h('p', h('a#drill-up', { href: '#/dasbor/' + (up || '-') + '/' + period }, '↑ ', t('up_region'))) : null),
    h('div.panels', panels.map(p => h('section.card.panel#' + p.id, { 'aria-labelledby': p.id + '-h' },
      h('h2#' + p.id + '-h', p.title), h('div.body', h('p', t('loading'))), P.csvButton(p.csv, p.id.slice(2) + '-' + (region || 'id') + '-' + period + '.csv'))))]);

  const load = async p => {
    try {
      const r = await P.api('GET', p.path, { headers: p.etag ? { 'If-None-Match': p.etag } : {} });
      if (r.status === 304) return;
      p.etag = r.etag;
      const body = document.querySelector('#' + p.id + ' .body');
      if (!body) return;
      P.clear(body);
      P.add(body, p.draw(r.data));
      body.parentElement.dataset.drawn = String(Number(body.parentElement.dataset.drawn || 0) + 1);
      if (!name && r.data.region_name) { name = r.data.region_name; document.getElementById('dash-title').textContent = t('nav_dashboard') + ' · ' + name + ' · ' + P.monthName(period); }
    } catch (e) {
      if (e instanceof P.Problem && e.status === 401) return;
      const body = document.querySelector('#' + p.id + ' .body');
      if (body && !p.etag) { P.clear(body); P.add(body, h('p.bad', P.apiError(e))); }
    }
  };
  await Promise.all(panels.map(load));
  P.timers.push(setInterval(() => panels.forEach(load), POLL_MS));
});
})();
