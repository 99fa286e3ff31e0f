// Shared helpers for the Shenbao web UI: DOM building, the JSON API, Chinese labels and formatting.
// Plain browser JavaScript, no build step; every screen script adds itself to window.SB.
'use strict';

window.SB = (function () {
  const API = '/api/v1';

  // ---- Vocabulary (FIELDS.md, checklist) ----

  const REGIONS = ['拉萨市', '日喀则市', '昌都市', '林芝市', '山南市', '那曲市', '阿里地区'];

  // The functions, kinds, states, roles, grades and yearly duties come from the server
  // (/vocabulary.js, made from packages doc and intake), so that the UI never keeps a list of its own.
  const VOCAB = Object.assign({
    functions: [], kinds: [], sure_confidence: 0.85, states: [], roles: [], grades: [], filing_kinds: [], publicity_days: 7,
  }, window.SB_VOCAB || {});
  const FUNCTIONS = VOCAB.functions.map(([v, t]) => [v, t]);
  const KINDS = VOCAB.kinds.map(([v, t]) => [v, t]);

  const FIELD_LABELS = {
    org_name: '单位名称',
    credit_code: '统一社会信用代码',
    legal_representative: '法定代表人',
    registered_capital_yuan: '注册资本（开办资金）',
    established_date: '成立日期',
    operating_term_end: '营业期限至',
    total_assets_yuan: '资产总额',
    total_liabilities_yuan: '负债总额',
    net_assets_yuan: '净资产',
    revenue_yuan: '营业收入',
    service_revenue_yuan: '服务收入',
    service_expense_yuan: '服务支出',
    audit_year: '审计年度',
    audit_firm: '会计师事务所',
    audit_opinion: '审计意见',
    lessor: '出租方',
    lessee: '承租方（权利人）',
    premises_address: '场所地址',
    premises_area_m2: '面积',
    lease_start: '租赁起始日',
    lease_end: '租赁截止日',
    staff_total: '服务人员',
    staff_qualified: '专业人员',
    smes_served_last_year: '上一年度服务中小企业',
    smes_served_prior_year: '前一年度服务中小企业',
    satisfaction_pct: '用户满意度',
    partner_institutions: '集聚服务机构',
    public_service_share_pct: '公益性/低收费服务占比',
    trainees_last_year: '年培训人次',
    service_events_last_year: '服务活动次数',
    functions: '服务功能',
    issuer: '发文/颁发单位',
    issuer_level: '颁发单位级别',
    issue_date: '落款/颁发日期',
    title: '认定/资质名称',
    icp_record: 'ICP 备案号',
    has_seal: '加盖公章',
  };

  const FIELD_ORDER = Object.keys(FIELD_LABELS);

  const ENUMS = {
    audit_opinion: { unqualified: '无保留意见', qualified: '保留意见', adverse: '否定意见', disclaimer: '无法表示意见' },
    issuer_level: { national: '国家级', autonomous_region: '自治区级', prefecture: '地（市）级', county: '县级' },
  };

  const STATUS = {
    received: ['等待识别', 'st-received'],
    processing: ['识别中', 'st-processing'],
    done: ['已完成', 'st-done'],
    failed: ['失败', 'st-failed'],
  };

  const SEVERITY = [
    ['blocking', '必须整改', 'sev-blocking'],
    ['attention', '需要核实', 'sev-attention'],
    ['note', '提示', 'sev-note'],
  ];

  const OUTCOME = {
    pass: ['符合', 'oc-pass'],
    fail: ['不符合', 'oc-fail'],
    undeterminable: ['无法判断', 'oc-undet'],
  };

  // Fields at or above this confidence were right 98% of the time on the dev corpus (bench/calibration.py).
  const LOW_CONFIDENCE = VOCAB.sure_confidence;

  // FLAG_NAMES are the flags extraction and the service set on a field, for people.
  const FLAG_NAMES = {
    check_failed: '校验位不符',
    implausible: '数值不合常理，请核对',
    inconsistent: '与同一材料中的其他数值矛盾',
    contradicted: '与本申请其他材料所载不符，请核对',
    point_restored: '小数点未识别出，已按其他材料所载补回，请核对',
    name_restored: '姓名识别不全，已按其他材料所载补全，请核对',
    matched_region: '地名识别有误，已按申报地区更正，请核对',
    unlabelled: '标签未能识别，按内容推断，请核对',
    matched_declared: '识别略有出入，已按申报名称对应，请核对',
    derived: '由报表中其他数值推算，请核对',
    reread: '首次识别未通过校验，已重新识别',
    boxes_disagree: '勾选框与文字说明不一致，请核对',
    from_seal: '取自印章文字，请核对',
    unfinished_name: '名称可能不完整，请核对',
  };

  // flagNames explains a field's flags; "confirmed" and "corrected" after a review are shown by the
  // review itself ("corrected" without one: the credit code was corrected by its check character).
  function flagNames(f) {
    const out = [];
    for (const x of f.flags || []) {
      if (x === 'corrected' && !f.review) out.push('已按校验位自动纠正');
      else if (FLAG_NAMES[x]) out.push(FLAG_NAMES[x]);
      else if (x !== 'confirmed' && x !== 'corrected') out.push(x);
    }
    return out;
  }

  function functionName(f) {
    const hit = FUNCTIONS.find((x) => x[0] === f);
    return hit ? hit[1] : f;
  }

  function kindName(k) {
    const hit = KINDS.find((x) => x[0] === k);
    return hit ? hit[1] : (k || '未识别');
  }

  function fieldLabel(name) {
    return FIELD_LABELS[name] || name;
  }

  // ---- DOM ----

  // h('div.card#x', {attrs…, on: {click: fn}}, children…) builds an element. Text is always set as
  // text (never parsed as HTML), so document contents cannot inject markup.
  function h(tag, attrs, ...children) {
    const m = /^([a-z0-9]+)((?:[.#][\w-]+)*)$/i.exec(tag);
    const el = document.createElement(m ? m[1] : tag);
    if (m && m[2]) {
      for (const part of m[2].match(/[.#][\w-]+/g)) {
        if (part[0] === '.') el.classList.add(part.slice(1));
        else el.id = part.slice(1);
      }
    }
    if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
      children.unshift(attrs);
      attrs = null;
    }
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'on') {
          for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
        } else if (k === 'class') {
          for (const c of String(v).split(/\s+/)) if (c) el.classList.add(c);
        } else if (k === 'dataset') {
          Object.assign(el.dataset, v);
        } else if (k === 'text') {
          el.textContent = v;
        } else if (k in el && typeof v !== 'string') {
          el[k] = v;
        } else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'hidden' || k === 'selected') {
          el[k] = v;
          if (v === true) el.setAttribute(k, '');
        } else {
          el.setAttribute(k, v === true ? '' : String(v));
        }
      }
    }
    append(el, ...children);
    return el;
  }

  // append adds children (nodes, text, arrays of them; null and false are skipped) to el.
  function append(el, ...children) {
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) append(el, ...c);
      else if (c instanceof Node) el.appendChild(c);
      else el.appendChild(document.createTextNode(String(c)));
    }
    return el;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  function replace(el, ...children) {
    clear(el);
    append(el, children);
    return el;
  }

  // ---- API ----

  class APIError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  // messageFor turns an HTTP status without a JSON error body into plain Chinese.
  function messageFor(status) {
    switch (status) {
      case 0: return '无法连接服务器，请检查网络后重试。';
      case 400: return '请求有误，请检查填写的内容。';
      case 404: return '未找到请求的内容。';
      case 413: return '文件过大，超过了服务器允许的上限。';
      case 415: return '不支持的文件类型，请上传 PDF、JPEG、PNG 或 TIFF 文件。';
      case 429: return '请求过于频繁，请稍后再试。';
      case 502: case 503: case 504: return '服务暂时不可用，请稍后重试；已上传的材料不会丢失。';
    }
    return status >= 500 ? '服务器内部错误，请稍后重试。' : '请求失败（' + status + '）。';
  }

  // errorFromBody reads the API's {"error":{"code","message"}} body, or falls back to the status.
  function errorFromBody(status, body) {
    if (body && body.error && body.error.message) {
      return new APIError(status, body.error.code || '', body.error.message);
    }
    return new APIError(status, 'http_' + status, messageFor(status));
  }

  // ---- Session ----
  // The signed-in user and the session's CSRF token (GET /api/v1/session). The session itself is an
  // HttpOnly cookie the page never sees; every state-changing request carries the token.

  // epoch counts the sessions this page has had: a 401 answering a request of an earlier one (a poll
  // still under way when the session ended) says nothing about the current one.
  const session = { user: null, csrf: '', epoch: 0 };
  let onAuthLost = null;

  function setSession(s) {
    session.user = s ? s.user : null;
    session.csrf = s ? s.csrf_token || '' : '';
    session.epoch++;
  }

  // authLost is called on a 401 (with the epoch of the request's session) or on signing out: the
  // session has ended (expired, signed out elsewhere, password changed); the app shows the login
  // page, once: later 401s of the same session leave what is typed there alone.
  function authLost(epoch) {
    if (!session.user || (epoch !== undefined && epoch !== session.epoch)) return;
    setSession(null);
    if (onAuthLost) onAuthLost();
  }

  function csrfHeaders(method, headers) {
    if (method !== 'GET' && method !== 'HEAD' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
    return headers;
  }

  async function request(method, path, body, opts) {
    const epoch = session.epoch;
    const o = { method, headers: csrfHeaders(method, { Accept: 'application/json' }) };
    if (body !== undefined) {
      o.headers['Content-Type'] = 'application/json';
      o.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(API + path, o);
    } catch (e) {
      throw new APIError(0, 'network', messageFor(0));
    }
    let data = null;
    const type = res.headers.get('Content-Type') || '';
    if (type.includes('json')) {
      try { data = await res.json(); } catch (e) { data = null; }
    }
    if (res.status === 401 && !(opts && opts.noAuthLost)) authLost(epoch);
    if (!res.ok) throw errorFromBody(res.status, data);
    return data;
  }

  // upload sends fields, then the file, as multipart/form-data (the server reads the fields first).
  async function upload(path, fields, file) {
    const epoch = session.epoch;
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields || {})) fd.append(k, v);
    fd.append('file', file, file.name);
    let res;
    try {
      res = await fetch(API + path, { method: 'POST', headers: csrfHeaders('POST', { Accept: 'application/json' }), body: fd });
    } catch (e) {
      throw new APIError(0, 'network', messageFor(0));
    }
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (res.status === 401) authLost(epoch);
    if (!res.ok) throw errorFromBody(res.status, data);
    return data;
  }

  const api = {
    upload,
    get: (p) => request('GET', p),
    post: (p, body) => request('POST', p, body),
    patch: (p, body) => request('PATCH', p, body),
    del: (p) => request('DELETE', p),
    request,
  };

  // ---- Roles, states and what each role may do ----
  // The server decides (403, 409); these only keep buttons a role may not use off the screen.

  // [role, 中文] and [state, 中文] in the order of the cycle; the 测评 grades (第十六条).
  const ROLES = VOCAB.roles;
  const STATES = VOCAB.states;
  const GRADES = VOCAB.grades;
  // The yearly duties: [kind, 中文] (第二十一条 work_summary, 第二十三条 inspection_report).
  const FILING_KINDS = VOCAB.filing_kinds;
  // The 公示's length in working days (第十八条).
  const PUBLICITY_DAYS = VOCAB.publicity_days;

  function roleName(r) {
    const hit = ROLES.find((x) => x[0] === r);
    return hit ? hit[1] : r;
  }

  function stateName(s) {
    const hit = STATES.find((x) => x[0] === s);
    return hit ? hit[1] : s;
  }

  function filingKindName(k) {
    const hit = FILING_KINDS.find((x) => x[0] === k);
    return hit ? hit[1] : k;
  }

  function role() { return session.user ? session.user.role : ''; }

  // may mirrors the server's rules (intake/access.go, intake/cycle.go) for one application.
  function may(action, app) {
    const r = role();
    const s = app ? app.state : '';
    switch (action) {
      case 'upload': return r === 'applicant' && (s === 'draft' || s === 'returned');
      case 'submit': return r === 'applicant' && (s === 'draft' || s === 'returned');
      case 'withdraw': return r === 'applicant' && s === 'submitted';
      case 'return': case 'recommend': return r === 'recommender' && s === 'submitted';
      case 'assign': return r === 'staff' && (s === 'recommended' || s === 'under_review');
      case 'conclude': return r === 'expert' && s === 'under_review';
      case 'decide': return r === 'staff' && s === 'reviewed';
      case 'grant': case 'refuse': return r === 'staff' && s === 'publicized';
      case 'revoke': case 'evaluate': return r === 'staff' && s === 'recognised';
      case 'reread': return r === 'staff'; // any document, after a fault is fixed
      case 'review':
        if (r === 'expert') return s === 'under_review';
        if (r === 'staff') return !!s && s !== 'draft' && s !== 'returned';
        return false;
    }
    return false;
  }

  function stateBadge(app) {
    const s = app.state || 'draft';
    return h('span.badge.state', { class: 'state-' + s, dataset: { state: s } }, app.state_label || stateName(s));
  }

  // nextStep says in a sentence what happens next to an application, for the role looking at it.
  function nextStep(app) {
    const r = role();
    const c = app.cycle || {};
    const mine = r === 'expert' && (c.expert_reviews || []).some((x) => x.by && session.user && x.by.id === session.user.id);
    switch (app.state) {
      case 'draft':
        return r === 'applicant' ? '上传全部材料，核对审核清单后提交申报。' : '申报单位尚未提交。';
      case 'returned':
        return r === 'applicant' ? '推荐单位已退回：按退回意见修改材料后重新提交。' : '已退回申报单位修改。';
      case 'submitted':
        if (r === 'recommender') return '请审核材料：退回修改，或上传推荐表后推荐。';
        return r === 'applicant' ? '等待推荐单位审核推荐；推荐前可撤回修改。' : '等待推荐单位审核推荐。';
      case 'recommended':
        return r === 'staff' ? '请分配评审专家。' : '等待经信厅分配评审专家。';
      case 'under_review':
        if (r === 'expert') return mine ? '您已提交评审结论，可修改至全部专家完成。' : '请审核材料并提交评审结论。';
        return '专家评审中（' + (c.expert_reviews || []).length + ' / ' + (c.experts || []).length + ' 位专家已提交结论）。';
      case 'reviewed':
        return r === 'staff' ? '请作出决定：通过并公示，或不予认定。' : '评审完成，等待经信厅决定。';
      case 'publicized':
        return '公示期 ' + (c.publicity ? c.publicity.start + ' 至 ' + c.publicity.end : '') +
          (r === 'staff' ? '；公示期满后可授予称号，有异议可不予认定。' : '。');
      case 'recognised':
        return '已认定' + (c.recognition ? '，有效期至 ' + c.recognition.valid_until : '') + '。';
      case 'not_recognised': return '未予认定。';
      case 'revoked': return '认定已撤销。';
      case 'expired': return '认定已到期，可重新申报（第二十二条）。';
    }
    return '';
  }

  // Event actions in plain Chinese (intake records them as "application.submit" and so on).
  const ACTIONS = {
    'application.create': '新建申报',
    'application.submit': '提交申报',
    'application.withdraw': '撤回申报',
    'application.return': '退回修改',
    'application.recommend': '推荐',
    'application.assign': '分配评审专家',
    'application.conclude': '提交评审结论',
    'application.decide': '作出决定',
    'application.grant': '授予称号',
    'application.refuse': '不予认定',
    'application.revoke': '撤销认定',
    'application.evaluate': '记录第三方测评',
    'application.expire': '认定到期',
    'application.review_item': '审核材料项',
    'document.upload': '上传材料',
    'document.replace': '替换材料',
    'document.review_field': '核对字段',
    'document.set_kind': '更改材料类型',
    'document.reread': '重新识别材料',
    'user.create': '新建账户',
    'user.update': '修改账户',
    'user.login': '登录',
    'user.login_failed': '登录失败',
    'user.logout': '退出登录',
    'user.password': '修改密码',
    'user.token': '签发接口令牌',
    'round.open': '发布年度申报',
    ...Object.fromEntries(FILING_KINDS.map(([k, label]) => ['filing.' + k, '提交' + label])),
  };

  function actionName(a) { return ACTIONS[a] || a; }

  // ---- Formatting ----

  function pad(n) { return n < 10 ? '0' + n : String(n); }

  // formatTime writes a time as it reads in China (UTC+8, no daylight saving), whatever the
  // browser's zone: the cycle's dates are Chinese civil dates.
  function formatTime(iso) {
    if (!iso) return '';
    const t = Date.parse(iso);
    if (isNaN(t)) return iso;
    const d = new Date(t + 8 * 3600 * 1000);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
  }

  function formatDate(iso) {
    return formatTime(iso).slice(0, 10);
  }

  function formatSize(n) {
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(0) + ' KB';
    return (n / 1024 / 1024).toFixed(1) + ' MB';
  }

  function groupDigits(n) {
    const [i, f] = String(n).split('.');
    const g = i.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return f ? g + '.' + f : g;
  }

  // formatValue writes a field's typed value as a person reads it.
  function formatValue(name, v) {
    if (v === null || v === undefined || v === '') return '（空）';
    if (Array.isArray(v)) {
      return name === 'functions' ? v.map(functionName).join('、') || '（无）' : v.join('、');
    }
    if (typeof v === 'boolean') return v ? '有' : '无';
    if (ENUMS[name] && ENUMS[name][v]) return ENUMS[name][v];
    if (typeof v === 'number') {
      if (/_yuan$/.test(name)) {
        // As printed: thousands separated, and cents with two digits (995,812.30).
        const r = Math.round(v * 100) / 100;
        const s = groupDigits(Number.isInteger(r) ? String(r) : r.toFixed(2)) + ' 元';
        return v >= 10000 ? s + '（约 ' + groupDigits(Math.round(v / 100) / 100) + ' 万元）' : s;
      }
      if (/_pct$/.test(name)) return v + '%';
      if (/_m2$/.test(name)) return groupDigits(v) + ' m²';
      if (name === 'trainees_last_year') return groupDigits(v) + ' 人次';
      if (name === 'service_events_last_year') return v + ' 次';
      if (/^staff_/.test(name)) return v + ' 人';
      if (/^smes_served|^partner_/.test(name)) return v + ' 家';
      if (name === 'audit_year') return v + ' 年度';
      return groupDigits(v);
    }
    return String(v);
  }

  // formatFigure writes a checklist figure (its canonical value, a string) as a person reads it: enum
  // values in Chinese, numbers with their units.
  function formatFigure(name, v) {
    const s = String(v === undefined || v === null ? '' : v);
    if (s !== '' && /^-?\d+(\.\d+)?$/.test(s) && name !== 'credit_code') return formatValue(name, Number(s));
    if (s === 'true' || s === 'false') return formatValue(name, s === 'true');
    if (name === 'functions') return formatValue(name, s.split(',').filter(Boolean));
    return formatValue(name, s);
  }

  // editValue is the value put in a correction box: plain, without units.
  function editValue(name, v) {
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) return v.join(',');
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    return String(v);
  }

  function percent(x) { return Math.round(x * 100) + '%'; }

  // sentence drops a reason's final full stop so that it can be followed by more text.
  function sentence(s) { return String(s || '原因不明').replace(/[。．.\s]+$/, ''); }

  // ---- Toast, alerts, links ----

  let toastTimer = 0;
  function toast(msg, isError) {
    const el = document.getElementById('toast');
    if (!el) return;
    el.textContent = msg;
    el.classList.toggle('toast-error', !!isError);
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { el.hidden = true; }, isError ? 6000 : 3000);
  }

  function alertBox(err) {
    const msg = err instanceof Error ? err.message : String(err);
    return h('p.alert.alert-error', { role: 'alert' }, msg);
  }

  // docLink is the reviewer view's address for a document, optionally at a page and a field.
  function docLink(id, page, field) {
    const q = [];
    if (page) q.push('page=' + page);
    if (field) q.push('field=' + encodeURIComponent(field));
    return '#/docs/' + encodeURIComponent(id) + (q.length ? '?' + q.join('&') : '');
  }

  // notFound is what a page shows for an object that does not exist or that the user may not see
  // (the server answers both with the same 404).
  function notFound(what) {
    return h('section.card.not-found', { role: 'alert' },
      h('h1', '未找到' + (what || '请求的内容')),
      h('p', '该' + (what || '内容') + '不存在，或您的账户无权查看。'),
      h('p', h('a.btn', { href: '#/' }, '返回首页')));
  }

  function badge(text, cls, title) {
    return h('span.badge', { class: cls, title }, text);
  }

  function statusBadge(status) {
    const s = STATUS[status] || [status, ''];
    return badge(s[0], s[1]);
  }

  return {
    API, VOCAB, REGIONS, FUNCTIONS, KINDS, FIELD_LABELS, FIELD_ORDER, STATUS, SEVERITY, OUTCOME, LOW_CONFIDENCE,
    functionName, kindName, fieldLabel, flagNames, h, append, clear, replace, api, APIError, errorFromBody, messageFor,
    formatTime, formatSize, formatValue, formatFigure, editValue, percent, sentence, toast, alertBox, docLink, badge, statusBadge, notFound,
    session, setSession, authLost, csrfHeaders, setAuthLost: (f) => { onAuthLost = f; },
    ROLES, STATES, GRADES, FILING_KINDS, PUBLICITY_DAYS, roleName, stateName, filingKindName, role, may, stateBadge, nextStep, actionName, formatDate,
    screens: {},
  };
})();
