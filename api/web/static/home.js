// Each role's home at #/: the applicant's applications, the recommender's queue, the expert's
// assignments, and the staff's and auditor's view of the whole round.
'use strict';

(function () {
  const SB = window.SB;
  const h = SB.h;

  SB.screens.home = function (main, _id, ctx) {
    switch (SB.role()) {
      case 'applicant': return applicantHome(main, ctx);
      case 'recommender': return recommenderHome(main, ctx);
      case 'expert': return expertHome(main, ctx);
      case 'staff': case 'auditor': return staffHome(main, ctx);
    }
    SB.append(main, h('p.alert.alert-error', '该账户的角色无法使用本系统。'));
    return null;
  };

  // ---- rounds (第二十条) ----

  // Whether a round is open is the server's to say: its clock is the one that counts.
  function roundState(r) {
    return r.open ? ['受理中', 'oc-pass'] : ['不在受理期', 'sev-zero'];
  }

  function roundLine(r) {
    const [label, cls] = roundState(r);
    return h('li.round', { dataset: { year: String(r.year), open: String(r.open) } },
      h('strong', r.year + ' 年度'), ' 受理 ', r.opens, ' 至 ', r.closes, ' ',
      SB.badge(label, cls),
      r.notice ? h('span.muted', ' · ' + r.notice) : null);
  }

  async function loadRounds() {
    const d = await SB.api.get('/rounds');
    return d.items || [];
  }

  // roundsCard lists the yearly rounds; staff open or change one.
  function roundsCard(ctx, editable) {
    const list = h('div.rounds-list', h('p.loading', '正在加载…'));
    const card = h('section.card.rounds-card', { 'aria-labelledby': 'h-rounds' },
      h('h2#h-rounds', '年度申报（第二十条）'), list);
    let rounds = [];
    async function refresh() {
      try {
        rounds = await loadRounds();
      } catch (err) {
        if (ctx.isCurrent()) SB.replace(list, SB.alertBox(err));
        return;
      }
      if (!ctx.isCurrent()) return;
      SB.replace(list, rounds.length ? h('ul.rounds', rounds.map(roundLine)) : h('p.muted', '尚未发布任何年度的申报。'));
    }
    if (editable) card.appendChild(roundForm(() => rounds, refresh));
    refresh();
    return card;
  }

  function roundForm(getRounds, refresh) {
    const year0 = new Date().getFullYear();
    const year = h('input#r-year', { type: 'number', min: 2000, max: year0 + 1, step: 1, required: true, value: String(year0) });
    const opens = h('input#r-opens', { type: 'date', required: true });
    const closes = h('input#r-closes', { type: 'date', required: true });
    const notice = h('input#r-notice', { type: 'text', maxlength: 200, placeholder: '如：藏经信发〔2026〕12号' });
    const msg = h('p.form-msg', { role: 'status' });
    const save = h('button.btn.btn-primary', { type: 'submit' }, '发布');
    function fill() {
      const r = getRounds().find((x) => String(x.year) === year.value);
      save.textContent = r ? '修改' : '发布';
      if (r) { opens.value = r.opens; closes.value = r.closes; notice.value = r.notice || ''; }
    }
    year.addEventListener('change', fill);
    const form = h('details.round-form',
      h('summary', '发布或修改年度申报'),
      h('form', {
        on: {
          submit: async (e) => {
            e.preventDefault();
            if (!year.value || !opens.value || !closes.value) { msg.textContent = '请填写年度和受理起止日期。'; msg.className = 'form-msg error'; return; }
            save.disabled = true;
            msg.textContent = '正在保存…';
            msg.className = 'form-msg';
            try {
              const r = await SB.api.post('/rounds', { year: parseInt(year.value, 10), opens: opens.value, closes: closes.value, notice: notice.value.trim() });
              msg.textContent = r.year + ' 年度申报已发布：' + r.opens + ' 至 ' + r.closes + (r.open ? '，正在受理。' : '。');
              SB.toast(msg.textContent);
              await refresh();
              opens.value = r.opens;
              closes.value = r.closes;
              save.textContent = '修改';
            } catch (err) {
              msg.textContent = err.message;
              msg.className = 'form-msg error';
            }
            save.disabled = false;
          },
        },
      },
      h('div.form-row',
        h('div.field.narrow', h('label', { for: 'r-year' }, '年度'), year),
        h('div.field', h('label', { for: 'r-opens' }, '受理开始'), opens),
        h('div.field', h('label', { for: 'r-closes' }, '受理截止'), closes)),
      h('div.field', h('label', { for: 'r-notice' }, '申报通知（文号或标题）'), notice),
      h('div.btn-row', save), msg));
    form.addEventListener('toggle', fill);
    return form;
  }

  // ---- applicant ----

  // The states of a platform that is or was recognised, and so has yearly duties.
  const RECOGNISED = ['recognised', 'expired', 'revoked'];

  function applicantHome(main, ctx) {
    document.title = '我的申报 · 申报材料审核';
    const round = h('div.round-note');
    const body = h('div.dash-body', h('p.loading', '正在加载…'));
    const duties = h('div.duties-slot');
    SB.append(main,
      h('div.page-head', h('h1', '我的申报'), h('a.btn.btn-primary#new-app', { href: '#/apps/new' }, '＋ 新建申报')),
      round, duties, body);
    loadRounds().then((rs) => {
      if (!ctx.isCurrent()) return;
      const open = rs.filter((r) => r.open);
      SB.replace(round, open.length
        ? h('p.alert.alert-info', open.map((r) => r.year + ' 年度申报正在受理（' + r.opens + ' 至 ' + r.closes + '）' + (r.notice ? '，' + r.notice : '') + '。').join(''))
        : h('p.muted', '当前没有正在受理的年度申报；可先准备材料，受理期内提交。'));
    }).catch(() => {});
    (async () => {
      let data;
      try {
        data = await SB.api.get('/dashboard?limit=100&sort=newest');
      } catch (err) {
        if (ctx.isCurrent()) SB.replace(body, SB.alertBox(err));
        return;
      }
      if (!ctx.isCurrent()) return;
      const items = data.items || [];
      if (!items.length) {
        SB.replace(body, h('div.card.empty',
          h('p', '还没有申报。新建申报后上传全部申报材料，系统将自动识别并逐项告知缺漏和问题。'),
          h('p', h('a.btn.btn-primary', { href: '#/apps/new' }, '新建申报'))));
        return;
      }
      SB.replace(body, SB.appTable(items, { caption: '我的申报' }));
      // A recognised platform owes a work summary every year (第二十一条).
      if (items.some((it) => RECOGNISED.includes(it.application.state))) SB.replace(duties, SB.dutiesCard(ctx));
    })();
    return null;
  }

  // ---- recommender: its region's queue, submitted first ----

  function recommenderHome(main, ctx) {
    document.title = '待推荐申报 · 申报材料审核';
    const u = SB.session.user;
    const queue = h('div.queue', h('p.loading', '正在加载…'));
    const rest = h('div.others');
    SB.append(main,
      h('div.page-head', h('h1', '待推荐申报'), h('span.muted', u.region || '')),
      h('p.lead', '本地区申报单位提交的申报（第十五、十六条）：审核材料后，退回修改（一次告知全部问题），或上传《推荐表》并测评后推荐至经信厅。'),
      h('section', { 'aria-labelledby': 'h-queue' }, h('h2#h-queue', '待处理'), queue),
      h('section', { 'aria-labelledby': 'h-others' }, h('h2#h-others', '本地区其他申报'), rest),
      SB.dutiesCard(ctx));
    (async () => {
      let data;
      try {
        data = await SB.api.get('/dashboard?limit=200&sort=newest');
      } catch (err) {
        if (ctx.isCurrent()) SB.replace(queue, SB.alertBox(err));
        return;
      }
      if (!ctx.isCurrent()) return;
      const items = data.items || [];
      const waiting = items.filter((it) => it.application.state === 'submitted');
      const others = items.filter((it) => it.application.state !== 'submitted');
      const actions = (a) => {
        const base = '#/apps/' + encodeURIComponent(a.id);
        return SB.may('return', a) ? h('div.btn-row',
          h('a.btn.btn-small', { href: base + '?act=return', dataset: { act: 'return' } }, '退回'),
          h('a.btn.btn-small.btn-primary', { href: base + '?act=recommend', dataset: { act: 'recommend' } }, '推荐'))
          : h('a.btn.btn-small', { href: base }, '查看');
      };
      SB.replace(queue, waiting.length ? SB.appTable(waiting, { caption: '待处理的申报', actions }) : h('p.card.empty', '没有待处理的申报。'));
      SB.replace(rest, others.length ? SB.appTable(others, { caption: '本地区其他申报', actions }) : h('p.muted', '暂无。'));
      if (data.total > items.length) rest.appendChild(h('p.hint', '仅显示最近 ' + items.length + ' 个申报。'));
    })();
    return null;
  }

  // ---- expert: its assignments ----

  function expertHome(main, ctx) {
    document.title = '评审任务 · 申报材料审核';
    const body = h('div.dash-body', h('p.loading', '正在加载…'));
    SB.append(main,
      h('div.page-head', h('h1', '评审任务')),
      h('p.lead', '经信厅分配给您评审的申报（第十八条）：逐份核对材料，再提交评分和评审结论。'),
      body);
    (async () => {
      let data;
      try {
        data = await SB.api.get('/dashboard?limit=200&sort=newest');
      } catch (err) {
        if (ctx.isCurrent()) SB.replace(body, SB.alertBox(err));
        return;
      }
      if (!ctx.isCurrent()) return;
      const items = (data.items || []).slice().sort((x, y) => (x.application.state === 'under_review' ? 0 : 1) - (y.application.state === 'under_review' ? 0 : 1));
      if (!items.length) { SB.replace(body, h('p.card.empty', '暂无分配给您的评审任务。')); return; }
      const me = SB.session.user.id;
      SB.replace(body, SB.appTable(items, {
        caption: '评审任务',
        actions: (a) => {
          const base = '#/apps/' + encodeURIComponent(a.id);
          const mine = ((a.cycle || {}).expert_reviews || []).find((r) => r.by && r.by.id === me);
          return h('div',
            mine ? h('div.small', SB.badge('已提交结论', 'oc-pass'), ' ' + mine.score + ' 分，' + (mine.conclusion === 'pass' ? '合格' : '不合格')) : null,
            h('div.btn-row',
              h('a.btn.btn-small', { href: base + '?act=docs', dataset: { act: 'docs' } }, '审核材料'),
              SB.may('conclude', a) ? h('a.btn.btn-small.btn-primary', { href: base + '?act=conclude', dataset: { act: 'conclude' } }, mine ? '修改结论' : '评审结论') : null));
        },
      }));
    })();
    return null;
  }

  // ---- staff and auditor ----

  function staffHome(main, ctx) {
    const staff = SB.role() === 'staff';
    document.title = (staff ? '工作台' : '申报一览') + ' · 申报材料审核';
    SB.append(main,
      h('div.page-head', h('h1', staff ? '工作台' : '申报一览'),
        staff ? null : h('a.btn', { href: '#/events' }, '操作记录')),
      roundsCard(ctx, staff),
      SB.dutiesCard(ctx));
    const list = h('div.dash');
    main.appendChild(list);
    SB.dashboardList(list, ctx);
    return null;
  }
})();
