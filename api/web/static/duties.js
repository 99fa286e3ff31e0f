// The deadline board of the yearly duties: a recognised platform's 年度工作总结 by the end of February
// (第二十一条) and the recommender's 年度检查情况报告 by 10 March (第二十三条), each reporting on the
// year before. Staff and auditors see every duty; an applicant its own platforms' work summaries (and
// hands them in); a recommender its region's duties (and hands in its inspection report).
//
// What is due, by when and whether it is overdue is the server's to say (GET /api/v1/duties?year=):
// its clock is the one that counts. The board is a card on the homes and the page #/duties?year=.
'use strict';

(function () {
  const SB = window.SB;
  const h = SB.h;
  const ACCEPT = '.pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/*';

  // The year the server reports on by default (the last year by its clock), learnt from its first
  // answer without a year.
  let latestYear = 0;

  async function loadDuties(year) {
    if (!latestYear || !year) {
      const d = await SB.api.get('/duties');
      latestYear = d.year;
      if (!year || year === d.year) return d;
    }
    return SB.api.get('/duties?year=' + encodeURIComponent(year));
  }

  function done(d) { return (d.filings || []).length > 0; }

  // mayHandIn mirrors the server's rule (intake.HandIn): an applicant its platforms' work summaries,
  // a recommender its region's inspection report.
  function mayHandIn(d) {
    const u = SB.session.user;
    if (!u) return false;
    if (d.kind === 'work_summary') return u.role === 'applicant';
    if (d.kind === 'inspection_report') return u.role === 'recommender' && !!u.region && u.region === d.region;
    return false;
  }

  // A duty's state in words: handed in (late or not), overdue, or not yet due.
  function dutyState(d) {
    if (done(d)) {
      const late = d.filings.every((f) => SB.formatDate(f.at) > d.due);
      return late ? ['已提交（逾期）', 'oc-undet'] : ['已提交', 'oc-pass'];
    }
    return d.overdue ? ['逾期未交', 'oc-fail'] : ['待提交', 'sev-zero'];
  }

  // Overdue first, then what is still to come by its day, then what is done.
  function order(d) { return done(d) ? 2 : d.overdue ? 0 : 1; }

  function filingLine(d, f) {
    const late = SB.formatDate(f.at) > d.due;
    return h('li.filing', { dataset: { id: f.id } },
      h('a', { href: SB.API + '/filings/' + encodeURIComponent(f.id) + '/original', title: '下载 ' + f.file_name }, f.file_name),
      h('span.muted.small', ' ' + SB.formatSize(f.size) + ' · ' + (f.by ? f.by.name : '') + ' · ' + SB.formatTime(f.at)),
      late ? h('span.chip.chip-warn', '逾期提交') : null);
  }

  // dutyBoard fills box with the duties of a year. opts.year: the year asked for (0: the server's
  // default); opts.onYear(y): the year chosen (default: redraw in place); opts.compact: on a home,
  // with a link to the page; opts.title: the board's heading.
  function dutyBoard(box, ctx, opts) {
    opts = opts || {};
    const body = h('div.duty-body', { 'aria-live': 'polite' }, h('p.loading', '正在加载…'));
    const yearSel = h('select#duty-year', { name: 'year' });
    const head = h('div.duty-head',
      h('h2#h-duties', opts.title || '年度报送（第二十一、二十三条）'),
      h('div.inline', h('label', { for: 'duty-year' }, '报告年度'), yearSel,
        opts.compact ? h('a.btn.btn-small', { href: '#/duties' }, '打开报送页') : null));
    SB.replace(box, head, body);
    let year = opts.year || 0;
    yearSel.addEventListener('change', () => {
      const y = parseInt(yearSel.value, 10);
      if (opts.onYear) opts.onYear(y);
      else { year = y; load(); }
    });
    load();

    async function load() {
      let data;
      try {
        data = await loadDuties(year);
      } catch (err) {
        if (ctx.isCurrent()) SB.replace(body, SB.alertBox(err));
        return;
      }
      if (!ctx.isCurrent()) return;
      year = data.year;
      box.dataset.year = String(year);
      const years = [];
      for (let y = latestYear; y >= Math.max(2000, latestYear - 5); y--) years.push(y);
      if (!years.includes(year)) years.push(year);
      SB.replace(yearSel, years.sort((a, b) => b - a).map((y) => h('option', { value: String(y), selected: y === year }, y + ' 年度')));
      yearSel.value = String(year);
      render(data.items || []);
    }

    function render(items) {
      const role = SB.role();
      if (!items.length) {
        SB.replace(body, h('p.muted.duty-empty',
          role === 'applicant' ? '贵单位没有 ' + year + ' 年度需要提交的年度工作总结（该年度不在认定有效期内）。'
            : year + ' 年度没有在认定有效期内的示范平台，无需报送。'));
        return;
      }
      const sorted = items.slice().sort((x, y) => order(x) - order(y) || (x.due < y.due ? -1 : x.due > y.due ? 1 : 0));
      const n = { done: 0, overdue: 0, pending: 0 };
      for (const d of items) n[done(d) ? 'done' : d.overdue ? 'overdue' : 'pending']++;
      SB.replace(body,
        h('p.duty-summary',
          '共 ' + items.length + ' 项：',
          SB.badge('已提交 ' + n.done, n.done ? 'oc-pass' : 'sev-zero'), ' ',
          SB.badge('逾期未交 ' + n.overdue, n.overdue ? 'sev-blocking' : 'sev-zero'), ' ',
          SB.badge('待提交 ' + n.pending, 'sev-zero')),
        h('table.dash-table.duty-table',
          h('caption.sr-only', year + ' 年度报送'),
          h('thead', h('tr',
            h('th', { scope: 'col' }, '事项'),
            h('th', { scope: 'col' }, '报送单位'),
            h('th', { scope: 'col' }, '截止日期'),
            h('th', { scope: 'col' }, '状态'),
            h('th', { scope: 'col' }, '已交文件'))),
          h('tbody', sorted.map(row))));
    }

    function row(d) {
      const [label, cls] = dutyState(d);
      const who = d.kind === 'work_summary'
        ? [d.application_id ? h('a', { href: '#/apps/' + encodeURIComponent(d.application_id) }, d.org_name || d.application_id) : (d.org_name || ''),
          h('div.muted.small', d.region)]
        : [d.region, h('div.muted.small', SB.role() === 'recommender' ? '推荐单位（本单位）' : '推荐单位')];
      const article = d.kind === 'work_summary' ? '第二十一条' : '第二十三条';
      return h('tr.duty-row', {
        class: !done(d) && d.overdue ? 'overdue' : '',
        dataset: { kind: d.kind, region: d.region, app: d.application_id || '', due: d.due, overdue: String(!!d.overdue), done: String(done(d)) },
      },
      h('td', { 'data-label': '事项' }, h('strong', d.kind_label || SB.filingKindName(d.kind)), h('div.muted.small', d.year + ' 年度 · ' + article)),
      h('td', { 'data-label': '报送单位' }, h('div', who)),
      h('td.duty-due', { 'data-label': '截止日期' }, d.due),
      h('td', { 'data-label': '状态' }, SB.badge(label, cls + ' duty-state')),
      h('td', { 'data-label': '已交文件' }, h('div.duty-files',
        done(d) ? h('ul.plain.filings', d.filings.map((f) => filingLine(d, f))) : h('span.muted', '—'),
        mayHandIn(d) ? handIn(d) : null)));
    }

    // handIn is a duty's upload: the file is sent as soon as it is chosen; the board then reloads.
    function handIn(d) {
      const input = h('input.sr-only.duty-file', { type: 'file', accept: ACCEPT, tabindex: -1, 'aria-hidden': 'true' });
      const what = d.kind_label || SB.filingKindName(d.kind);
      const btn = h('button.btn.btn-small', {
        type: 'button', class: done(d) ? '' : 'btn-primary', dataset: { action: 'hand-in' },
        on: { click: () => input.click() },
      }, done(d) ? '重新上传' : '上传' + what);
      const msg = h('p.form-msg', { role: 'status' });
      input.addEventListener('change', async () => {
        const file = input.files && input.files[0];
        input.value = '';
        if (!file) return;
        btn.disabled = true;
        msg.className = 'form-msg';
        msg.textContent = '正在上传 ' + file.name + '…';
        const fields = { kind: d.kind, year: String(d.year) };
        if (d.kind === 'work_summary') fields.application_id = d.application_id;
        try {
          await SB.api.upload('/duties', fields, file);
        } catch (err) {
          if (!ctx.isCurrent()) return;
          msg.textContent = '上传失败：' + err.message;
          msg.className = 'form-msg error';
          btn.disabled = false;
          return;
        }
        if (!ctx.isCurrent()) return;
        SB.toast('已提交' + what + '（' + d.year + ' 年度）：' + file.name);
        load();
      });
      return h('div.duty-hand-in', h('div.btn-row', btn), input, msg);
    }
  }

  // ---- #/duties?year= ----

  SB.screens.duties = function (main, _id, ctx) {
    document.title = '年度报送 · 申报材料审核';
    const role = SB.role();
    const lead = {
      applicant: '已认定的示范平台，应于每年 2 月底前提交上一年度工作总结（第二十一条）。',
      recommender: '本地区示范平台应于每年 2 月底前提交上一年度工作总结（第二十一条）；推荐单位应于 3 月 10 日前报送年度检查情况报告，说明平台的工作总结及服务质量、收费和满意度的检查情况（第二十三条）。',
    }[role] || '示范平台于每年 2 月底前提交上一年度工作总结（第二十一条）；推荐单位于 3 月 10 日前报送年度检查情况报告（第二十三条）。逾期未交的标为红色。';
    const box = h('section.card.duties-card', { 'aria-labelledby': 'h-duties' });
    SB.append(main, h('div.page-head', h('h1', '年度报送')), h('p.lead', lead), box);
    const year = parseInt(ctx.query.get('year') || '0', 10) || 0;
    dutyBoard(box, ctx, { year, title: '报送情况', onYear: (y) => { location.hash = '#/duties?year=' + y; } });
    return null;
  };

  // dutiesCard is the board as a card on a home.
  SB.dutiesCard = function (ctx) {
    const box = h('section.card.duties-card', { 'aria-labelledby': 'h-duties' });
    dutyBoard(box, ctx, { compact: true });
    return box;
  };
})();
