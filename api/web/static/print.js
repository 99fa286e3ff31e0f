// Printable pages of an application: the 一次告知书 (#/apps/{id}/notice: everything missing or to fix,
// at once) and the 材料清单 (#/apps/{id}/materials: the materials of 第十七条 with their files and
// SHA-256). The print stylesheet (app.css, @media print) leaves only the sheet.
'use strict';

(function () {
  const SB = window.SB;
  const h = SB.h;
  const CN_NUM = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

  async function loadAll(appId) {
    const base = '/applications/' + encodeURIComponent(appId);
    const [app, report, docs] = await Promise.all([SB.api.get(base), SB.api.get(base + '/checklist'), SB.api.get(base + '/documents')]);
    return { app, report, docs: docs.items || [] };
  }

  // sheet loads the application, then draws build(data) under a toolbar with 打印.
  function sheet(main, appId, ctx, title, build) {
    document.title = title + ' · 申报材料审核';
    const back = '#/apps/' + encodeURIComponent(appId);
    const body = h('article.print-sheet', { 'aria-label': title }, h('p.loading', '正在加载…'));
    SB.append(main,
      h('div.print-toolbar.no-print',
        h('button.btn.btn-primary', { type: 'button', dataset: { action: 'print' }, on: { click: () => window.print() } }, '打印'),
        h('a.btn', { href: back }, '返回申报')),
      body);
    loadAll(appId).then((data) => {
      if (!ctx.isCurrent()) return;
      document.title = data.app.org_name + ' ' + title + ' · 申报材料审核';
      SB.replace(body, build(data));
      body.dataset.ready = 'true';
    }).catch((err) => {
      if (!ctx.isCurrent()) return;
      if (err.status === 404) { SB.replace(main, SB.notFound('该申报')); return; }
      SB.replace(body, SB.alertBox(err));
    });
    return null;
  }

  function header(app, title, date) {
    return [
      h('h1.sheet-title', title),
      h('p.sheet-sub', '西藏自治区中小企业公共服务示范平台申报'),
      h('table.sheet-meta', h('tbody',
        h('tr', h('th', '申报单位'), h('td', app.org_name), h('th', '统一社会信用代码'), h('td.mono', app.credit_code || '—')),
        h('tr', h('th', '申报年度'), h('td', app.year + ' 年度'), h('th', '所在地（市）/园区'), h('td', app.region || '—')),
        h('tr', h('th', '申报状态'), h('td', app.state_label || SB.stateName(app.state)), h('th', '日期'), h('td.sheet-date', date)))),
    ];
  }

  // ---- 一次告知书 ----

  SB.screens.notice = function (main, appId, ctx) {
    return sheet(main, appId, ctx, '一次告知书', ({ app, report }) => {
      const returns = (app.cycle || {}).returns || [];
      const latest = returns[returns.length - 1];
      const date = app.state === 'returned' && latest ? SB.formatDate(latest.at) : report.as_of;
      const missing = (report.items || []).filter((it) => it.number > 0 && !it.present);
      const warnings = (report.warnings || []).filter((w) => !/^missing_item/.test(w.code) && w.code !== 'missing_recommendation_form');
      const blocking = warnings.filter((w) => w.severity === 'blocking');
      const attention = warnings.filter((w) => w.severity === 'attention');
      const sections = [];
      const section = (title, cls, list) => {
        sections.push(h('section.sheet-section', { class: cls },
          h('h2', CN_NUM[sections.length + 1] + '、' + title + '（' + list.length + ' 项）'),
          list.length ? h('ol', list) : h('p', '无。')));
      };
      // each item says what to do first, in plain words (the report's advice), then why
      const todo = (advice) => advice ? h('div.sheet-advice', '请：' + advice) : null;
      section('尚缺的申报材料（第十七条）', 'notice-missing', missing.map((it) =>
        h('li', h('div', it.title + '（' + it.article + '）'), todo(it.advice))));
      section('必须整改的问题', 'notice-blocking', blocking.map((w) => h('li', { dataset: { code: w.code } }, todo(w.advice), h('div', w.message))));
      section('需要核实的问题', 'notice-attention', attention.map((w) => h('li', { dataset: { code: w.code } }, todo(w.advice), h('div', w.message))));
      if (latest) section('推荐单位退回意见（' + (latest.by ? latest.by.name + '，' : '') + SB.formatDate(latest.at) + '）', 'notice-returns', latest.reasons.map((x) => h('li', x)));
      return [
        header(app, '一次告知书', date),
        h('p.sheet-lead', '经审核，贵单位的申报材料存在以下问题，现一次性告知，请对照整改、补齐材料后' +
          (app.state === 'draft' || app.state === 'returned' ? '提交' : '重新提交') + '。审核清单按已识别的材料计算，截至 ' + report.as_of + '，审核年度 ' + report.evaluation_year + ' 年。'),
        sections,
        h('p.sheet-note', '注：《推荐表》（附件1）由推荐单位审核后填写并上传。'),
        h('div.sheet-sign', h('p', '告知单位（盖章）：'), h('p', '日期：' + date)),
      ];
    });
  };

  // ---- 材料清单 ----

  SB.screens.materials = function (main, appId, ctx) {
    return sheet(main, appId, ctx, '申报材料清单', ({ app, report, docs }) => {
      const byId = new Map(docs.map((d) => [d.id, d]));
      const rows = [];
      const items = (report.items || []).filter((it) => it.number > 0).concat((report.items || []).filter((it) => it.number === 0));
      let n = 0;
      for (const it of items) {
        const list = (it.documents || []).map((x) => byId.get(x.id) || { id: x.id, file_name: x.file_name, sha256: '' }).filter((d) => !d.replaced_by);
        const label = it.number > 0 ? '（' + CN_NUM[it.number] + '）' + it.title : '推荐表（第十六条，附件1）';
        if (!list.length) {
          rows.push(h('tr.missing', { dataset: { item: String(it.number) } }, h('td', label), h('td', { colspan: 3 }, '（未提交）')));
          continue;
        }
        list.forEach((d, i) => {
          n++;
          rows.push(h('tr', { dataset: { item: String(it.number), docId: d.id } },
            i === 0 ? h('td', { rowspan: list.length }, label) : null,
            h('td', d.file_name), h('td.num', d.page_count ? String(d.page_count) : '—'), h('td.mono.sha', d.sha256)));
        });
      }
      for (const x of report.others || []) {
        const d = byId.get(x.id) || x;
        if (d.replaced_by) continue; // kept in the archive, no longer part of the application
        n++;
        rows.push(h('tr.other', { dataset: { docId: d.id } }, h('td', '其他材料（' + (x.kind_name || SB.kindName(x.kind)) + '）'),
          h('td', d.file_name), h('td.num', d.page_count ? String(d.page_count) : '—'), h('td.mono.sha', d.sha256 || '')));
      }
      return [
        header(app, '申报材料清单', report.as_of),
        h('p.sheet-lead', '按《西藏自治区中小企业公共服务示范平台认定管理办法》第十七条逐项列出申报材料，共 ' + n + ' 个文件。SHA-256 为文件内容的数字指纹，可据以核对存档原件未被改动。'),
        h('table.sheet-table.materials',
          h('thead', h('tr', h('th', '材料项'), h('th', '文件名'), h('th', '页数'), h('th', 'SHA-256'))),
          h('tbody', rows)),
        h('div.sheet-sign', h('p', '申报单位（盖章）：'), h('p', '日期：')),
      ];
    });
  };
})();
