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

  function renderItem(appId, it, opts) {
    const docs = it.documents || [];
    return h('li.item', { class: it.present ? 'present' : 'missing', dataset: { item: String(it.number), present: String(it.present) } },
      h('div.item-head',
        h('span.item-no', itemTitle(it)),
        h('div.item-title',
          h('span', it.title),
          h('span.muted.small', ' ' + it.article)),
        it.present ? SB.badge('已提交', 'oc-pass') : SB.badge('缺少', 'oc-fail')),
      docs.length ? h('ul.item-docs', docs.map((d) => h('li',
        h('a', { href: SB.docLink(d.id) }, d.file_name),
        h('span.muted', ' · ' + (d.kind_name || SB.kindName(d.kind))),
        d.problems && d.problems.length
          ? h('ul.problems', d.problems.map((p) => h('li', h('a', { href: SB.docLink(d.id, p.pages && p.pages[0]) }, p.message))))
          : null)))
        : h('p.muted.small', '尚未上传可作为此项的材料。'),
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
              SB.fieldLabel(f.name) + '：' + f.value + ' ',
              f.evidence && f.evidence.document_id
                ? h('a.evidence', { href: SB.docLink(f.evidence.document_id, f.evidence.page, f.evidence.field) }, '出处')
                : null))) : null));
      })));
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

  // render builds the whole checklist. opts: appId, review (show accept/reject), onReviewed(report).
  function render(report, opts) {
    const s = report.summary || {};
    const items = report.items || [];
    const numbered = items.filter((it) => it.number > 0);
    const form = items.find((it) => it.number === 0);
    const wrap = h('div.checklist', { dataset: { blocking: String(s.blocking || 0) } },
      h('div.summary',
        h('div.summary-main',
          h('strong', '第十七条材料 ' + (s.items_present || 0) + '/' + (s.items_total || 8) + ' 项'),
          form ? (form.present ? SB.badge('推荐表已提交', 'oc-pass') : SB.badge('缺少推荐表', 'oc-fail')) : null),
        h('div.counts',
          SB.badge('必须整改 ' + (s.blocking || 0), s.blocking ? 'sev-blocking' : 'sev-zero'),
          SB.badge('需要核实 ' + (s.attention || 0), s.attention ? 'sev-attention' : 'sev-zero'),
          SB.badge('提示 ' + (s.notes || 0), s.notes ? 'sev-note' : 'sev-zero')),
        h('p.muted.small', '按已完成识别的材料计算，截至 ' + report.as_of + '，审核年度 ' + report.evaluation_year + ' 年。')),
      h('h3', '问题清单'),
      renderWarnings(report.warnings || []),
      h('h3', '申报材料（第十七条、第十六条）'),
      h('ol.items', numbered.concat(form ? [form] : []).map((it) => renderItem(opts.appId, it, opts))),
      (report.others || []).length ? [
        h('h3', '未归入任何一项的材料'),
        h('ul.item-docs.others', report.others.map((d) => h('li',
          h('a', { href: SB.docLink(d.id) }, d.file_name),
          h('span.muted', ' · ' + (d.kind_name || SB.kindName(d.kind)))))),
      ] : null,
      h('h3', '申报条件（第十二条、第十三条）'),
      h('ol.verdicts', (report.verdicts || []).map(renderVerdict)));
    return wrap;
  }

  // renderItems shows only some items (the reviewer view shows those a document serves).
  function renderItems(report, numbers, opts) {
    const items = (report.items || []).filter((it) => numbers.includes(it.number));
    return h('ol.items', items.map((it) => renderItem(opts.appId, it, opts)));
  }

  SB.checklist = { render, renderItems, evidenceLinks, reviewError };
})();
