// The recognition cycle on the application page (第十五–二十三条): where the application stands, what
// happened to it, and the actions the signed-in role may take now — submit and withdraw (applicant),
// return and recommend (recommender), assign, decide, grant, refuse, revoke and record evaluations
// (staff), conclude (expert). Also the event history, here and on #/events.
'use strict';

(function () {
  const SB = window.SB;
  const h = SB.h;
  const HISTORY_PAGE = 20;
  const DEFAULT_OPINION = '经审核，该单位申报材料真实有效，符合《西藏自治区中小企业公共服务示范平台认定管理办法》规定的条件，同意推荐。';

  // ---- events ----

  function eventRow(e, withApp) {
    const change = e.from || e.to ? [e.from ? SB.stateName(e.from) : '', ' → ', e.to ? SB.stateName(e.to) : ''] : '';
    return h('tr.event-row', { dataset: { seq: String(e.seq), action: e.action } },
      h('td', { 'data-label': '时间' }, h('span.mono.small', SB.formatTime(e.at))),
      h('td', { 'data-label': '操作人' }, e.actor ? e.actor.name : '', e.actor && e.actor.role_label ? h('div.muted.small', e.actor.role_label) : null),
      h('td', { 'data-label': '操作' }, SB.actionName(e.action)),
      withApp ? h('td', { 'data-label': '申报' }, e.application_id ? h('a.mono.small', { href: '#/apps/' + encodeURIComponent(e.application_id) }, e.application_id) : '—') : null,
      h('td', { 'data-label': '状态变化' }, change),
      h('td.event-comment', { 'data-label': '说明' }, e.comment || ''),
      h('td.event-hash', { 'data-label': '哈希' }, e.hash
        ? h('code.mono.small', { title: '哈希 ' + e.hash + (e.prev ? '\n前一条 ' + e.prev : '') + (e.digest ? '\n内容摘要 ' + e.digest : '') }, String(e.hash).slice(0, 8))
        : h('span.muted', '—')));
  }

  function eventTable(items, withApp) {
    return h('table.dash-table.event-table',
      h('caption.sr-only', '操作记录'),
      h('thead', h('tr',
        h('th', { scope: 'col' }, '时间'),
        h('th', { scope: 'col' }, '操作人'),
        h('th', { scope: 'col' }, '操作'),
        withApp ? h('th', { scope: 'col' }, '申报') : null,
        h('th', { scope: 'col' }, '状态变化'),
        h('th', { scope: 'col' }, '说明'),
        h('th', { scope: 'col', title: '本条记录的 SHA-256 哈希（前 8 位）：每条记录的哈希包含前一条的哈希，构成哈希链' }, '哈希'))),
      h('tbody', items.map((e) => eventRow(e, withApp))));
  }

  function pager(offset, size, total, go) {
    const pages = Math.max(1, Math.ceil(total / size));
    return h('nav.pager', { 'aria-label': '分页' },
      h('button.btn.btn-small', { type: 'button', disabled: offset <= 0, dataset: { page: 'prev' }, on: { click: () => go(Math.max(0, offset - size)) } }, '上一页'),
      h('span.pager-info', '第 ' + (Math.floor(offset / size) + 1) + ' / ' + pages + ' 页，共 ' + total + ' 条'),
      h('button.btn.btn-small', { type: 'button', disabled: offset + size >= total, dataset: { page: 'next' }, on: { click: () => go(offset + size) } }, '下一页'));
  }

  // history is an application's events, newest first, paged in place.
  function history(appId, ctx) {
    const box = h('div.history', h('p.loading', '正在加载…'));
    let offset = 0;
    async function load() {
      let data;
      try {
        data = await SB.api.get('/applications/' + encodeURIComponent(appId) + '/events?limit=' + HISTORY_PAGE + '&offset=' + offset);
      } catch (err) {
        if (ctx.isCurrent()) SB.replace(box, SB.alertBox(err));
        return;
      }
      if (!ctx.isCurrent()) return;
      const items = data.items || [];
      SB.replace(box, items.length ? [eventTable(items, false), data.total > HISTORY_PAGE ? pager(offset, HISTORY_PAGE, data.total, (o) => { offset = o; load(); }) : null]
        : h('p.muted', '暂无记录。'));
    }
    load();
    return { el: box, reload: () => { offset = 0; load(); } };
  }

  // ---- facts of the cycle ----

  function by(x) {
    if (!x) return '';
    const who = x.by ? x.by.name : '';
    return [who, x.at ? SB.formatTime(x.at) : ''].filter(Boolean).join(' · ');
  }

  function fact(cls, label, ...value) {
    return h('div.fact', { class: cls }, h('dt', label), h('dd', value));
  }

  const OUTCOME = { pass: '通过', fail: '不通过' };
  const CONCLUSION = { pass: '合格', fail: '不合格' };

  const CN_NUM = ['', '一', '二', '三', '四', '五', '六', '七', '八'];

  // codeLabel names a warning's code when the checklist no longer has its message.
  function codeLabel(code) {
    const m = /^missing_item:(\d)$/.exec(code);
    return m ? '第十七条（' + CN_NUM[+m[1]] + '）缺少材料' : code;
  }

  function facts(app, report, expertNames) {
    const c = app.cycle || {};
    const out = [];
    if (app.submitted_at) out.push(fact('fact-submitted', '提交日期', SB.formatDate(app.submitted_at)));
    if ((c.acknowledged || []).length) {
      const msgs = {};
      for (const w of (report && report.warnings) || []) msgs[w.code] = w.message;
      out.push(fact('fact-acks', '申报单位说明', h('ul.plain', c.acknowledged.map((k) =>
        h('li', { dataset: { code: k.code } }, h('div.muted.small', msgs[k.code] || codeLabel(k.code)), k.reason)))));
    }
    const r = c.recommendation;
    if (r) {
      out.push(fact('fact-recommendation', '推荐意见',
        h('div', '运营情况 ', h('strong', r.operation), '；服务业绩 ', h('strong', r.performance), '；满意度 ', h('strong', r.satisfaction)),
        h('div', r.opinion), h('div.muted.small', by(r))));
    }
    if ((c.experts || []).length) {
      const names = expertNames ? c.experts.map((id) => expertNames[id] || id).join('、') : c.experts.length + ' 位';
      out.push(fact('fact-experts', '评审专家', names));
    }
    if ((c.expert_reviews || []).length) {
      out.push(fact('fact-reviews', '评审结论', h('ul.plain', c.expert_reviews.map((x) => h('li',
        h('strong', x.by ? x.by.name : ''), '：' + x.score + ' 分，',
        SB.badge(CONCLUSION[x.conclusion] || x.conclusion, x.conclusion === 'pass' ? 'oc-pass' : 'oc-fail'),
        x.comment ? ' ' + x.comment : '', h('span.muted.small', ' ' + SB.formatTime(x.at)))))));
    }
    if (c.decision) {
      out.push(fact('fact-decision', '经信厅决定', SB.badge(OUTCOME[c.decision.outcome] || c.decision.outcome, c.decision.outcome === 'pass' ? 'oc-pass' : 'oc-fail'),
        c.decision.comment ? ' ' + c.decision.comment : '', h('div.muted.small', by(c.decision))));
    }
    if (c.publicity) {
      out.push(fact('fact-publicity', '公示期（' + SB.PUBLICITY_DAYS + ' 个工作日）', h('span.publicity', c.publicity.start + ' 至 ' + c.publicity.end)));
    }
    if (c.recognition) {
      out.push(fact('fact-recognition', '认定', h('span.recognition',
        '证书编号 ' + c.recognition.certificate_no + '，认定日期 ' + c.recognition.date + '，有效期至 ' + c.recognition.valid_until)));
    }
    if (c.revocation) out.push(fact('fact-revocation', '撤销认定', c.revocation.comment || '', h('div.muted.small', by(c.revocation))));
    if ((c.evaluations || []).length) {
      out.push(fact('fact-evaluations', '第三方测评', h('ul.plain', c.evaluations.map((x) => h('li',
        SB.badge(CONCLUSION[x.outcome] || x.outcome, x.outcome === 'pass' ? 'oc-pass' : 'oc-fail'), x.comment ? ' ' + x.comment : '',
        h('span.muted.small', ' ' + by(x)))))));
    }
    return out.length ? h('dl.facts', out) : null;
  }

  // returnsBox shows the recommender's returns, the latest first and most visibly (一次告知).
  function returnsBox(app) {
    const rs = ((app.cycle || {}).returns || []).slice().reverse();
    if (!rs.length) return null;
    const latest = rs[0];
    const current = app.state === 'returned';
    return h('div.returns', { class: current ? 'alert alert-error' : '' },
      h('h3', current ? '推荐单位退回意见：请逐条整改后重新提交' : '退回记录'),
      h('p.small', '退回人：' + by(latest)),
      h('ol.return-reasons', latest.reasons.map((x) => h('li', x))),
      rs.length > 1 ? h('details', h('summary', '更早的退回（' + (rs.length - 1) + ' 次）'),
        rs.slice(1).map((r) => h('div', h('p.small.muted', by(r)), h('ol', r.reasons.map((x) => h('li', x)))))) : null);
  }

  // ---- the panel ----

  // panel is the flow card of an application page. opts: appId, ctx, onChanged(app) after a
  // transition, upload(files, list) to upload files with progress rows, act (the form to open).
  function panel(opts) {
    const el = h('section.card.flow#flow', { 'aria-labelledby': 'h-flow' });
    let app = null;
    let report = null;
    let docs = [];
    let experts = null; // staff and auditors (who may read accounts): the expert accounts
    let act = opts.act || '';
    let recStatus = null; // the 推荐表 line of the recommend form
    let returnBox = null; // the reasons of the return form
    const factsBox = h('div.facts-box');

    if (SB.role() === 'staff' || SB.role() === 'auditor') {
      SB.api.get('/users?limit=200').then((d) => {
        experts = (d.items || []).filter((u) => u.role === 'expert');
        if (app && opts.ctx.isCurrent()) render();
      }).catch((err) => SB.toast(err.message, true));
    }

    function expertNames() {
      if (!experts) return null;
      const m = {};
      for (const u of experts) m[u.id] = u.name;
      return m;
    }

    function render() {
      // A form the user opened stays open when the card is drawn again (e.g. once the experts arrive).
      const open = new Set(Array.from(el.querySelectorAll('details.act[open]')).map((d) => d.id));
      SB.replace(el,
        h('h2#h-flow', '申报流程'),
        h('div.flow-state', SB.stateBadge(app), h('span.next-step', SB.nextStep(app))),
        returnsBox(app),
        SB.replace(factsBox, facts(app, report, expertNames())),
        actions());
      for (const id of open) {
        const d = el.querySelector('#' + id);
        if (d) d.open = true;
      }
      if (act) {
        const target = el.querySelector('#act-' + act);
        act = '';
        if (target) {
          if (target.tagName === 'DETAILS') target.open = true;
          requestAnimationFrame(() => {
            target.scrollIntoView({ block: 'start' });
            const f = target.querySelector('textarea, input, select, button');
            if (f) f.focus({ preventScroll: true });
          });
        }
      }
    }

    // run posts one transition and hands the new application on.
    async function run(action, body, btn, msg, done) {
      btn.disabled = true;
      msg.textContent = '正在提交…';
      msg.className = 'form-msg';
      try {
        const a = await SB.api.post('/applications/' + encodeURIComponent(opts.appId) + '/' + action, body);
        if (!opts.ctx.isCurrent()) return;
        app = a;
        if (done) done(a);
        opts.onChanged(a);
      } catch (err) {
        msg.textContent = err.message;
        msg.className = 'form-msg error';
        btn.disabled = false;
      }
    }

    function form(id, title, open, children, hint) {
      return h('details.act', { id: 'act-' + id, open: open || undefined },
        h('summary', title),
        h('div.act-body', hint ? h('p.hint', hint) : null, children));
    }

    function actions() {
      const list = [];
      const may = (x) => SB.may(x, app);
      if (may('submit')) {
        list.push(h('div.act-buttons',
          h('button.btn.btn-primary', { type: 'button', dataset: { action: 'submit' }, on: { click: () => openSubmit() } },
            app.state === 'returned' ? '重新提交申报' : '提交申报'),
          h('a.btn', { href: '#/apps/' + encodeURIComponent(app.id) + '/notice' }, '打印一次告知书')));
      }
      if (may('withdraw')) list.push(withdrawBox());
      if (may('return')) list.push(returnForm());
      if (may('recommend')) list.push(recommendForm());
      if (may('assign')) list.push(assignForm());
      if (may('conclude')) list.push(concludeForm());
      if (may('decide')) list.push(decideForm());
      if (may('grant')) list.push(grantForm());
      if (may('refuse')) list.push(reasonForm('refuse', '不予认定', '公示期间有异议并经核实的，可不予认定。', '不予认定', 'btn-danger'));
      if (may('revoke')) list.push(reasonForm('revoke', '撤销认定', '有效期内有违法违规等行为，经查实的，撤销示范平台称号（第二十二条）。', '撤销认定', 'btn-danger'));
      if (may('evaluate')) list.push(evaluationForm());
      return list.length ? h('div.cycle-actions', list) : null;
    }

    function withdrawBox() {
      const msg = h('p.form-msg', { role: 'status' });
      const confirmRow = h('div.btn-row', { hidden: true },
        h('span', '撤回后可修改材料再提交；推荐单位将不再看到本申报，直到重新提交。'),
        h('button.btn.btn-danger', { type: 'button', dataset: { action: 'withdraw-confirm' }, on: { click: (e) => run('withdraw', undefined, e.currentTarget, msg, () => SB.toast('已撤回，可修改材料后重新提交。')) } }, '确定撤回'),
        h('button.btn', { type: 'button', on: { click: () => { confirmRow.hidden = true; } } }, '取消'));
      return h('div.act-buttons',
        h('button.btn', { type: 'button', dataset: { action: 'withdraw' }, on: { click: () => { confirmRow.hidden = false; } } }, '撤回申报'),
        confirmRow, msg);
    }

    // The recommender's return: every problem at once, pre-filled from the checklist.
    function reasonsFromReport(r) {
      if (!r) return [];
      return (r.warnings || [])
        .filter((w) => (w.severity === 'blocking' || w.severity === 'attention') && w.code !== 'missing_recommendation_form')
        .map((w) => w.message);
    }

    function returnForm() {
      const ta = h('textarea#return-reasons', { rows: 8, maxlength: 20000, 'aria-describedby': 'return-hint' });
      ta.value = reasonsFromReport(report).join('\n');
      ta.addEventListener('input', () => { ta.dataset.touched = '1'; });
      returnBox = ta;
      const msg = h('p.form-msg', { role: 'status' });
      const btn = h('button.btn.btn-danger', { type: 'submit' }, '退回申报单位');
      return form('return', '退回修改', false, h('form', {
        on: {
          submit: (e) => {
            e.preventDefault();
            const reasons = ta.value.split('\n').map((x) => x.trim()).filter(Boolean);
            if (!reasons.length) { msg.textContent = '请逐条写明退回理由，每行一条。'; msg.className = 'form-msg error'; ta.focus(); return; }
            run('return', { reasons }, btn, msg, () => SB.toast('已退回申报单位修改。'));
          },
        },
      },
      h('label', { for: 'return-reasons' }, '退回理由（每行一条）'),
      h('p#return-hint.hint', '已按审核清单预填全部必须整改和需要核实的问题，请核对、增删，一次告知申报单位。'),
      ta, h('div.btn-row', btn), msg));
    }

    function recommendationDoc() {
      const forms = docs.filter((d) => !d.replaced_by && d.kind === 'recommendation_form');
      return forms.find((d) => d.status === 'done') || forms[forms.length - 1] || null;
    }

    function recStatusLine() {
      const d = recommendationDoc();
      const busy = docs.filter((x) => !x.replaced_by && (x.status === 'received' || x.status === 'processing'));
      if (d && d.status === 'done') return h('span', { dataset: { ready: 'true' } }, SB.badge('已识别', 'oc-pass'), ' ', h('a', { href: SB.docLink(d.id) }, d.file_name));
      if (busy.length) return h('span.working', { dataset: { ready: 'false' } }, '正在识别上传的文件…');
      return h('span', { dataset: { ready: 'false' } }, SB.badge('尚未上传', 'oc-fail'), ' 请上传填写完整并加盖公章的推荐表。');
    }

    function recommendForm() {
      recStatus = h('p.rec-status', recStatusLine());
      const file = h('input#rec-file', { type: 'file', accept: '.pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/*' });
      const uploads = h('ul.uploads');
      file.addEventListener('change', () => {
        const files = Array.from(file.files || []);
        file.value = '';
        if (files.length) opts.upload(files, uploads);
      });
      const grade = (id, label) => h('div.field', h('label', { for: id }, label),
        h('select', { id }, h('option', { value: '' }, '请选择'), SB.GRADES.map((g) => h('option', { value: g }, g))));
      const opinion = h('textarea#rec-opinion', { rows: 3, maxlength: 2000 });
      opinion.value = DEFAULT_OPINION;
      const msg = h('p.form-msg', { role: 'status' });
      const btn = h('button.btn.btn-primary', { type: 'submit' }, '推荐至经信厅');
      const f = h('form', {
        on: {
          submit: (e) => {
            e.preventDefault();
            const v = (id) => f.querySelector('#' + id).value;
            if (!v('rec-operation') || !v('rec-performance') || !v('rec-satisfaction')) { msg.textContent = '请选择运营情况、服务业绩和满意度的测评结果。'; msg.className = 'form-msg error'; return; }
            if (!opinion.value.trim()) { msg.textContent = '请填写推荐意见。'; msg.className = 'form-msg error'; return; }
            run('recommend', { opinion: opinion.value.trim(), operation: v('rec-operation'), performance: v('rec-performance'), satisfaction: v('rec-satisfaction') },
              btn, msg, () => SB.toast('已推荐至经信厅。'));
          },
        },
      },
      h('h4', '第一步：上传推荐表（附件1，第十六条）'),
      recStatus,
      h('div.field', h('label', { for: 'rec-file' }, '选择推荐表文件'), file),
      uploads,
      h('h4', '第二步：测评并填写推荐意见'),
      h('div.form-row', grade('rec-operation', '运营情况'), grade('rec-performance', '服务业绩'), grade('rec-satisfaction', '满意度')),
      h('div.field', h('label', { for: 'rec-opinion' }, '推荐意见'), opinion),
      h('div.btn-row', btn), msg);
      return form('recommend', '推荐', false, f);
    }

    function assignForm() {
      const msg = h('p.form-msg', { role: 'status' });
      const btn = h('button.btn.btn-primary', { type: 'submit' }, app.state === 'under_review' ? '调整评审专家' : '分配');
      const current = (app.cycle || {}).experts || [];
      const list = experts === null ? h('p.loading', '正在加载专家名单…')
        : experts.filter((u) => !u.disabled || current.includes(u.id)).length
          ? h('div.checks-row.expert-list', experts.filter((u) => !u.disabled || current.includes(u.id)).map((u) => h('label.check-label',
            h('input', { type: 'checkbox', name: 'expert', value: u.id, checked: current.includes(u.id) }), ' ' + u.name + (u.login ? '（' + u.login + '）' : ''))))
          : h('p.muted', '还没有评审专家账户，请先在“账户管理”中新建。');
      const f = h('form', {
        on: {
          submit: (e) => {
            e.preventDefault();
            const ids = Array.from(f.querySelectorAll('input[name=expert]:checked')).map((x) => x.value);
            if (!ids.length) { msg.textContent = '请至少选择一位评审专家。'; msg.className = 'form-msg error'; return; }
            run('experts', { experts: ids }, btn, msg, () => SB.toast('已分配评审专家。'));
          },
        },
      }, list, h('div.btn-row', btn), msg);
      return form('assign', '分配评审专家', false, f, '第十八条：经信厅组织专家对申报材料进行评审；全部专家提交结论后即可作出决定。');
    }

    function concludeForm() {
      const me = SB.session.user.id;
      const mine = ((app.cycle || {}).expert_reviews || []).find((r) => r.by && r.by.id === me);
      const score = h('input#c-score', { type: 'number', min: 0, max: 100, step: 1, required: true, value: mine ? String(mine.score) : '' });
      const comment = h('textarea#c-comment', { rows: 3, maxlength: 2000 });
      if (mine) comment.value = mine.comment || '';
      const radio = (v, label) => h('label.check-label', h('input', { type: 'radio', name: 'conclusion', value: v, checked: mine ? mine.conclusion === v : false }), ' ' + label);
      const msg = h('p.form-msg', { role: 'status' });
      const btn = h('button.btn.btn-primary', { type: 'submit' }, mine ? '修改评审结论' : '提交评审结论');
      const f = h('form', {
        on: {
          submit: (e) => {
            e.preventDefault();
            const n = parseInt(score.value, 10);
            const c = f.querySelector('input[name=conclusion]:checked');
            if (!(n >= 0 && n <= 100)) { msg.textContent = '评分应为 0–100 的整数。'; msg.className = 'form-msg error'; score.focus(); return; }
            if (!c) { msg.textContent = '请选择评审结论。'; msg.className = 'form-msg error'; return; }
            run('conclusion', { score: n, conclusion: c.value, comment: comment.value.trim() }, btn, msg, () => SB.toast('评审结论已提交。'));
          },
        },
      },
      h('div.form-row',
        h('div.field.narrow', h('label', { for: 'c-score' }, '评分（0–100）'), score),
        h('fieldset.field', h('legend', '评审结论'), h('div.checks-row', radio('pass', '合格'), radio('fail', '不合格')))),
      h('div.field', h('label', { for: 'c-comment' }, '评审意见'), comment),
      h('div.btn-row', btn), msg);
      return form('conclude', mine ? '评审结论（已提交，可修改）' : '评审结论', false, f);
    }

    function decideForm() {
      const start = h('input#d-start', { type: 'date' });
      const comment = h('textarea#d-comment', { rows: 2, maxlength: 2000 });
      const radio = (v, label, checked) => h('label.check-label', h('input', { type: 'radio', name: 'outcome', value: v, checked }), ' ' + label);
      const msg = h('p.form-msg', { role: 'status' });
      const btn = h('button.btn.btn-primary', { type: 'submit' }, '作出决定');
      const startRow = h('div.field', h('label', { for: 'd-start' }, '公示开始日期'), start,
        h('p.hint', '公示 ' + SB.PUBLICITY_DAYS + ' 个工作日（第十八条），结束日期按官方工作日历（节假日、调休）计算；不填为今天。'));
      const f = h('form', {
        on: {
          change: () => { startRow.hidden = (f.querySelector('input[name=outcome]:checked') || {}).value === 'fail'; },
          submit: (e) => {
            e.preventDefault();
            const o = f.querySelector('input[name=outcome]:checked');
            if (!o) { msg.textContent = '请选择决定。'; msg.className = 'form-msg error'; return; }
            if (o.value === 'fail' && !comment.value.trim()) { msg.textContent = '不予认定时请写明理由。'; msg.className = 'form-msg error'; comment.focus(); return; }
            run('decision', { outcome: o.value, comment: comment.value.trim(), publicity_start: o.value === 'pass' ? start.value : '' }, btn, msg, (a) => {
              const p = (a.cycle || {}).publicity;
              SB.toast(o.value === 'pass' && p ? '已决定通过，公示期 ' + p.start + ' 至 ' + p.end + '。' : '已决定不予认定。');
            });
          },
        },
      },
      h('fieldset.field', h('legend', '决定'), h('div.checks-row', radio('pass', '通过，进入公示', true), radio('fail', '不予认定', false))),
      startRow,
      h('div.field', h('label', { for: 'd-comment' }, '说明'), comment),
      h('div.btn-row', btn), msg);
      return form('decide', '作出决定', false, f);
    }

    function grantForm() {
      const no = h('input#g-cert', { type: 'text', maxlength: 50, placeholder: '如：藏经信认〔2026〕1号' });
      const msg = h('p.form-msg', { role: 'status' });
      const btn = h('button.btn.btn-primary', { type: 'submit' }, '授予称号');
      const p = (app.cycle || {}).publicity;
      const f = h('form', {
        on: {
          submit: (e) => {
            e.preventDefault();
            if (!no.value.trim()) { msg.textContent = '请填写证书编号。'; msg.className = 'form-msg error'; no.focus(); return; }
            run('grant', { certificate_no: no.value.trim() }, btn, msg, (a) => {
              const r = (a.cycle || {}).recognition;
              SB.toast('已授予“西藏自治区中小企业公共服务示范平台”称号' + (r ? '，有效期至 ' + r.valid_until : '') + '。');
            });
          },
        },
      }, h('div.field', h('label', { for: 'g-cert' }, '证书编号'), no), h('div.btn-row', btn), msg);
      return form('grant', '授予称号', false, f, '第十九条；公示期' + (p ? '至 ' + p.end : '') + '，期满后方可授予。认定有效期三年（第二十二条）。');
    }

    function reasonForm(action, title, hint, label, cls) {
      const ta = h('textarea', { id: 'r-' + action, rows: 3, maxlength: 2000 });
      const msg = h('p.form-msg', { role: 'status' });
      const btn = h('button.btn', { type: 'submit', class: cls }, label);
      const f = h('form', {
        on: {
          submit: (e) => {
            e.preventDefault();
            if (!ta.value.trim()) { msg.textContent = '请写明理由。'; msg.className = 'form-msg error'; ta.focus(); return; }
            run(action, { reason: ta.value.trim() }, btn, msg, () => SB.toast(title + '已记录。'));
          },
        },
      }, h('div.field', h('label', { for: 'r-' + action }, '理由'), ta), h('div.btn-row', btn), msg);
      return form(action, title, false, f, hint);
    }

    function evaluationForm() {
      const comment = h('textarea#e-comment', { rows: 2, maxlength: 2000 });
      const radio = (v, label) => h('label.check-label', h('input', { type: 'radio', name: 'result', value: v }), ' ' + label);
      const msg = h('p.form-msg', { role: 'status' });
      const btn = h('button.btn', { type: 'submit' }, '记录测评结果');
      const f = h('form', {
        on: {
          submit: (e) => {
            e.preventDefault();
            const r = f.querySelector('input[name=result]:checked');
            if (!r) { msg.textContent = '请选择测评结果。'; msg.className = 'form-msg error'; return; }
            run('evaluations', { result: r.value, comment: comment.value.trim() }, btn, msg, () => SB.toast('测评结果已记录。'));
          },
        },
      },
      h('fieldset.field', h('legend', '测评结果'), h('div.checks-row', radio('pass', '合格'), radio('fail', '不合格（撤销称号）'))),
      h('div.field', h('label', { for: 'e-comment' }, '说明'), comment),
      h('div.btn-row', btn), msg);
      return form('evaluate', '记录第三方测评', false, f, '第二十三条：经信厅委托第三方机构测评，测评不合格的平台将撤销示范平台称号。');
    }

    // ---- the submit dialog: what is missing, and a reason for each blocking warning ----

    async function openSubmit() {
      let r;
      try {
        r = await SB.api.get('/applications/' + encodeURIComponent(opts.appId) + '/checklist');
      } catch (err) {
        SB.toast(err.message, true);
        return;
      }
      if (!opts.ctx.isCurrent()) return;
      report = r;
      const busy = docs.filter((d) => !d.replaced_by && (d.status === 'received' || d.status === 'processing')).length;
      const missing = (r.items || []).filter((it) => it.number > 0 && !it.present);
      const blocking = (r.warnings || []).filter((w) => w.severity === 'blocking' && w.code !== 'missing_recommendation_form');
      const attention = (r.warnings || []).filter((w) => w.severity === 'attention');
      const previous = {};
      for (const k of (app.cycle || {}).acknowledged || []) previous[k.code] = k.reason;
      const msg = h('div.form-error', { 'aria-live': 'assertive' });
      const ok = h('button.btn.btn-primary', { type: 'submit', dataset: { action: 'submit-confirm' } }, '确认提交');
      const cancel = h('button.btn', { type: 'button', on: { click: () => dlg.close() } }, '取消');
      const acks = blocking.map((w, i) => {
        const id = 'ack-' + i;
        const ta = h('textarea', { id, rows: 2, maxlength: 500, dataset: { code: w.code } });
        ta.value = previous[w.code] || '';
        return h('li.ack', { dataset: { code: w.code } },
          h('div', w.message),
          w.advice ? h('div.advice.small', '怎么办：' + w.advice) : null,
          h('label.small', { for: id }, '暂不整改的理由'),
          ta);
      });
      const dlg = h('dialog.submit-dialog', { 'aria-labelledby': 'submit-title' },
        h('form', {
          method: 'dialog',
          on: {
            submit: async (e) => {
              e.preventDefault();
              SB.clear(msg);
              const boxes = Array.from(dlg.querySelectorAll('li.ack textarea'));
              const empty = boxes.filter((t) => !t.value.trim());
              for (const t of boxes) t.removeAttribute('aria-invalid');
              if (empty.length) {
                for (const t of empty) t.setAttribute('aria-invalid', 'true');
                SB.replace(msg, SB.alertBox('还有 ' + empty.length + ' 个必须整改的问题未说明理由：请先整改，或逐条说明理由。'));
                empty[0].focus();
                return;
              }
              ok.disabled = true;
              try {
                const a = await SB.api.post('/applications/' + encodeURIComponent(opts.appId) + '/submit',
                  { acknowledgements: boxes.map((t) => ({ code: t.dataset.code, reason: t.value.trim() })) });
                dlg.close();
                if (!opts.ctx.isCurrent()) return;
                app = a;
                SB.toast('申报已提交，等待推荐单位审核。');
                opts.onChanged(a);
              } catch (err) {
                SB.replace(msg, SB.alertBox(err));
                ok.disabled = false;
              }
            },
          },
        },
        h('h2#submit-title', app.state === 'returned' ? '重新提交申报' : '提交申报'),
        h('p', app.org_name + ' · ' + app.year + ' 年度'),
        busy ? h('p.alert.alert-error', '还有 ' + busy + ' 份材料正在识别，请识别完成、核对结果后再提交。') : null,
        missing.length ? [h('h3', '尚缺的材料（第十七条）'), h('ul.missing-items', missing.map((it) => h('li', { dataset: { item: String(it.number) } }, it.article + ' ' + it.title,
          it.advice ? h('div.advice.small', it.advice) : null)))] : null,
        blocking.length ? [
          h('h3', '必须整改的问题（' + blocking.length + '）'),
          h('p.hint', '请先整改；确有理由暂不整改的，逐条说明理由，随申报一并提交推荐单位和经信厅。'),
          h('ol.acks', acks),
        ] : h('p.alert.alert-info', '未发现必须整改的问题。'),
        attention.length ? [h('h3', '需要核实的问题（' + attention.length + '）'), h('ul.attention', attention.map((w) => h('li', w.message)))] : null,
        h('p.hint', '推荐表（附件1）由推荐单位在推荐时上传，无需申报单位提交。提交后推荐前可以撤回。'),
        msg,
        h('div.btn-row', ok, cancel)));
      dlg.addEventListener('close', () => dlg.remove());
      document.body.appendChild(dlg);
      dlg.showModal();
      const first = dlg.querySelector('li.ack textarea');
      if (first) first.focus(); else ok.focus();
    }

    return {
      el,
      setApp(a) { app = a; render(); },
      setDocs(d) {
        docs = d || [];
        if (recStatus) SB.replace(recStatus, recStatusLine());
      },
      setReport(r) {
        report = r;
        if (app) SB.replace(factsBox, facts(app, report, expertNames()));
        if (returnBox && !returnBox.dataset.touched && !returnBox.value.trim()) returnBox.value = reasonsFromReport(r).join('\n');
      },
    };
  }

  SB.cycle = { panel, history, eventTable, pager };
})();
