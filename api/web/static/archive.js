// The archive (第二十四条: 接受审计监督): the 档案核验 page (#/verify, staff and auditors) runs the
// integrity check of GET /api/v1/verify — the log's hash chain, its anchors, every original's SHA-256
// and first page drawn, the archive packages, their 材料汇编 and their retention — and searches the
// log of actions (GET /api/v1/events with its filters, kept in the address: #/verify?action=…&actor=…
// &application=…&object=…&from=…&to=…&offset=…) beside the chain's status (GET /verify?scope=log);
// and, on an application's page, its 档案 section: the BagIt packages archived so far (from its
// application.archive events) with download links, 立即归档 and 法律保全 (staff), and 核验本申报.
'use strict';

(function () {
  const SB = window.SB;
  const h = SB.h;

  const CHECKS = {
    chain: '操作记录哈希链',
    events: '操作记录哈希链',
    anchor: '锚定记录',
    anchors: '锚定记录',
    original: '原件',
    originals: '原件',
    package: '归档包',
    packages: '归档包',
    retention: '保存期限',
    store: '存储',
    state: '申报状态与流转记录',
    usability: '原件可用性',
    compilation: '材料汇编',
  };
  function checkName(c) { return CHECKS[c] ? CHECKS[c] + '（' + c + '）' : c; }

  // report shows a verify answer: 全部通过, or the failures; what was checked; the notes.
  function report(r) {
    const counts = [['events', '条操作记录'], ['anchors', '个锚定'], ['originals', '份原件'], ['rendered', '份原件（打开并绘制首页）'],
      ['packages', '个归档包'], ['compilations', '份材料汇编（PDF 校验）']]
      .filter(([k]) => typeof r[k] === 'number')
      .map(([k, label]) => h('li', { dataset: { count: k } }, '已核验 ', h('strong', String(r[k])), ' ' + label));
    const failures = r.failures || [];
    const notes = r.notes || [];
    return h('div.verify-report', { dataset: { ok: r.ok ? 'true' : 'false' } },
      r.ok
        ? h('p.verify-result.verify-ok', { role: 'status' }, '✓ 全部通过')
        : h('div.verify-result.verify-failed', { role: 'alert' },
          h('p', h('strong', '✗ 核验未通过：发现 ' + failures.length + ' 处问题')),
          h('table.dash-table.verify-failures',
            h('thead', h('tr', h('th', { scope: 'col' }, '检查项'), h('th', { scope: 'col' }, '对象'), h('th', { scope: 'col' }, '问题'))),
            h('tbody', failures.map((f) => h('tr.verify-failure',
              h('td', { 'data-label': '检查项' }, checkName(f.check)),
              h('td', { 'data-label': '对象' }, h('span.mono.small', f.object || '')),
              h('td', { 'data-label': '问题' }, f.problem || '')))))),
      counts.length ? h('ul.verify-counts', counts) : null,
      notes.length ? h('div.verify-notes', h('h3', '说明'), h('ul', notes.map((n) => h('li', n)))) : null);
  }

  // runner is a button that runs /verify (for one application when appId is set) and a place for the
  // answer.
  function runner(label, appId) {
    const out = h('div.verify-out', { 'aria-live': 'polite' });
    const btn = h('button.btn.btn-primary', { type: 'button', dataset: { action: 'verify' }, on: { click: run } }, label);
    async function run() {
      btn.disabled = true;
      SB.replace(out, h('p.loading', '正在核验…（原件和归档包较多时需要一些时间）'));
      try {
        const r = await SB.api.get('/verify' + (appId ? '?application=' + encodeURIComponent(appId) : ''));
        SB.replace(out, report(r));
      } catch (err) {
        SB.replace(out, SB.alertBox(err));
      } finally {
        btn.disabled = false;
      }
    }
    return { btn, out };
  }

  // ---- #/verify ----

  SB.screens.verify = function (main, _id, ctx) {
    document.title = '档案核验 · 申报材料审核';
    const r = runner('开始核验');
    SB.append(main,
      h('div.page-head', h('h1', '档案核验')),
      h('p.lead', '核验电子档案的真实性、完整性、可用性和安全性：操作记录的哈希链是否连续、未被改动，与每日锚定的链头是否一致；每份原件与上传时记录的 SHA-256 是否相符，能否打开并绘制首页；归档包是否完好，其中的材料汇编能否通过 PDF 校验；保存期限是否已设定。'),
      h('section.card.verify-card', h('p', r.btn), r.out),
      logSearch(ctx));
    return null;
  };

  // ---- the log of actions, filtered ----

  const LOG_PAGE = 50;
  const FILTERS = ['action', 'actor', 'application', 'object', 'from', 'to'];

  // Actions to choose from: families first, then each action (named as on the event log).
  const ACTION_CHOICES = [
    ['application.', '申报流程（全部）'], ['document.', '材料（全部）'], ['user.', '账户与登录（全部）'],
    ['round.', '年度申报（全部）'], ['filing.', '年度报送（全部）'],
    ...['application.create', 'application.submit', 'application.withdraw', 'application.return', 'application.recommend',
      'application.assign', 'application.conclude', 'application.decide', 'application.grant', 'application.refuse',
      'application.revoke', 'application.evaluate', 'application.expire', 'application.review_item',
      'application.archive', 'application.hold', 'document.upload', 'document.replace', 'document.review_field',
      'document.set_kind', 'document.reread', 'user.create', 'user.update', 'user.login', 'user.login_failed', 'user.logout',
      'user.password', 'user.token', 'round.open'].map((a) => [a, actionLabel(a)]),
  ];

  function actionLabel(a) {
    const own = { 'application.archive': '归档', 'application.hold': '法律保全' };
    const name = SB.actionName(a);
    return (name !== a ? name : own[a] || a) + '（' + a + '）';
  }

  // chainStatus shows whether the log's hash chain holds (GET /verify?scope=log).
  function chainStatus(ctx) {
    const box = h('div.chain-status', { 'aria-live': 'polite' }, h('p.loading', '正在核验哈希链…'));
    (async () => {
      let r;
      try {
        r = await SB.api.get('/verify?scope=log');
      } catch (err) {
        if (ctx.isCurrent()) SB.replace(box, SB.alertBox(err));
        return;
      }
      if (!ctx.isCurrent()) return;
      const failures = r.failures || [];
      box.dataset.ok = r.ok ? 'true' : 'false';
      SB.replace(box, r.ok
        ? h('p.verify-result.verify-ok', { role: 'status' }, '✓ 哈希链完好：' + r.events + ' 条操作记录连续、未被改动，与 ' + r.anchors + ' 个每日锚定一致。')
        : h('div.verify-result.verify-failed', { role: 'alert' },
          h('p', h('strong', '✗ 哈希链核验未通过：发现 ' + failures.length + ' 处问题')),
          h('ul', failures.map((f) => h('li.verify-failure', checkName(f.check) + ' ', h('span.mono.small', f.object || ''), '：' + (f.problem || ''))))));
    })();
    return box;
  }

  // logSearch is the log's view: the chain's status, the filters and a page of what they select.
  function logSearch(ctx) {
    const q = ctx.query;
    const state = {};
    for (const k of FILTERS) state[k] = (q.get(k) || '').trim();
    const offset = Math.max(0, parseInt(q.get('offset') || '0', 10) || 0);

    const actionSel = h('select#l-action', { name: 'action' },
      h('option', { value: '' }, '全部操作'),
      ACTION_CHOICES.map(([v, label]) => h('option', { value: v }, label)));
    if (state.action && !ACTION_CHOICES.some(([v]) => v === state.action)) actionSel.append(h('option', { value: state.action }, state.action));
    actionSel.value = state.action;
    const input = (id, name, placeholder, type) => {
      const el = h('input#' + id, { name, type: type || 'text', placeholder: placeholder || '', maxlength: 100 });
      el.value = state[name];
      return el;
    };
    const actor = input('l-actor', 'actor', '用户编号或姓名');
    const app = input('l-application', 'application', '如 app_…');
    const object = input('l-object', 'object', '材料、账户、年度或归档包');
    const from = input('l-from', 'from', '', 'date');
    const to = input('l-to', 'to', '', 'date');
    const body = h('div.log-body', { 'aria-live': 'polite' }, h('p.loading', '正在加载…'));

    function go(o) {
      const p = new URLSearchParams();
      for (const k of FILTERS) if (state[k]) p.set(k, state[k]);
      if (o) p.set('offset', String(o));
      const s = p.toString();
      location.hash = '#/verify' + (s ? '?' + s : '');
    }
    function search(e) {
      e.preventDefault();
      Object.assign(state, { action: actionSel.value, actor: actor.value.trim(), application: app.value.trim(), object: object.value.trim(), from: from.value, to: to.value });
      go(0);
    }
    function reset() {
      for (const k of FILTERS) state[k] = '';
      go(0);
    }

    (async () => {
      const p = new URLSearchParams({ limit: String(LOG_PAGE), offset: String(offset) });
      for (const k of FILTERS) if (state[k]) p.set(k, state[k]);
      let data;
      try {
        data = await SB.api.get('/events?' + p.toString());
      } catch (err) {
        if (ctx.isCurrent()) SB.replace(body, SB.alertBox(err));
        return;
      }
      if (!ctx.isCurrent()) return;
      const items = data.items || [];
      const filtered = FILTERS.some((k) => state[k]);
      SB.replace(body, [
        h('p.log-total', { dataset: { total: String(data.total) } }, (filtered ? '符合条件的操作记录共 ' : '操作记录共 ') + data.total + ' 条，最新的在前。'),
        items.length ? h('div.table-card', SB.cycle.eventTable(items, true)) : h('p.muted', filtered ? '没有符合条件的操作记录。' : '暂无记录。'),
        data.total > LOG_PAGE ? SB.cycle.pager(offset, LOG_PAGE, data.total, go) : null,
      ]);
    })();

    return h('section.card.log-card', { 'aria-labelledby': 'h-log' },
      h('h2#h-log', '操作记录检索'),
      h('p.hint', '每条操作记录的哈希包含前一条的哈希，构成哈希链；链头每日锚定到存储中，不可改写。'),
      chainStatus(ctx),
      h('form.filters.log-filters', { role: 'search', 'aria-label': '筛选操作记录', on: { submit: search } },
        h('div.filter', h('label', { for: 'l-action' }, '操作类型'), actionSel),
        h('div.filter', h('label', { for: 'l-actor' }, '操作人'), actor),
        h('div.filter', h('label', { for: 'l-application' }, '申报编号'), app),
        h('div.filter', h('label', { for: 'l-object' }, '操作对象'), object),
        h('div.filter', h('label', { for: 'l-from' }, '起始日期'), from),
        h('div.filter', h('label', { for: 'l-to' }, '截止日期'), to),
        h('div.btn-row.log-buttons',
          h('button.btn.btn-primary', { type: 'submit', dataset: { action: 'search-log' } }, '查询'),
          h('button.btn', { type: 'button', dataset: { action: 'reset-log' }, on: { click: reset } }, '清除条件'))),
      body);
  }

  // ---- the 档案 section of an application ----

  // packagesOf reads every application.archive event of an application (newest first).
  async function packagesOf(appId) {
    const out = [];
    const base = '/applications/' + encodeURIComponent(appId) + '/events?limit=200&offset=';
    for (let off = 0; off < 10000; off += 200) {
      const data = await SB.api.get(base + off);
      const items = data.items || [];
      for (const e of items) if (e.action === 'application.archive' && e.object) out.push(e);
      if (!items.length || off + items.length >= (data.total || 0)) break;
    }
    return out;
  }

  function packageName(key) {
    const m = /([^/]+)\.tar$/.exec(key || '');
    return m ? m[1] : key;
  }

  // section is the 档案 card of an application's page (staff and auditors; null for others).
  function section(appId, ctx) {
    const role = SB.role();
    if (role !== 'staff' && role !== 'auditor') return null;
    const staff = role === 'staff';
    const list = h('div.packages', h('p.loading', '正在加载…'));
    const msg = h('p.form-msg.archive-msg', { role: 'status' });
    const v = runner('核验本申报', appId);
    v.btn.className = 'btn';

    async function load() {
      let pkgs;
      try {
        pkgs = await packagesOf(appId);
      } catch (err) {
        if (ctx.isCurrent()) SB.replace(list, SB.alertBox(err));
        return;
      }
      if (!ctx.isCurrent()) return;
      SB.replace(list, pkgs.length
        ? h('ul.package-list', pkgs.map((e) => {
          const href = SB.API + '/applications/' + encodeURIComponent(appId) + '/package?key=' + encodeURIComponent(e.object);
          return h('li.package-row', { dataset: { key: e.object } },
            h('span.mono', packageName(e.object)),
            ' ', h('span.muted.small', SB.formatTime(e.at)),
            e.digest ? [' ', h('span.mono.small.muted', { title: 'SHA-256 ' + e.digest }, 'SHA-256 ' + e.digest.slice(0, 8))] : null,
            ' ', h('a.btn.btn-small', { href, download: appId + '-' + packageName(e.object) + '.tar', dataset: { action: 'download' } }, '下载'));
        }))
        : h('p.muted', '尚未归档。认定或不予认定后系统自动归档；工作人员也可以立即归档。'));
    }

    async function archiveNow(e) {
      const btn = e.currentTarget;
      btn.disabled = true;
      msg.className = 'form-msg archive-msg';
      msg.textContent = '正在归档…';
      try {
        const r = await SB.api.post('/applications/' + encodeURIComponent(appId) + '/archive');
        msg.textContent = '已归档：' + (r && r.key ? r.key : '');
        await load();
      } catch (err) {
        msg.className = 'form-msg archive-msg error';
        msg.textContent = err.message;
      } finally {
        btn.disabled = false;
      }
    }

    async function hold(on, e) {
      const btn = e.currentTarget;
      btn.disabled = true;
      msg.className = 'form-msg archive-msg';
      msg.textContent = on ? '正在设置法律保全…' : '正在解除法律保全…';
      try {
        await SB.api.post('/applications/' + encodeURIComponent(appId) + '/hold', { on });
        msg.textContent = on ? '已对本申报的全部原件设置法律保全。' : '已解除法律保全。';
      } catch (err) {
        msg.className = 'form-msg archive-msg error';
        msg.textContent = err.message;
      } finally {
        btn.disabled = false;
      }
    }

    const el = h('section.card.archive-card', { 'aria-labelledby': 'h-archive' },
      h('h2#h-archive', '档案'),
      h('p.hint', '归档包为 BagIt 格式的 tar 文件：全部原件及申报、材料、清单和操作记录，按保存期限保存。'),
      list,
      h('div.btn-row.archive-actions',
        staff ? h('button.btn.btn-primary', { type: 'button', dataset: { action: 'archive' }, on: { click: archiveNow } }, '立即归档') : null,
        staff ? h('button.btn', { type: 'button', dataset: { action: 'hold-on' }, on: { click: (e) => hold(true, e) } }, '法律保全') : null,
        staff ? h('button.btn', { type: 'button', dataset: { action: 'hold-off' }, on: { click: (e) => hold(false, e) } }, '解除法律保全') : null,
        v.btn),
      msg,
      v.out);
    load();
    return { el, reload: load };
  }

  SB.archive = { section, report };
})();
