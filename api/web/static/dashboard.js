// Staff dashboard (#/): applications with their completeness and warnings, filtered and sorted.
'use strict';

(function () {
  const SB = window.SB;
  const h = SB.h;
  const PAGE = 20;

  SB.screens.dashboard = function (main, _id, ctx) {
    document.title = '申报一览 · 申报材料审核';
    const q = ctx.query;
    const state = {
      region: q.get('region') || '',
      year: q.get('year') || '',
      sort: q.get('sort') || 'completeness',
      offset: Math.max(0, parseInt(q.get('offset') || '0', 10) || 0),
    };

    const thisYear = new Date().getFullYear();
    const regionSel = h('select#f-region', { name: 'region' },
      h('option', { value: '' }, '全部地区/园区'),
      SB.REGIONS.map((r) => h('option', { value: r }, r)),
      h('option', { value: '__park' }, '园区（输入名称）'));
    const parkInput = h('input#f-park', { type: 'text', placeholder: '园区名称', 'aria-label': '园区名称', maxlength: 50 });
    const yearSel = h('select#f-year', { name: 'year' },
      h('option', { value: '' }, '全部年度'),
      Array.from({ length: 8 }, (_, i) => thisYear + 1 - i).map((y) => h('option', { value: String(y) }, y + ' 年度')));
    const sortSel = h('select#f-sort', { name: 'sort' },
      h('option', { value: 'completeness' }, '按材料完整度'),
      h('option', { value: 'blocking' }, '按必须整改问题数'));

    if (state.region && !SB.REGIONS.includes(state.region)) {
      regionSel.value = '__park';
      parkInput.value = state.region;
    } else {
      regionSel.value = state.region;
    }
    parkInput.hidden = regionSel.value !== '__park';
    yearSel.value = state.year;
    sortSel.value = state.sort;

    const body = h('div.dash-body', { 'aria-live': 'polite' }, h('p.loading', '正在加载…'));

    function go(changes) {
      Object.assign(state, changes);
      const p = new URLSearchParams();
      if (state.region) p.set('region', state.region);
      if (state.year) p.set('year', state.year);
      if (state.sort !== 'completeness') p.set('sort', state.sort);
      if (state.offset) p.set('offset', String(state.offset));
      const s = p.toString();
      location.hash = '#/' + (s ? '?' + s : '');
    }

    function regionValue() {
      return regionSel.value === '__park' ? parkInput.value.trim() : regionSel.value;
    }

    regionSel.addEventListener('change', () => {
      parkInput.hidden = regionSel.value !== '__park';
      if (regionSel.value === '__park') { parkInput.focus(); return; }
      go({ region: regionValue(), offset: 0 });
    });
    parkInput.addEventListener('change', () => go({ region: regionValue(), offset: 0 }));
    yearSel.addEventListener('change', () => go({ year: yearSel.value, offset: 0 }));
    sortSel.addEventListener('change', () => go({ sort: sortSel.value, offset: 0 }));

    SB.append(main, [
      h('div.page-head',
        h('h1', '申报一览'),
        h('a.btn.btn-primary', { href: '#/apps/new' }, '＋ 新建申报')),
      h('form.filters.card', { role: 'search', 'aria-label': '筛选', on: { submit: (e) => { e.preventDefault(); go({ region: regionValue(), offset: 0 }); } } },
        h('div.filter', h('label', { for: 'f-region' }, '地区/园区'), h('div.inline', regionSel, parkInput)),
        h('div.filter', h('label', { for: 'f-year' }, '申报年度'), yearSel),
        h('div.filter', h('label', { for: 'f-sort' }, '排序'), sortSel)),
      body,
    ]);

    load();

    async function load() {
      const p = new URLSearchParams({ limit: String(PAGE), offset: String(state.offset), sort: state.sort });
      if (state.region) p.set('region', state.region);
      if (state.year) p.set('year', state.year);
      let data;
      let limited = false;
      try {
        data = await SB.api.get('/dashboard?' + p.toString());
      } catch (err) {
        if (err.status !== 404 || err.code !== 'not_found') {
          if (ctx.isCurrent()) SB.replace(body, SB.alertBox(err));
          return;
        }
        // The dashboard endpoint is not there (older server): list applications without summaries.
        try {
          const list = await SB.api.get('/applications?limit=' + PAGE + '&offset=' + state.offset);
          data = { items: list.items.map((a) => ({ application: a, summary: null })), total: list.total };
          limited = true;
        } catch (err2) {
          if (ctx.isCurrent()) SB.replace(body, SB.alertBox(err2));
          return;
        }
      }
      if (!ctx.isCurrent()) return;
      render(data, limited);
    }

    function render(data, limited) {
      const items = data.items || [];
      const total = data.total || 0;
      const out = [];
      if (limited) {
        out.push(h('p.alert.alert-info', '汇总接口暂不可用：仅列出申报，未显示完整度和问题数，筛选与排序不生效。'));
      }
      if (items.length === 0) {
        out.push(h('div.card.empty',
          h('p', state.region || state.year ? '没有符合条件的申报。' : '还没有申报。'),
          h('p', h('a.btn.btn-primary', { href: '#/apps/new' }, '新建申报'))));
        SB.replace(body, out);
        return;
      }
      out.push(h('table.dash-table.card',
        h('caption.sr-only', '申报列表'),
        h('thead', h('tr',
          h('th', { scope: 'col' }, '申报单位'),
          h('th', { scope: 'col' }, '地区/园区'),
          h('th', { scope: 'col' }, '年度'),
          h('th', { scope: 'col' }, '材料完整度（第十七条）'),
          h('th', { scope: 'col' }, '问题'),
          h('th', { scope: 'col' }, '材料'),
          h('th', { scope: 'col' }, '创建时间'))),
        h('tbody', items.map(row))));
      const pages = Math.max(1, Math.ceil(total / PAGE));
      const cur = Math.floor(state.offset / PAGE) + 1;
      out.push(h('nav.pager', { 'aria-label': '分页' },
        h('button.btn', { type: 'button', disabled: state.offset <= 0, on: { click: () => go({ offset: Math.max(0, state.offset - PAGE) }) } }, '上一页'),
        h('span.pager-info', '第 ' + cur + ' / ' + pages + ' 页，共 ' + total + ' 个申报'),
        h('button.btn', { type: 'button', disabled: state.offset + PAGE >= total, on: { click: () => go({ offset: state.offset + PAGE }) } }, '下一页')));
      SB.replace(body, out);
    }

    function row(it) {
      const a = it.application;
      const s = it.summary;
      const href = '#/apps/' + encodeURIComponent(a.id);
      const tr = h('tr.dash-row', {
        dataset: { id: a.id },
        on: { click: (e) => { if (!e.target.closest('a')) location.hash = href; } },
      },
      h('td', { 'data-label': '申报单位' },
        h('a.org', { href }, a.org_name),
        a.credit_code ? h('div.muted.mono', a.credit_code) : null,
        a.functions && a.functions.length ? h('div.chips', a.functions.map((f) => h('span.chip', SB.functionName(f)))) : null),
      h('td', { 'data-label': '地区/园区' }, a.region || '—'),
      h('td', { 'data-label': '年度' }, a.year ? String(a.year) : '—'),
      h('td', { 'data-label': '完整度' }, s ? completeness(s) : '—'),
      h('td', { 'data-label': '问题' }, s ? counts(s) : '—'),
      h('td', { 'data-label': '材料' }, s ? docs(s) : '—'),
      h('td', { 'data-label': '创建时间' }, h('span.muted', SB.formatTime(a.created_at))));
      return tr;
    }

    function completeness(s) {
      const total = s.items_total || 8;
      const pct = Math.round((s.items_present / total) * 100);
      const bar = h('span.bar-fill', { class: pct >= 100 ? 'full' : '' });
      bar.style.width = pct + '%';
      return h('div.complete',
        h('span.bar', { role: 'img', 'aria-label': '第十七条材料 ' + s.items_present + '/' + total + ' 项' }, bar),
        h('span.complete-text', s.items_present + '/' + total));
    }

    function counts(s) {
      return h('div.counts',
        SB.badge('必须整改 ' + s.blocking, s.blocking ? 'sev-blocking' : 'sev-zero'),
        SB.badge('需要核实 ' + s.attention, s.attention ? 'sev-attention' : 'sev-zero'),
        SB.badge('提示 ' + s.notes, s.notes ? 'sev-note' : 'sev-zero'));
    }

    function docs(s) {
      return h('div.counts',
        h('span', s.documents + ' 份'),
        s.processing ? SB.badge('识别中 ' + s.processing, 'st-processing') : null,
        s.failed ? SB.badge('失败 ' + s.failed, 'st-failed') : null);
    }
  };
})();
