// The checklist (一次告知): items of 第十七条 and the 推荐表, verdicts of 第十二、十三条 and every warning
// grouped by severity, with links to the evidence and, for reviewers, accept/reject per item.
'use strict';

(function () {
  const SB = window.SB;
  const h = SB.h;
  const CN_NUM = ['', '一', '二', '三', '四', '五', '六', '七', '八'];

  function evidenceLabel(e) {
    let s = SB.kindName(e.kind);
    if (e.file_name) s += '（' + e.file_name + '）';
    if (e.page) s += ' 第' + e.page + '页';
    if (e.field) s += ' · ' + SB.fieldLabel(e.field);
    return s;
  }

  function evidenceLinks(list) {
    if (!list || list.length === 0) return null;
    const seen = new Set();
    const links = [];
    for (const e of list) {
      if (!e.document_id) continue;
      const key = e.document_id + '|' + e.page + '|' + e.field;
      if (seen.has(key)) continue;
      seen.add(key);
      links.push(h('a.evidence', { href: SB.docLink(e.document_id, e.page, e.field), title: e.text || undefined }, '见 ' + evidenceLabel(e)));
    }
    return links.length ? h('div.evidence-list', links) : null;
  }

  // reviewError explains a failed review call; a missing route means the server has no review API yet.
  function reviewError(err) {
    if (err.status === 404 && err.code === 'not_found' && /地址不存在/.test(err.message)) {
      return '服务器尚未提供审核功能（接口不存在），审核意见未保存。';
    }
    return err.message;
  }

  const DECISION = { accept: ['已接受', 'oc-pass'], reject: ['已退回', 'oc-fail'] };

  function reviewState(r) {
    if (!r) return null;
    const d = DECISION[r.decision] || [r.decision, ''];
    return h('div.review-state', { dataset: { decision: r.decision } },
      SB.badge(d[0], d[1]),
      h('span.muted', ' ' + (r.by || '') + (r.at ? ' · ' + SB.formatTime(r.at) : '')),
      r.comment ? h('div.review-comment', r.comment) : null);
  }

  // itemReview is the accept/reject form of one item.
  function itemReview(appId, it, onReviewed) {
    const id = 'rv-' + it.number + '-' + Math.random().toString(36).slice(2, 7);
    const comment = h('textarea', { id, rows: 2, maxlength: 500, placeholder: '审核意见（退回时请写明原因）' });
    if (it.review && it.review.comment) comment.value = it.review.comment;
    const msg = h('p.form-msg', { role: 'status' });
    async function decide(decision, btn) {
      if (decision === 'reject' && !comment.value.trim()) {
        msg.textContent = '退回时请填写原因。';
        msg.className = 'form-msg error';
        comment.focus();
        return;
      }
      btn.disabled = true;
      msg.textContent = '正在保存…';
      msg.className = 'form-msg';
      try {
        const report = await SB.api.post('/applications/' + encodeURIComponent(appId) + '/items/' + it.number,
          { decision, comment: comment.value.trim() });
        SB.toast(decision === 'accept' ? '已接受该项材料。' : '已退回该项材料。');
        onReviewed(report);
      } catch (err) {
        msg.textContent = reviewError(err);
        msg.className = 'form-msg error';
        btn.disabled = false;
      }
    }
    const accept = h('button.btn.btn-ok', { type: 'button', dataset: { action: 'accept' } }, '接受');
    const reject = h('button.btn.btn-danger', { type: 'button', dataset: { action: 'reject' } }, '退回');
    accept.addEventListener('click', () => decide('accept', accept));
    reject.addEventListener('click', () => decide('reject', reject));
    return h('details.item-review',
      h('summary', it.review ? '修改审核意见' : '审核此项'),
      h('label.sr-only', { for: id }, '审核意见'),
      comment,
      h('div.btn-row', accept, reject),
      msg);
  }

  function itemTitle(it) {
    return it.number > 0 ? '（' + CN_NUM[it.number] + '）' : '推荐表';
  }

  // itemBadge is an item's state: submitted; still being read while documents are (one of them may
  // serve it); for the applicant, still to upload (neutral: nothing is wrong yet); for reviewers, missing.
  function itemBadge(it, opts) {
    if (it.present) return ['已提交', 'oc-pass', 'present'];
    if (opts.pending) return ['正在识别', 'st-processing', 'reading'];
    if (opts.applicant) return it.number === 0 ? ['由推荐单位上传', 'sev-zero', 'recommender'] : ['待上传', 'sev-zero', 'todo'];
    return ['缺少', 'oc-fail', 'missing'];
  }

  function renderItem(appId, it, opts) {
    const docs = it.documents || [];
    const [label, cls, state] = itemBadge(it, opts);
    return h('li.item', { class: it.present ? 'present' : (state === 'missing' ? 'missing' : 'absent'), dataset: { item: String(it.number), present: String(it.present), state } },
      h('div.item-head',
        h('span.item-no', itemTitle(it)),
        h('div.item-title',
          h('span', it.title),
          h('span.muted.small', ' ' + it.article)),
        SB.badge(label, cls)),
      docs.length ? h('ul.item-docs', docs.map((d) => h('li',
        h('a', { href: SB.docLink(d.id) }, d.file_name),
        h('span.muted', ' · ' + (d.kind_name || SB.kindName(d.kind))),
        d.problems && d.problems.length
          ? h('ul.problems', d.problems.map((p) => h('li', h('a', { href: SB.docLink(d.id, p.pages && p.pages[0]) }, p.message))))
          : null)))
        : (opts.applicant ? null : h('p.muted.small', state === 'reading' ? '尚无已识别的材料可作为此项，有材料正在识别。' : '尚未上传可作为此项的材料。')),
      reviewState(it.review),
      opts.review ? itemReview(appId, it, opts.onReviewed) : null);
  }

  function renderVerdict(v) {
    const oc = SB.OUTCOME[v.outcome] || [v.outcome, ''];
    return h('li.verdict', { dataset: { key: v.key, outcome: v.outcome } },
      h('div.item-head',
        h('span.item-article', v.article),
        h('span.item-title', v.title),
        SB.badge(oc[0], oc[1])),
      h('ul.checks', (v.checks || []).map((c) => {
        const co = SB.OUTCOME[c.outcome] || [c.outcome, ''];
        return h('li.check', { dataset: { outcome: c.outcome } },
          h('span.dot', { class: co[1], title: co[0], 'aria-label': co[0] }),
          h('div',
            h('div', c.reason || co[0]),
            (c.figures || []).length ? h('div.figures', c.figures.map((f) => h('span.figure',
              SB.fieldLabel(f.name) + '：' + SB.formatFigure(f.name, f.value) + ' ',
              f.evidence && f.evidence.document_id
                ? h('a.evidence', { href: SB.docLink(f.evidence.document_id, f.evidence.page, f.evidence.field) }, '出处')
                : null))) : null));
      })));
  }

  // isMissing tells a warning that only says an item is not there yet (shown by the items).
  function isMissing(w) {
    return /^missing_item:/.test(w.code) || w.code === 'missing_recommendation_form';
  }

  // plainMessage is a warning's message for the applicant: the article moved from the front to the
  // end, and no request for a manual check (that is the reviewers' work, not the applicant's).
  function plainMessage(w) {
    let m = String(w.message || '');
    let art = w.article || '';
    const lead = /^(第[^：]{1,12}条(?:（[^）]+）)?)：/.exec(m);
    if (lead) { art = art || lead[1]; m = m.slice(lead[0].length); }
    m = m.replace(/，?请人工核对(原件)?。?/g, '。').replace(/，?请核对原件。?/g, '。').replace(/。+/g, '。');
    return m + (art ? '（' + art + '）' : '');
  }

  // renderAdvice lists, for the applicant, each problem as what to do first and why after it.
  function renderAdvice(warnings, nothingRead) {
    const groups = SB.SEVERITY.map(([sev, name, cls]) => {
      const list = warnings.filter((w) => (w.severity || 'note') === sev);
      if (!list.length) return null;
      return h('section.sev-group', { class: cls, dataset: { severity: sev } },
        h('h4', name, h('span.count', String(list.length))),
        h('ul.warnings', list.map((w) => h('li.warning', { dataset: { code: w.code } },
          w.advice ? h('div.advice', w.advice) : null,
          h('div.why.small', plainMessage(w)),
          evidenceLinks(w.evidence)))));
    }).filter(Boolean);
    if (groups.length) return h('div.sev-groups', groups);
    return h('p.muted.no-problems', nothingRead ? '上传的材料识别完成后，发现的问题会列在这里。' : '已识别的材料中暂未发现问题。');
  }

  function renderWarnings(warnings) {
    const groups = SB.SEVERITY.map(([sev, name, cls]) => {
      const list = warnings.filter((w) => (w.severity || 'note') === sev);
      return h('section.sev-group', { class: cls, dataset: { severity: sev } },
        h('h4', name, h('span.count', String(list.length))),
        list.length
          ? h('ul.warnings', list.map((w) => h('li.warning', { dataset: { code: w.code } },
            h('div', w.message),
            evidenceLinks(w.evidence))))
          : h('p.muted.small', '无'));
    });
    return h('div.sev-groups', groups);
  }

  // render builds the whole checklist. opts: appId, review (show accept/reject), onReviewed(report),
  // applicant (the notice written for the applicant: what to upload and what to do first, neutral
  // about what is simply not uploaded yet), pending (documents still being read).
  function render(report, opts) {
    const s = report.summary || {};
    const items = report.items || [];
    const numbered = items.filter((it) => it.number > 0);
    const form = items.find((it) => it.number === 0);
    const all = report.warnings || [];
    // For the applicant, an item not uploaded yet is a thing to do, not a fault: it is counted and
    // listed apart from the problems.
    const problems = opts.applicant ? all.filter((w) => !isMissing(w)) : all;
    const count = (sev) => problems.filter((w) => (w.severity || 'note') === sev).length;
    const blocking = opts.applicant ? count('blocking') : (s.blocking || 0);
    const attention = opts.applicant ? count('attention') : (s.attention || 0);
    const notes = opts.applicant ? count('note') : (s.notes || 0);
    const todo = numbered.filter((it) => !it.present);
    let formBadge = null;
    if (form) {
      if (form.present) formBadge = SB.badge('推荐表已提交', 'oc-pass');
      else if (!opts.applicant) formBadge = SB.badge('缺少推荐表', 'oc-fail');
    }
    const wrap = h('div.checklist', { dataset: { blocking: String(blocking), todo: String(todo.length), pending: String(opts.pending || 0) } },
      h('div.summary',
        h('div.summary-main',
          h('strong', '第十七条材料 ' + (s.items_present || 0) + '/' + (s.items_total || 8) + ' 项'),
          formBadge,
          opts.pending ? SB.badge(opts.pending + ' 份正在识别', 'st-processing') : null),
        h('div.counts',
          opts.applicant && todo.length ? SB.badge((opts.pending ? '待确认 ' : '待上传 ') + todo.length + ' 项', 'sev-zero todo-count') : null,
          SB.badge('必须整改 ' + blocking, blocking ? 'sev-blocking' : 'sev-zero'),
          SB.badge('需要核实 ' + attention, attention ? 'sev-attention' : 'sev-zero'),
          SB.badge('提示 ' + notes, notes ? 'sev-note' : 'sev-zero')),
        h('p.muted.small', '按已完成识别的材料计算，截至 ' + report.as_of + '，审核年度 ' + report.evaluation_year + ' 年' +
          (opts.applicant ? '（即申报年度的上一年）' : '') + '。')),
      opts.applicant ? renderTodo(todo, form, opts) : null,
      h('h3', opts.applicant ? '需要处理的问题' : '问题清单'),
      opts.applicant ? renderAdvice(problems, !(s.items_present || (report.others || []).length || form && form.present)) : renderWarnings(all),
      fold(opts.applicant, '逐项查看：申报材料（第十七条、第十六条）',
        h('ol.items', numbered.concat(form ? [form] : []).map((it) => renderItem(opts.appId, it, opts))),
        (report.others || []).length ? [
          h('h3', '未归入任何一项的材料'),
          h('ul.item-docs.others', report.others.map((d) => h('li',
            h('a', { href: SB.docLink(d.id) }, d.file_name),
            h('span.muted', ' · ' + (d.kind_name || SB.kindName(d.kind)))))),
        ] : null),
      fold(opts.applicant, '逐项查看：申报条件（第十二条、第十三条）',
        h('ol.verdicts', (report.verdicts || []).map(renderVerdict))));
    return wrap;
  }

  // renderTodo is the applicant's list of what is still to upload, each with what to upload; while
  // documents are being read, it waits for them before calling anything missing.
  function renderTodo(todo, form, opts) {
    const head = h('h3', '还需上传的材料');
    if (!todo.length) {
      return [head, h('p.muted.todo-done', '第十七条要求的八项材料都已识别到。' +
        (form && !form.present ? '推荐表由所在地（市）经济和信息化局或园区管委会上传。' : ''))];
    }
    return [head,
      opts.pending
        ? h('p.hint.todo-wait', '还有 ' + opts.pending + ' 份材料正在识别，识别完成后才能确定以下各项是否已齐；无需重复上传。')
        : null,
      h('ul.todo-list', todo.map((it) => h('li', { dataset: { item: String(it.number), state: opts.pending ? 'reading' : 'todo' } },
        h('span.item-no', itemTitle(it)),
        h('div',
          h('div', it.advice || ('请上传' + it.title + '。')),
          h('span.muted.small', it.article))))),
      form && !form.present ? h('p.muted.small.form-note', '推荐表由所在地（市）经济和信息化局或园区管委会填写并上传，申报单位无需上传。') : null];
  }

  // fold is a section under its heading, or for the applicant (who reads what to do above it) folded
  // under a summary that opens it.
  function fold(folded, title, ...body) {
    if (!folded) return [h('h3', title.replace(/^逐项查看：/, '')), ...body];
    return h('details.fold', h('summary', title), ...body);
  }

  // renderItems shows only some items (the reviewer view shows those a document serves).
  function renderItems(report, numbers, opts) {
    const items = (report.items || []).filter((it) => numbers.includes(it.number));
    return h('ol.items', items.map((it) => renderItem(opts.appId, it, opts)));
  }

  SB.checklist = { render, renderItems, evidenceLinks, reviewError, plainMessage, isMissing };
})();
