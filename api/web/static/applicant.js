// Applicant screens: the new-application form (#/apps/new) and the application page (#/apps/{id}) with
// the drop zone, per-file upload progress, each document's live state and the checklist.
'use strict';

(function () {
  const SB = window.SB;
  const h = SB.h;
  const POLL_MS = 1500;
  const PARALLEL_UPLOADS = 2;

  // ---- 统一社会信用代码 (GB 32100-2015) check character ----
  // The alphabet and weights come from the server's one check (package doc, /vocabulary.js).
  const CREDIT_ALPHABET = SB.VOCAB.credit_alphabet;
  const CREDIT_WEIGHTS = SB.VOCAB.credit_weights;

  function creditCodeProblem(code) {
    if (!code) return '';
    if (code.length !== 18) return '统一社会信用代码应为 18 位（当前 ' + code.length + ' 位）。';
    let sum = 0;
    for (let i = 0; i < 17; i++) {
      const v = CREDIT_ALPHABET.indexOf(code[i]);
      if (v < 0) return '第 ' + (i + 1) + ' 位“' + code[i] + '”不是统一社会信用代码使用的字符（不含 I、O、S、V、Z）。';
      sum += v * CREDIT_WEIGHTS[i];
    }
    const want = CREDIT_ALPHABET[(31 - (sum % 31)) % 31];
    if (code[17] !== want) return '校验位不符（按 GB 32100-2015 应为 ' + want + '），请核对是否填写有误。';
    return '';
  }

  // ---- #/apps/new ----

  SB.screens.newApplication = function (main) {
    document.title = '新建申报 · 申报材料审核';
    const thisYear = new Date().getFullYear();
    const err = h('div.form-error', { 'aria-live': 'assertive' });
    const org = h('input#a-org', { type: 'text', name: 'org_name', required: true, maxlength: 100, autocomplete: 'organization' });
    const code = h('input#a-code.mono', { type: 'text', name: 'credit_code', maxlength: 18, autocomplete: 'off', spellcheck: 'false', placeholder: '18 位，如 91540424MA6TKX337W', 'aria-describedby': 'a-code-hint' });
    const codeHint = h('p#a-code-hint.hint', '营业执照或法人证书上的 18 位代码；可稍后补填。');
    const region = h('select#a-region', { name: 'region', required: true },
      h('option', { value: '' }, '请选择'),
      h('optgroup', { label: '地（市）' }, SB.REGIONS.map((r) => h('option', { value: r }, r))),
      h('optgroup', { label: '园区' }, h('option', { value: '__park' }, '园区（填写园区名称）')));
    const park = h('input#a-park', { type: 'text', name: 'park', maxlength: 50, placeholder: '如：拉萨经济技术开发区' });
    const parkRow = h('div.field', { hidden: true }, h('label', { for: 'a-park' }, '园区名称'), park);
    const year = h('input#a-year', { type: 'number', name: 'year', required: true, min: 2000, max: thisYear + 1, step: 1, value: String(thisYear), 'aria-describedby': 'a-year-hint' });
    const yearHint = h('p#a-year-hint.hint.year-hint', { 'aria-live': 'polite' });
    let roundYear = 0; // the year of the round being accepted, by the server's clock
    // The 上一年度 of 第十七条（三） and 第十二条 is the year before the 申报年度: a hint says which year
    // that is, and a warning when the year entered looks like that one rather than the 申报年度.
    function showYearHint() {
      const y = parseInt(year.value, 10);
      const expected = roundYear || thisYear;
      const looksLikeAudit = y === expected - 1;
      yearHint.classList.toggle('warn', looksLikeAudit);
      yearHint.dataset.warn = String(looksLikeAudit);
      if (!(y >= 2000)) {
        yearHint.textContent = '申报年度是提交申报的年度；审计报告等“上一年度”材料按申报年度减一计算。';
      } else if (looksLikeAudit) {
        yearHint.textContent = '注意：' + y + ' 年像是审核年度（上一年度）。本年度申报请填 ' + expected + '，审计报告等材料按 ' + y + ' 年度审核；填 ' + y + ' 会使所有检查提前一年。';
      } else {
        yearHint.textContent = '审核年度（上一年度）为 ' + (y - 1) + ' 年：审计报告、服务业绩等按 ' + (y - 1) + ' 年度审核。';
      }
    }
    const fns = SB.FUNCTIONS.map(([v, name]) => h('label.check-label',
      h('input', { type: 'checkbox', name: 'functions', value: v }), ' ' + name));
    const submit = h('button.btn.btn-primary', { type: 'submit' }, '创建申报');

    region.addEventListener('change', () => {
      parkRow.hidden = region.value !== '__park';
      park.required = region.value === '__park';
      if (!parkRow.hidden) park.focus();
    });
    code.addEventListener('input', () => {
      const up = code.value.toUpperCase().replace(/\s+/g, '');
      if (up !== code.value) code.value = up;
      const p = code.value.length === 18 ? creditCodeProblem(code.value) : '';
      codeHint.textContent = p || '营业执照或法人证书上的 18 位代码；可稍后补填。';
      codeHint.classList.toggle('warn', !!p);
    });

    const form = h('form.card.form', { novalidate: true, on: { submit: onSubmit } },
      h('div.field', h('label', { for: 'a-org' }, '单位名称', h('span.req', { 'aria-hidden': 'true' }, ' *')), org),
      h('div.field', h('label', { for: 'a-code' }, '统一社会信用代码'), code, codeHint),
      h('div.form-row',
        h('div.field', h('label', { for: 'a-region' }, '所在地（市）/园区', h('span.req', { 'aria-hidden': 'true' }, ' *')), region),
        parkRow,
        h('div.field.narrow', h('label', { for: 'a-year' }, '申报年度', h('span.req', { 'aria-hidden': 'true' }, ' *')), year)),
      yearHint,
      h('fieldset.field',
        h('legend', '服务功能（第十三条，可多选）'),
        h('div.checks-row', fns)),
      err,
      h('div.btn-row', submit, h('a.btn', { href: '#/' }, '取消')));

    for (const el of [org, code, region, park, year]) {
      el.addEventListener('input', () => el.removeAttribute('aria-invalid'));
      el.addEventListener('change', () => el.removeAttribute('aria-invalid'));
    }

    SB.append(main, [
      h('div.page-head', h('h1', '新建申报')),
      h('p.lead', '填写申报单位的基本信息，创建后即可上传全部申报材料。系统将自动识别材料并按第十七条逐项告知缺漏和问题。'),
      form,
    ]);
    org.focus();
    // The year of the round being accepted, by the server's clock.
    showYearHint();
    SB.api.get('/rounds').then((d) => {
      const open = (d.items || []).find((r) => r.open);
      if (open) roundYear = open.year;
      if (open && !year.dataset.touched) year.value = String(open.year);
      showYearHint();
    }).catch(() => {});
    year.addEventListener('input', () => { year.dataset.touched = '1'; showYearHint(); });

    async function onSubmit(e) {
      e.preventDefault();
      SB.clear(err);
      const problems = [];
      if (!org.value.trim()) problems.push([org, '请填写单位名称。']);
      if (code.value && code.value.length !== 18) problems.push([code, '统一社会信用代码应为 18 位。']);
      if (!region.value) problems.push([region, '请选择所在地（市）或园区。']);
      if (region.value === '__park' && !park.value.trim()) problems.push([park, '请填写园区名称。']);
      const y = parseInt(year.value, 10);
      if (!(y >= 2000 && y <= thisYear + 1)) problems.push([year, '申报年度应在 2000 至 ' + (thisYear + 1) + ' 之间。']);
      for (const el of [org, code, region, park, year]) el.removeAttribute('aria-invalid');
      if (problems.length) {
        for (const [el] of problems) el.setAttribute('aria-invalid', 'true');
        SB.replace(err, h('div.alert.alert-error', { role: 'alert' }, h('ul', problems.map((p) => h('li', p[1])))));
        problems[0][0].focus();
        return;
      }
      const body = {
        org_name: org.value.trim(),
        credit_code: code.value.trim(),
        region: region.value === '__park' ? park.value.trim() : region.value,
        year: y,
        functions: Array.from(form.querySelectorAll('input[name=functions]:checked')).map((c) => c.value),
      };
      submit.disabled = true;
      submit.textContent = '正在创建…';
      try {
        const app = await SB.api.post('/applications', body);
        location.hash = '#/apps/' + encodeURIComponent(app.id);
      } catch (ex) {
        SB.replace(err, SB.alertBox(ex));
        submit.disabled = false;
        submit.textContent = '创建申报';
      }
    }
  };

  // ---- #/apps/{id} ----

  SB.screens.application = function (main, appId, ctx) {
    document.title = '申报材料 · 申报材料审核';
    let pollTimer = 0;
    let stopped = false;
    let lastDoneSig = null;
    let replaceTarget = null; // document being replaced by the next picked file
    let app = null;
    let lastDocs = [];
    const cards = new Map(); // document id → {el, sig}
    const base = '/applications/' + encodeURIComponent(appId);
    const act = ctx.query.get('act') || '';

    const head = h('div.page-head', h('h1', '申报材料'));
    const appInfo = h('div.app-info');
    const fileInput = h('input#file-input.sr-only', { type: 'file', multiple: true, accept: '.pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/*', tabindex: -1 });
    const replaceInput = h('input#replace-input.sr-only', { type: 'file', accept: '.pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/*', tabindex: -1, 'aria-hidden': 'true' });
    const pick = h('button.btn.btn-primary', { type: 'button', on: { click: () => fileInput.click() } }, '选择文件');
    const drop = h('div#dropzone.dropzone', { role: 'group', 'aria-label': '上传区：将文件拖到此处，或点击“选择文件”' },
      h('div.dz-icon', { 'aria-hidden': 'true' }, '⇪'),
      h('p.dz-main', '将申报材料拖到此处（可一次拖入多个文件）'),
      h('p', '或 ', pick),
      h('p.hint', '支持 PDF、JPEG、PNG、TIFF 及手机拍照；每个文件单独上传，可同时上传多个。'),
      fileInput, replaceInput);
    const uploads = h('ul.uploads', { 'aria-label': '上传进度', 'aria-live': 'polite' });
    const uploadSummary = h('p.upload-summary.small', { hidden: true, 'aria-live': 'polite' });
    const docsBox = h('div.docs', h('p.loading', '正在加载材料…'));
    const offline = h('p.alert.alert-warn.offline-banner', { role: 'status', hidden: true }, '服务器暂时无法连接，正在重试…');
    const progressFill = h('div.progress-fill');
    const progressBar = h('div.progress', { role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0, 'aria-label': '识别进度' }, progressFill);
    const progressText = h('p.progress-text.small');
    const readProgress = h('div#read-progress.read-progress', { hidden: true }, progressBar, progressText);
    const docsCount = h('span.count');
    const docsHint = h('p.hint', '上传错了？点“替换”重新上传正确的文件。原文件仍保留在档案中，不会删除。');
    const checklistBox = h('div#checklist', h('p.loading', '正在加载审核清单…'));
    const checkNote = h('p.check-note.working', { hidden: true, 'aria-live': 'polite' });
    const uploadCard = h('section.card.upload-card', { 'aria-labelledby': 'h-upload', hidden: true },
      h('h2#h-upload', '上传材料'),
      drop, uploadSummary, uploads);
    const flow = SB.cycle.panel({ appId, ctx, act: act === 'docs' ? '' : act, onChanged, upload: (files, list) => enqueue(files, null, list) });
    const hist = SB.cycle.history(appId, ctx);
    const archive = SB.archive.section(appId, ctx); // staff and auditors
    const jumpUpload = h('a', { href: '#h-upload', on: { click: jump }, hidden: true }, '上传材料');

    SB.append(main, [
      head, appInfo,
      h('nav.jump', { 'aria-label': '本页导航' },
        h('span.muted', '跳到：'),
        h('a', { href: '#h-flow', on: { click: jump } }, '申报流程'),
        jumpUpload,
        h('a', { href: '#h-docs', on: { click: jump } }, '材料与识别进度'),
        h('a', { href: '#h-check', on: { click: jump } }, '审核清单'),
        h('a', { href: '#h-history', on: { click: jump } }, '历史记录'),
        archive ? h('a', { href: '#h-archive', on: { click: jump } }, '档案') : null),
      flow.el,
      h('div.app-grid',
        h('div.app-col',
          uploadCard,
          h('section.card', { 'aria-labelledby': 'h-docs' },
            h('h2#h-docs', '材料与识别进度 ', docsCount),
            offline,
            readProgress,
            docsHint,
            docsBox)),
        h('div.app-col',
          h('section.card', { 'aria-labelledby': 'h-check' },
            h('h2#h-check', '审核清单（一次告知）'),
            checkNote,
            checklistBox))),
      h('section.card.history-card', { 'aria-labelledby': 'h-history' },
        h('h2#h-history', '历史记录'),
        hist.el),
      archive ? archive.el : null,
    ]);

    // In-page links must not change the hash: that is the router's.
    function jump(e) {
      e.preventDefault();
      const el = document.getElementById(e.currentTarget.getAttribute('href').slice(1));
      if (el) el.scrollIntoView({ behavior: 'smooth', block: 'start' });
    }

    // ---- drag and drop ----
    let depth = 0;
    drop.addEventListener('dragenter', (e) => { e.preventDefault(); depth++; drop.classList.add('dragover'); });
    drop.addEventListener('dragover', (e) => { e.preventDefault(); if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'; });
    drop.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (!depth) drop.classList.remove('dragover'); });
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      depth = 0;
      drop.classList.remove('dragover');
      const files = e.dataTransfer ? Array.from(e.dataTransfer.files || []) : [];
      if (files.length) enqueue(files, null);
    });
    drop.addEventListener('click', (e) => { if (e.target === drop) fileInput.click(); });
    fileInput.addEventListener('change', () => {
      const files = Array.from(fileInput.files || []);
      fileInput.value = '';
      if (files.length) enqueue(files, null);
    });
    replaceInput.addEventListener('change', () => {
      const files = Array.from(replaceInput.files || []);
      replaceInput.value = '';
      if (files.length && replaceTarget) enqueue(files.slice(0, 1), replaceTarget);
      replaceTarget = null;
    });
    // A file dropped beside the zone must not make the browser leave the page to open it.
    const stray = (e) => { if (!drop.contains(e.target)) e.preventDefault(); };
    window.addEventListener('dragover', stray);
    window.addEventListener('drop', stray);

    // ---- uploads: one XMLHttpRequest per file, each with its own progress bar ----
    const queue = [];
    let active = 0;
    let uploaded = 0;

    function enqueue(files, replaces, list) {
      for (const f of files) {
        const row = uploadRow(f, replaces);
        (list || uploads).appendChild(row.el);
        queue.push({ file: f, row, replaces });
      }
      pump();
    }

    function pump() {
      while (active < PARALLEL_UPLOADS && queue.length) {
        const job = queue.shift();
        active++;
        send(job).finally(() => { active--; pump(); refreshDocs(); });
      }
    }

    function uploadRow(file, replaces) {
      const fill = h('div.progress-fill');
      const bar = h('div.progress', { role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0, 'aria-label': file.name + ' 上传进度' }, fill);
      const state = h('span.up-state', '等待上传');
      const el = h('li.upload', { dataset: { state: 'queued', name: file.name } },
        h('div.up-head',
          h('span.up-name', replaces ? '替换“' + replaces.file_name + '”：' + file.name : file.name),
          h('span.muted.small', SB.formatSize(file.size))),
        bar, state);
      return {
        el,
        progress(pct) {
          fill.style.width = pct + '%';
          bar.setAttribute('aria-valuenow', String(pct));
          el.dataset.max = String(Math.max(pct, parseInt(el.dataset.max || '0', 10)));
          state.textContent = '上传中 ' + pct + '%';
          el.dataset.state = 'uploading';
        },
        finish(kind, text) {
          el.dataset.state = kind;
          el.classList.add('up-' + kind);
          state.textContent = text;
          if (kind === 'done' || kind === 'duplicate') {
            fill.style.width = '100%';
            bar.setAttribute('aria-valuenow', '100');
          }
        },
      };
    }

    function send(job) {
      return new Promise((resolve) => {
        const xhr = new XMLHttpRequest();
        const fd = new FormData();
        if (job.replaces) fd.append('replaces', job.replaces.id); // must come before the file
        fd.append('file', job.file, job.file.name);
        const epoch = SB.session.epoch;
        xhr.open('POST', SB.API + base + '/documents');
        xhr.responseType = 'json';
        const hdrs = SB.csrfHeaders('POST', { Accept: 'application/json' });
        for (const k of Object.keys(hdrs)) xhr.setRequestHeader(k, hdrs[k]);
        job.row.progress(0);
        xhr.upload.onprogress = (e) => {
          if (e.lengthComputable) job.row.progress(Math.min(100, Math.round((e.loaded / e.total) * 100)));
        };
        xhr.onload = () => {
          const body = xhr.response;
          const r = body && body.files && body.files[0];
          if (xhr.status >= 200 && xhr.status < 300 && r && !r.error) {
            job.row.finish(r.duplicate ? 'duplicate' : 'done', r.duplicate
              ? '与已上传的文件完全相同，未重复保存。'
              : '已上传' + (job.replaces ? '（原文件仍保留在档案中）' : ''));
            if (!r.duplicate) {
              // Its document is now in the list of materials, with its recognition state: one
              // place for each file's progress.
              job.row.el.hidden = true;
              uploaded++;
              uploadSummary.hidden = false;
              uploadSummary.textContent = '已上传 ' + uploaded + ' 个文件，识别进度见“材料与识别进度”。';
            }
          } else if (r && r.error) {
            job.row.finish('error', '上传失败：' + r.error.message);
          } else {
            job.row.finish('error', '上传失败：' + SB.errorFromBody(xhr.status, body).message);
          }
          if (xhr.status === 401) SB.authLost(epoch);
          resolve();
        };
        xhr.onerror = () => { job.row.finish('error', '上传失败：' + SB.messageFor(0)); resolve(); };
        xhr.onabort = () => { job.row.finish('error', '上传已取消。'); resolve(); };
        xhr.send(fd);
      });
    }

    // ---- application, documents and checklist ----

    function showApp() {
      document.title = app.org_name + ' · 申报材料审核';
      const enc = encodeURIComponent(app.id);
      SB.replace(head, h('h1', app.org_name),
        h('div.btn-row.head-links',
          h('a.btn', { href: '#/apps/' + enc + '/notice' }, '一次告知书'),
          h('a.btn', { href: '#/apps/' + enc + '/materials' }, '材料清单'),
          h('a.btn', { href: '#/' }, '返回')));
      SB.replace(appInfo, h('dl.meta',
        h('div', h('dt', '状态'), h('dd', SB.stateBadge(app))),
        h('div', h('dt', '统一社会信用代码'), h('dd.mono', app.credit_code || '（未填写）')),
        h('div', h('dt', '所在地（市）/园区'), h('dd', app.region || '（未填写）')),
        h('div', h('dt', '申报年度'), h('dd', String(app.year) + '（审核 ' + (app.year - 1) + ' 年度）')),
        h('div', h('dt', '服务功能'), h('dd', app.functions.length ? app.functions.map(SB.functionName).join('、') : '（未选择）')),
        h('div', h('dt', '创建时间'), h('dd', SB.formatTime(app.created_at)))));
      const canUpload = SB.may('upload', app);
      uploadCard.hidden = !canUpload;
      jumpUpload.hidden = !canUpload;
      docsHint.hidden = !canUpload;
      flow.setApp(app);
    }

    // gone stops everything for an application that does not exist or that the user may not see.
    function gone() {
      stopped = true;
      clearTimeout(pollTimer);
      queue.length = 0;
      SB.replace(main, SB.notFound('该申报'));
      document.title = '未找到 · 申报材料审核';
    }

    async function loadApp() {
      try {
        app = await SB.api.get(base);
      } catch (err) {
        if (!ctx.isCurrent()) return;
        if (err.status === 404) {
          gone();
          return;
        }
        if (!err.status || err.status >= 500) {
          // Not reached: say so once, and try again.
          offline.hidden = false;
          SB.replace(checklistBox, h('p.muted', '正在等待服务器，连接恢复后自动加载审核清单。'));
          SB.replace(docsBox, h('p.muted', '正在等待服务器，连接恢复后自动加载材料。'));
          if (!stopped) pollTimer = setTimeout(loadApp, 5000);
          return;
        }
        SB.replace(appInfo, SB.alertBox(err));
        SB.replace(checklistBox, h('p.muted', '申报信息未能加载，审核清单暂不可用。'));
        SB.replace(docsBox, h('p.muted', '申报信息未能加载。'));
        return;
      }
      if (!ctx.isCurrent() || stopped) return;
      offline.hidden = true;
      showApp();
      if (lastDocs.length) renderDocs(lastDocs);
      if (act === 'docs') requestAnimationFrame(() => { const el = document.getElementById('h-docs'); if (el) el.scrollIntoView(); });
      refreshDocs();
    }

    // onChanged takes the application after a transition: what the user may do has changed.
    function onChanged(a) {
      if (stopped) return;
      app = a;
      showApp();
      renderDocs(lastDocs);
      loadChecklist();
      hist.reload();
      if (archive) archive.reload();
    }

    let inflight = false;
    let again = false;
    let pending = 0; // documents still being read
    let failures = 0; // polls in a row that did not reach the server
    let lastReport = null;

    // refreshDocs reloads the documents, and polls while any is still received or processing.
    async function refreshDocs() {
      if (stopped || !app) return;
      if (inflight) { again = true; return; }
      inflight = true;
      clearTimeout(pollTimer);
      let next = 0;
      try {
        const data = await SB.api.get(base + '/documents');
        if (!ctx.isCurrent() || stopped) return;
        offline.hidden = true;
        failures = 0;
        const items = data.items || [];
        lastDocs = items;
        renderDocs(items);
        flow.setDocs(items);
        // The checklist counts documents that are done: reload it whenever that set changes.
        const doneSig = items.filter((d) => d.status === 'done' || d.status === 'failed')
          .map((d) => d.id + d.status + d.updated_at).join('|');
        if (doneSig !== lastDoneSig) {
          lastDoneSig = doneSig;
          loadChecklist();
        }
        const busy = items.filter((d) => !d.replaced_by && (d.status === 'received' || d.status === 'processing')).length;
        if (busy !== pending) {
          pending = busy;
          if (lastReport) showChecklist(lastReport, true);
        }
        checkNote.hidden = !busy;
        checkNote.textContent = busy ? '还有 ' + busy + ' 份材料正在识别，完成后清单自动更新。' : '';
        if (busy) next = POLL_MS;
      } catch (err) {
        if (!ctx.isCurrent() || stopped) return;
        if (err.status === 404) {
          gone();
          return;
        }
        if (!err.status || err.status >= 500) {
          // The server cannot be reached: the list stays as it was, and the page keeps trying.
          offline.hidden = false;
          failures++;
          next = Math.min(POLL_MS * 2 ** failures, 30000);
        } else {
          SB.replace(docsBox, SB.alertBox(err));
          cards.clear();
          next = POLL_MS * 4;
        }
      } finally {
        inflight = false;
        if (again) { again = false; next = 1; }
        if (next && !stopped) pollTimer = setTimeout(refreshDocs, next);
      }
    }

    // ---- overall progress: pages read of all documents, and an estimate from the pace seen ----
    const paceSamples = []; // [time, pages done]

    function renderProgress(items) {
      const live = items.filter((d) => !d.replaced_by);
      readProgress.hidden = !live.length;
      if (!live.length) return;
      const finished = (d) => d.status === 'done' || d.status === 'failed';
      const known = live.filter((d) => d.page_count > 0);
      const avg = known.length ? known.reduce((n, d) => n + d.page_count, 0) / known.length : 2;
      let total = 0;
      let done = 0;
      for (const d of live) {
        const n = d.page_count > 0 ? d.page_count : (finished(d) ? 1 : avg);
        total += n;
        if (finished(d)) done += n;
        else if (d.status === 'processing') done += Math.min(d.pages_done || 0, n);
      }
      total = Math.round(total);
      done = Math.round(done);
      const docsDone = live.filter(finished).length;
      const failed = live.filter((d) => d.status === 'failed').length;
      const pct = total ? Math.round((done / total) * 100) : 0;
      progressFill.style.width = pct + '%';
      progressBar.setAttribute('aria-valuenow', String(pct));
      readProgress.dataset.done = String(done);
      readProgress.dataset.total = String(total);
      readProgress.dataset.docsDone = String(docsDone);
      const failText = failed ? '，其中 ' + failed + ' 份识别失败' : '';
      if (docsDone === live.length) {
        paceSamples.length = 0;
        readProgress.dataset.state = 'done';
        progressText.textContent = live.length + ' 份材料已全部识别完（共 ' + total + ' 页）' + failText + '。';
        return;
      }
      readProgress.dataset.state = 'reading';
      const now = Date.now();
      paceSamples.push([now, done]);
      while (paceSamples.length > 2 && now - paceSamples[0][0] > 120000) paceSamples.shift();
      const [t0, d0] = paceSamples[0];
      let eta = '正在估算剩余时间';
      if (done > d0 && now - t0 > 3000) {
        const secs = ((total - done) / (done - d0)) * ((now - t0) / 1000);
        eta = secs < 60 ? '预计不到 1 分钟' : '预计还需约 ' + Math.ceil(secs / 60) + ' 分钟';
      }
      progressText.textContent = '已识别 ' + done + ' / ' + total + ' 页' + (known.length < live.length ? '（页数按已知材料估计）' : '') +
        '，' + live.length + ' 份材料中 ' + docsDone + ' 份已完成' + failText + '；' + eta + '。';
    }

    function renderDocs(items) {
      docsCount.textContent = items.length ? '（' + items.length + ' 份）' : '';
      renderProgress(items);
      if (!items.length) {
        cards.clear();
        SB.replace(docsBox, h('p.muted', '尚未上传材料。'));
        return;
      }
      let list = docsBox.querySelector('ul.doc-list');
      if (!list) {
        SB.clear(docsBox);
        list = h('ul.doc-list');
        docsBox.appendChild(list);
      }
      const seen = new Set();
      items.forEach((d, i) => {
        seen.add(d.id);
        const sig = d.status + '|' + d.updated_at + '|' + d.kind + '|' + (d.pages_done || 0) + '|' + (d.replaced_by || '') + '|' + (app ? app.state : '');
        let c = cards.get(d.id);
        if (!c || c.sig !== sig) {
          const el = docCard(d);
          if (c) list.replaceChild(el, c.el);
          c = { el, sig };
          cards.set(d.id, c);
        }
        if (list.children[i] !== c.el) list.insertBefore(c.el, list.children[i] || null);
      });
      for (const [id, c] of cards) {
        if (!seen.has(id)) { c.el.remove(); cards.delete(id); }
      }
    }

    function docCard(d) {
      const fields = d.fields || {};
      const names = Object.keys(fields).sort((a, b) => order(a) - order(b));
      const lowCount = names.filter((n) => fields[n].confidence < SB.LOW_CONFIDENCE && !(fields[n].review && fields[n].review.action)).length;
      const canReplace = SB.may('upload', app) && !d.replaced_by;
      const replaceBtn = canReplace ? h('button.btn.btn-small', { type: 'button', dataset: { action: 'replace' }, title: '重新上传正确的文件；原文件仍保留在档案中' }, '替换') : null;
      if (replaceBtn) replaceBtn.addEventListener('click', () => { replaceTarget = d; replaceInput.click(); });
      let stateLine = null;
      if (d.replaced_by) {
        stateLine = h('p.muted.small', '已被替换：该文件保留在档案中，不再计入材料清单。');
      } else if (d.status === 'failed') {
        stateLine = h('p.alert.alert-error.small', '识别失败：' + SB.sentence(d.reason) + '。' + (canReplace ? '需要重新上传时，可点“替换”。' : ''));
      } else if (d.status === 'processing') {
        stateLine = h('p.muted.small.working', '正在识别文字' +
          (d.page_count ? '（已识别 ' + (d.pages_done || 0) + ' / ' + d.page_count + ' 页）' : '') + '…');
      } else if (d.status === 'received') {
        stateLine = h('p.muted.small.working', '已收到，排队等待识别…');
      }
      const pageNotes = (d.pages || []).filter((p) => p.blank || p.illegible || p.error).map((p) =>
        '第' + p.number + '页' + (p.error ? '读取失败' : p.blank ? '为空白页' : '难以辨认'));
      return h('li.doc-card' + (d.replaced_by ? '.replaced' : ''), { dataset: { docId: d.id, status: d.status, kind: d.kind || '' } },
        h('div.doc-head',
          h('div.doc-name',
            d.status === 'done' || d.status === 'failed' ? h('a', { href: SB.docLink(d.id) }, d.file_name) : h('span', d.file_name),
            h('span.muted.small', { title: '上传于 ' + SB.formatTime(d.uploaded_at) }, ' ' + SB.formatSize(d.size) + (d.page_count ? ' · ' + d.page_count + ' 页' : ''))),
          h('div.doc-badges',
            SB.statusBadge(d.status),
            d.kind ? SB.badge(d.kind_name || SB.kindName(d.kind), 'kind', d.kind_confidence ? '识别把握 ' + SB.percent(d.kind_confidence) : undefined) : null)),
        stateLine,
        pageNotes.length ? h('p.small.warn-text', pageNotes.join('；') + '。') : null,
        h('div.doc-foot',
        h('div.btn-row.small',
          d.status === 'done' ? h('a.btn.btn-small', { href: SB.docLink(d.id) }, SB.may('review', app) ? '查看/审核' : '查看') : null,
          d.status === 'failed' ? h('a.btn.btn-small', { href: SB.docLink(d.id), title: '查看失败原因和能读出的页面' }, '查看') : null,
          replaceBtn,
          h('a.btn.btn-small', { href: SB.API + '/documents/' + encodeURIComponent(d.id) + '/original', download: d.file_name }, '下载原件')),
        names.length ? h('details.doc-fields', h('summary', '识别出的内容（' + names.length + ' 项' + (lowCount ? '，' + lowCount + ' 项把握不足' : '') + '）'), h('dl.kv', names.map((n) => {
          const f = fields[n];
          const low = f.confidence < SB.LOW_CONFIDENCE && !(f.review && f.review.action);
          return h('div', { class: low ? 'low' : '' },
            h('dt', SB.fieldLabel(n)),
            h('dd', SB.formatValue(n, f.value),
              low ? h('span.tag-low', '置信度低') : null,
              SB.flagNames(f).map((x) => h('span.chip.chip-warn', x)),
              f.review ? h('span.tag-ok', f.review.action === 'correct' ? '已更正' : '已确认') : null));
        }))) : (d.status === 'done' ? h('span.muted.small', '未提取到字段。') : null)));
    }

    function order(name) {
      const i = SB.FIELD_ORDER.indexOf(name);
      return i < 0 ? 999 : i;
    }

    async function loadChecklist() {
      try {
        const report = await SB.api.get(base + '/checklist');
        if (!ctx.isCurrent()) return;
        flow.setReport(report);
        showChecklist(report, true);
      } catch (err) {
        if (!ctx.isCurrent() || stopped) return;
        if (err.status === 404) { gone(); return; }
        if (!err.status || err.status >= 500) return; // the banner says it; the next poll retries
        SB.replace(checklistBox, SB.alertBox(err));
      }
    }

    // showChecklist draws the report; a refresh keeps open review forms open, a decision closes them.
    function showChecklist(report, keepOpen) {
      const kept = [];
      if (keepOpen) {
        for (const d of checklistBox.querySelectorAll('details[open]')) {
          const item = d.closest('[data-item]');
          const ta = d.querySelector('textarea');
          if (item) kept.push([item.dataset.item, ta ? ta.value : null]);
        }
      }
      lastReport = report;
      SB.replace(checklistBox, SB.checklist.render(report, {
        appId, review: SB.may('review', app), onReviewed: (r) => showChecklist(r, false),
        applicant: SB.role() === 'applicant', pending,
      }));
      for (const [n, text] of kept) {
        const det = checklistBox.querySelector('[data-item="' + n + '"] details');
        if (!det) continue;
        det.open = true;
        const ta = det.querySelector('textarea');
        if (ta && text !== null) ta.value = text;
      }
    }

    loadApp();

    return function () {
      stopped = true;
      clearTimeout(pollTimer);
      window.removeEventListener('dragover', stray);
      window.removeEventListener('drop', stray);
    };
  };
})();
