// Lists of applications: the table every home uses, and the filtered, sorted, paged list of staff and
// auditors (#/?region=&year=&state=&sort=&offset=).
'use strict';

(function () {
  const SB = window.SB;
  const h = SB.h;
  const PAGE = 20;

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
      s.failed ? SB.badge('失败 ' + s.failed, 'st-failed', '识别失败且尚未替换的材料') : null);
  }

  // reviews shows the reviewers' decisions: checklist items accepted and returned, and the experts'
  // conclusions with their mean score.
  function reviews(s) {
    const items = (s.items_accepted || 0) + (s.items_rejected || 0);
    const experts = (s.experts_pass || 0) + (s.experts_fail || 0);
    if (!items && !experts) return h('span.muted', '—');
    return h('div.reviews',
      items ? h('div', '材料：',
        s.items_accepted ? SB.badge('接受 ' + s.items_accepted, 'oc-pass') : null,
        s.items_rejected ? SB.badge('退回 ' + s.items_rejected, 'oc-fail') : null) : null,
      experts ? h('div', '专家：',
        s.experts_pass ? SB.badge('通过 ' + s.experts_pass, 'oc-pass') : null,
        s.experts_fail ? SB.badge('不通过 ' + s.experts_fail, 'oc-fail') : null,
        s.expert_score ? h('span.muted', ' 均分 ' + (Math.round(s.expert_score * 10) / 10)) : null) : null);
  }

  // sortHead is a column heading that sorts the list by it (opts.sort: {by, desc, go(by, desc)}).
  function sortHead(label, key, opts) {
    if (!opts.sort || !key) return h('th', { scope: 'col' }, label);
    const cur = opts.sort.by === key;
    const desc = cur && opts.sort.desc;
    return h('th', { scope: 'col', 'aria-sort': cur ? (desc ? 'descending' : 'ascending') : 'none' },
      h('button.sort-head', {
        type: 'button', dataset: { sort: key, active: String(cur) },
        title: '按“' + label + '”排序' + (cur ? '（再点一次反向）' : ''),
        on: { click: () => opts.sort.go(key, cur ? !desc : false) },
      }, label, h('span.sort-mark', { 'aria-hidden': 'true' }, cur ? (desc ? ' ▲' : ' ▼') : ' ↕')));
  }

  // appTable draws rows of {application, summary}; summary may be null. opts.actions(app) adds a
  // column of links; opts.caption names the table for screen readers.
  function appTable(items, opts) {
    opts = opts || {};
    const withSummary = items.some((it) => it.summary);
    return h('table.dash-table.card',
      h('caption.sr-only', opts.caption || '申报列表'),
      h('thead', h('tr',
        sortHead('申报单位', 'org', opts),
        sortHead('地区/园区', 'region', opts),
        sortHead('年度', 'year', opts),
        sortHead('状态', 'state', opts),
        withSummary ? [
          sortHead('材料完整度（第十七条）', 'completeness', opts),
          sortHead('问题', 'blocking', opts),
          sortHead('材料', 'failed', opts),
          h('th', { scope: 'col' }, '审核'),
        ] : null,
        opts.actions ? h('th', { scope: 'col' }, '操作') : sortHead('更新时间', 'updated', opts))),
      h('tbody', items.map((it) => row(it, withSummary, opts))));
  }

  function row(it, withSummary, opts) {
    const a = it.application;
    const s = it.summary;
    const href = '#/apps/' + encodeURIComponent(a.id);
    return h('tr.dash-row', {
      dataset: { id: a.id, state: a.state },
      on: { click: (e) => { if (!e.target.closest('a, button')) location.hash = href; } },
    },
    h('td', { 'data-label': '申报单位' },
      h('a.org', { href }, a.org_name),
      a.credit_code ? h('div.muted.mono', a.credit_code) : null,
      a.functions && a.functions.length ? h('div.chips', a.functions.map((f) => h('span.chip', SB.functionName(f)))) : null),
    h('td', { 'data-label': '地区/园区' }, a.region || '—'),
    h('td', { 'data-label': '年度' }, a.year ? String(a.year) : '—'),
    h('td', { 'data-label': '状态' }, SB.stateBadge(a), h('div.next-step.small.muted', SB.nextStep(a))),
    withSummary ? [
      h('td', { 'data-label': '完整度' }, s ? completeness(s) : '—'),
      h('td', { 'data-label': '问题' }, s ? counts(s) : '—'),
      h('td', { 'data-label': '材料' }, s ? docs(s) : '—'),
      h('td.review-cell', { 'data-label': '审核' }, s ? reviews(s) : '—'),
    ] : null,
    opts.actions
      ? h('td.row-actions', { 'data-label': '操作' }, opts.actions(a))
      : h('td', { 'data-label': '更新时间' }, h('span.muted', SB.formatTime(a.updated_at || a.created_at))));
  }

  // stateCounts shows how many applications are in each state (what the principal may see), each a
  // link that filters the list.
  async function stateCounts(box, ctx, current) {
    let counts;
    try {
      counts = await SB.api.get('/counts');
    } catch (err) {
      if (ctx.isCurrent()) SB.replace(box, SB.alertBox(err));
      return;
    }
    if (!ctx.isCurrent()) return;
    const totals = SB.STATES.map(([s]) => counts[s] || 0);
    const all = totals.reduce((x, y) => x + y, 0);
    SB.replace(box, h('ul.state-counts', { 'aria-label': '各状态申报数' },
      h('li', h('a', { href: '#/', class: current ? '' : 'active', dataset: { state: '' } }, '全部 ', h('strong', String(all)))),
      SB.STATES.map(([s, label], i) => h('li', h('a', {
        href: '#/?state=' + s, class: current === s ? 'active' : '', dataset: { state: s, count: String(totals[i]) },
      }, label + ' ', h('strong', String(totals[i])))))));
  }

  // dashboardList is the staff's and auditor's list with its filters, in the address.
  function dashboardList(container, ctx) {
    const q = ctx.query;
    const state = {
      region: q.get('region') || '',
      year: q.get('year') || '',
      state: q.get('state') || '',
      sort: q.get('sort') || 'completeness',
      desc: q.get('desc') === '1',
      search: q.get('q') || '',
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
    const stateSel = h('select#f-state', { name: 'state' },
      h('option', { value: '' }, '全部状态'),
      SB.STATES.map(([s, label]) => h('option', { value: s }, label)));
    const sortSel = h('select#f-sort', { name: 'sort' },
      h('option', { value: 'completeness' }, '按材料完整度'),
      h('option', { value: 'blocking' }, '按必须整改问题数'),
      h('option', { value: 'attention' }, '按需要核实问题数'),
      h('option', { value: 'failed' }, '按识别失败材料数'),
      h('option', { value: 'org' }, '按单位名称'),
      h('option', { value: 'region' }, '按地区/园区'),
      h('option', { value: 'year' }, '按申报年度'),
      h('option', { value: 'state' }, '按状态'),
      h('option', { value: 'updated' }, '按更新时间'),
      h('option', { value: 'newest' }, '按创建时间'));
    const searchInput = h('input#f-q', { type: 'search', name: 'q', maxlength: 100, placeholder: '单位名称或统一社会信用代码', 'aria-label': '搜索单位名称或统一社会信用代码', value: state.search });

    if (state.region && !SB.REGIONS.includes(state.region)) {
      regionSel.value = '__park';
      parkInput.value = state.region;
    } else {
      regionSel.value = state.region;
    }
    parkInput.hidden = regionSel.value !== '__park';
    yearSel.value = state.year;
    stateSel.value = state.state;
    sortSel.value = state.sort;

    const counts = h('div.card.counts-card', h('p.loading', '正在统计…'));
    const body = h('div.dash-body', { 'aria-live': 'polite' }, h('p.loading', '正在加载…'));

    function go(changes) {
      Object.assign(state, changes);
      const p = new URLSearchParams();
      if (state.region) p.set('region', state.region);
      if (state.year) p.set('year', state.year);
      if (state.state) p.set('state', state.state);
      if (state.search) p.set('q', state.search);
      if (state.sort !== 'completeness') p.set('sort', state.sort);
      if (state.desc) p.set('desc', '1');
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
    stateSel.addEventListener('change', () => go({ state: stateSel.value, offset: 0 }));
    sortSel.addEventListener('change', () => go({ sort: sortSel.value, desc: false, offset: 0 }));
    searchInput.addEventListener('change', () => go({ search: searchInput.value.trim(), offset: 0 }));

    // filters is the list's query for the API: the dashboard's and the export's.
    function filters() {
      const p = new URLSearchParams();
      if (state.region) p.set('region', state.region);
      if (state.year) p.set('year', state.year);
      if (state.state) p.set('state', state.state);
      if (state.search) p.set('q', state.search);
      p.set('sort', state.sort);
      if (state.desc) p.set('desc', '1');
      return p;
    }
    const exportLinks = SB.role() === 'staff' ? h('div.btn-row.export', h('span.muted.small', '导出当前筛选的申报一览（含材料项、问题和状态）：'),
      ['xlsx', 'csv'].map((f) => h('a.btn.btn-small', {
        href: SB.API + '/dashboard/export?' + new URLSearchParams([['format', f], ...filters()]).toString(),
        download: '', dataset: { export: f },
      }, f === 'xlsx' ? '导出 Excel（.xlsx）' : '导出 CSV'))) : null;

    SB.append(container, [
      h('h2', '各状态申报数'),
      counts,
      h('h2', '申报一览'),
      h('form.filters.card', { role: 'search', 'aria-label': '筛选', on: { submit: (e) => { e.preventDefault(); go({ region: regionValue(), search: searchInput.value.trim(), offset: 0 }); } } },
        h('div.filter.filter-q', h('label', { for: 'f-q' }, '搜索'), searchInput),
        h('div.filter', h('label', { for: 'f-region' }, '地区/园区'), h('div.inline', regionSel, parkInput)),
        h('div.filter', h('label', { for: 'f-year' }, '申报年度'), yearSel),
        h('div.filter', h('label', { for: 'f-state' }, '状态'), stateSel),
        h('div.filter', h('label', { for: 'f-sort' }, '排序'), sortSel)),
      exportLinks,
      body,
    ]);

    stateCounts(counts, ctx, state.state);
    load();

    async function load() {
      const p = filters();
      p.set('limit', String(PAGE));
      p.set('offset', String(state.offset));
      let data;
      try {
        data = await SB.api.get('/dashboard?' + p.toString());
      } catch (err) {
        if (ctx.isCurrent()) SB.replace(body, SB.alertBox(err));
        return;
      }
      if (!ctx.isCurrent()) return;
      render(data);
    }

    function render(data) {
      const items = data.items || [];
      const total = data.total || 0;
      const out = [];
      if (items.length === 0) {
        out.push(h('div.card.empty', h('p', state.region || state.year || state.state || state.search ? '没有符合条件的申报。' : '还没有申报。')));
        SB.replace(body, out);
        return;
      }
      out.push(appTable(items, { sort: { by: state.sort, desc: state.desc, go: (by, desc) => go({ sort: by, desc, offset: 0 }) } }));
      const pages = Math.max(1, Math.ceil(total / PAGE));
      const cur = Math.floor(state.offset / PAGE) + 1;
      out.push(h('nav.pager', { 'aria-label': '分页' },
        h('button.btn', { type: 'button', disabled: state.offset <= 0, on: { click: () => go({ offset: Math.max(0, state.offset - PAGE) }) } }, '上一页'),
        h('span.pager-info', '第 ' + cur + ' / ' + pages + ' 页，共 ' + total + ' 个申报'),
        h('button.btn', { type: 'button', disabled: state.offset + PAGE >= total, on: { click: () => go({ offset: state.offset + PAGE }) } }, '下一页')));
      SB.replace(body, out);
    }
  }

  SB.appTable = appTable;
  SB.dashboardList = dashboardList;
})();
