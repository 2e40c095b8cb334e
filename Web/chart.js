'use strict';
// Charts as SVG drawn here: horizontal bars and a column series. Each chart is an image with a
// text label; the table beside it carries the numbers for screen readers and for CSV.
(() => {
const NS = 'http://www.w3.org/2000/svg';
const s = (name, attrs, ...kids) => {
  const e = document.createElementNS(NS, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  kids.forEach(k => e.append(k instanceof Node ? k : document.createTextNode(String(k))));
  return e;
};
const short = (text, n) => text.length > n ? text.slice(0, n - 1) + '…' : text;

// rows: [{label, value, href?}]
P.bars = (title, rows) => {
  const bar = 18, gap = 6, labelW = 150, w = 520, max = Math.max(1, ...rows.map(r => r.value));
  const height = rows.length * (bar + gap) + gap;
  const svg = s('svg', { viewBox: '0 0 ' + w + ' ' + Math.max(height, 30), role: 'img', 'aria-label': title, class: 'chart' });
  svg.append(s('title', {}, title));
  rows.forEach((r, i) => {
    const y = gap + i * (bar + gap);
    const len = Math.round((w - labelW - 60) * r.value / max);
    const g = s('g', {});
    g.append(s('text', { x: labelW - 6, y: y + bar - 5, 'text-anchor': 'end', class: 'lbl' }, short(r.label, 24)));
    g.append(s('rect', { x: labelW, y, width: Math.max(len, r.value ? 2 : 0), height: bar, class: 'bar' }));
    g.append(s('text', { x: labelW + len + 4, y: y + bar - 5, class: 'val' }, P.num(r.value)));
    svg.append(g);
  });
  if (!rows.length) svg.append(s('text', { x: 10, y: 20, class: 'lbl' }, P.t('none')));
  return svg;
};

// points: [{label, value}] in order; empty months must already be zeros.
P.columns = (title, points) => {
  const w = 520, h = 180, left = 36, bottom = 26, max = Math.max(1, ...points.map(p => p.value));
  const step = (w - left) / Math.max(points.length, 1);
  const svg = s('svg', { viewBox: '0 0 ' + w + ' ' + h, role: 'img', 'aria-label': title, class: 'chart' });
  svg.append(s('title', {}, title));
  svg.append(s('line', { x1: left, y1: h - bottom, x2: w, y2: h - bottom, class: 'axis' }));
  svg.append(s('text', { x: left - 4, y: 12, 'text-anchor': 'end', class: 'val' }, P.num(max)));
  points.forEach((p, i) => {
    const bh = Math.round((h - bottom - 16) * p.value / max);
    const x = left + i * step + step * 0.15;
    svg.append(s('rect', { x, y: h - bottom - bh, width: step * 0.7, height: bh, class: 'bar' }));
    svg.append(s('text', { x: x + step * 0.35, y: h - 8, 'text-anchor': 'middle', class: 'lbl small' }, p.label));
    if (p.value) svg.append(s('text', { x: x + step * 0.35, y: h - bottom - bh - 3, 'text-anchor': 'middle', class: 'val small' }, P.num(p.value)));
  });
  return svg;
};

// A ring for a rate from 0 to 1.
P.ring = (title, rate) => {
  const r = 30, c = 2 * Math.PI * r, v = rate === null || rate === undefined ? 0 : rate;
  const svg = s('svg', { viewBox: '0 0 80 80', role: 'img', 'aria-label': title + ': ' + P.pct(rate), class: 'ring' });
  svg.append(s('circle', { cx: 40, cy: 40, r, class: 'track' }));
  svg.append(s('circle', { cx: 40, cy: 40, r, class: 'fill', 'stroke-dasharray': (c * v).toFixed(1) + ' ' + c.toFixed(1), transform: 'rotate(-90 40 40)' }));
  svg.append(s('text', { x: 40, y: 45, 'text-anchor': 'middle', class: 'val' }, P.pct(rate)));
  return svg;
};
})();
