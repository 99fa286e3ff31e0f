// Shared helpers for the Shenbao web UI: DOM building, the JSON API, Chinese labels and formatting.
// Plain browser JavaScript, no build step; every screen script adds itself to window.SB.
'use strict';

window.SB = (function () {
  const API = '/api/v1';

  // ---- Vocabulary (FIELDS.md, checklist) ----

  const REGIONS = ['拉萨市', '日喀则市', '昌都市', '林芝市', '山南市', '那曲市', '阿里地区'];

  // The functions and kinds come from the server (/vocabulary.js, made from package doc), so that
  // the UI never keeps a list of its own.
  const VOCAB = window.SB_VOCAB || { functions: [], kinds: [], sure_confidence: 0.85 };
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
    received: ['已上传', 'st-received'],
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

  // flagNames explains a field's flags; "confirmed" and "corrected" after a review are shown by the
  // review itself.
  function flagNames(f) {
    const out = [];
    for (const x of f.flags || []) {
      if (x === 'check_failed') out.push('校验位不符');
      else if (x === 'corrected' && !f.review) out.push('已按校验位自动纠正');
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
    append(el, children);
    return el;
  }

  function append(el, children) {
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) append(el, c);
      else if (c instanceof Node) el.appendChild(c);
      else el.appendChild(document.createTextNode(String(c)));
    }
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

  async function request(method, path, body) {
    const opts = { method, headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(API + path, opts);
    } catch (e) {
      throw new APIError(0, 'network', messageFor(0));
    }
    let data = null;
    const type = res.headers.get('Content-Type') || '';
    if (type.includes('json')) {
      try { data = await res.json(); } catch (e) { data = null; }
    }
    if (!res.ok) throw errorFromBody(res.status, data);
    return data;
  }

  const api = {
    get: (p) => request('GET', p),
    post: (p, body) => request('POST', p, body),
  };

  // ---- Formatting ----

  function pad(n) { return n < 10 ? '0' + n : String(n); }

  function formatTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (isNaN(d)) return iso;
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes());
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
        const s = groupDigits(Math.round(v * 100) / 100) + ' 元';
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

  // ---- Reviewer name, toast, hash routes ----

  const REVIEWER_KEY = 'shenbao.reviewer';

  function reviewer() {
    const el = document.getElementById('reviewer-name');
    return (el && el.value.trim()) || '';
  }

  // needReviewer returns the name, or shows why it is needed and focuses the box.
  function needReviewer() {
    const name = reviewer();
    if (!name) {
      toast('请先在页面右上角“审核人”处填写您的姓名。', true);
      const el = document.getElementById('reviewer-name');
      if (el) { el.classList.add('attention'); el.focus(); }
    }
    return name;
  }

  function initReviewer() {
    const el = document.getElementById('reviewer-name');
    if (!el) return;
    try { el.value = localStorage.getItem(REVIEWER_KEY) || ''; } catch (e) { /* storage disabled */ }
    el.addEventListener('input', () => {
      el.classList.remove('attention');
      try { localStorage.setItem(REVIEWER_KEY, el.value.trim()); } catch (e) { /* storage disabled */ }
    });
  }

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
    formatTime, formatSize, formatValue, editValue, percent, sentence, reviewer, needReviewer, initReviewer, toast,
    alertBox, docLink, badge, statusBadge, screens: {},
  };
})();
