// Reviewer screen (#/docs/{id}?page=&field=): the page image beside the extracted fields. Hovering a
// field highlights its box on the page and hovering a box highlights its field; zoom, pan, pages, the
// OCR text; confirm or correct fields, change the kind, accept or reject the items the document serves.
// A corrected or added value can be marked on the page (人工标注): the reviewer drags a rectangle round
// it (mouse or touch); the mark is saved with the correction, in the page's pixels as extracted boxes.
'use strict';

(function () {
  const SB = window.SB;
  const h = SB.h;
  const POLL_MS = 1500;
  const MIN_ZOOM = 0.5;
  const MAX_ZOOM = 5;

  const ENUM_OPTIONS = {
    audit_opinion: [['unqualified', '无保留意见'], ['qualified', '保留意见'], ['adverse', '否定意见'], ['disclaimer', '无法表示意见']],
    issuer_level: [['national', '国家级'], ['autonomous_region', '自治区级'], ['prefecture', '地（市）级'], ['county', '县级']],
    has_seal: [['true', '有公章'], ['false', '无公章']],
  };

  function hintFor(name) {
    if (/_date$|^lease_(start|end)$/.test(name)) return '日期，格式 YYYY-MM-DD';
    if (name === 'operating_term_end') return 'YYYY-MM-DD，或“长期”';
    if (/_yuan$/.test(name)) return '金额，以元为单位的数字';
    if (/_pct$/.test(name)) return '百分数，0–100 的数字';
    if (/_m2$/.test(name)) return '面积，平方米';
    if (name === 'credit_code') return '18 位统一社会信用代码';
    return '';
  }

  function validBox(b) {
    return Array.isArray(b) && b.length === 4 && b[2] > b[0] && b[3] > b[1];
  }

  SB.screens.reviewer = function (main, docId, ctx) {
    document.title = '材料审核 · 申报材料审核';
    const enc = encodeURIComponent(docId);
    let doc = null;
    let app = null; // the document's application: what the user may do depends on its state
    let pages = [];
    let pageNo = Math.max(1, parseInt(ctx.query.get('page') || '1', 10) || 1);
    let selected = ctx.query.get('field') || '';
    let hovered = '';
    let zoom = 1;
    let showText = false;
    let stopped = false;
    let pollTimer = 0;
    let imgSize = 0;
    let resizeObs = null;
    let drawing = null; // the mark control waiting for a rectangle drawn on the page
    let sketch = null; // the rectangle being drawn: pointer, corners (page pixels), element
    let pending = null; // the mark control whose unsaved mark is shown on the page

    // ---- skeleton ----
    const head = h('div.page-head', h('h1', '材料审核'));
    const prevBtn = h('button.btn.btn-small', { type: 'button', 'aria-label': '上一页', on: { click: () => showPage(pageNo - 1) } }, '‹ 上一页');
    const nextBtn = h('button.btn.btn-small', { type: 'button', 'aria-label': '下一页', on: { click: () => showPage(pageNo + 1) } }, '下一页 ›');
    const pageInfo = h('span.page-info', { 'aria-live': 'polite' });
    const zoomOut = h('button.btn.btn-small', { type: 'button', 'aria-label': '缩小', title: '缩小', on: { click: () => setZoom(zoom / 1.25) } }, '－');
    const zoomIn = h('button.btn.btn-small', { type: 'button', 'aria-label': '放大', title: '放大', on: { click: () => setZoom(zoom * 1.25) } }, '＋');
    const zoomInfo = h('span.zoom-info', '100%');
    const fitBtn = h('button.btn.btn-small', { type: 'button', title: '按宽度显示整页', on: { click: () => setZoom(1, true) } }, '适合宽度');
    const textToggle = h('input#ocr-toggle', { type: 'checkbox', on: { change: () => { showText = textToggle.checked; renderPage(); } } });
    const toolbar = h('div.toolbar', { role: 'toolbar', 'aria-label': '页面工具' },
      h('div.tb-group', prevBtn, pageInfo, nextBtn),
      h('div.tb-group', zoomOut, zoomInfo, zoomIn, fitBtn),
      h('label.tb-check', { for: 'ocr-toggle' }, textToggle, ' 显示识别文字'));
    const img = h('img.page-img', { alt: '', draggable: 'false' });
    const overlay = h('div.overlay');
    const stage = h('div.stage', img, overlay);
    const viewport = h('div.viewport', { tabindex: 0, 'aria-label': '页面图像：滚轮缩放，拖动平移，方向键滚动' }, stage);
    const pageNote = h('div.page-note', { 'aria-live': 'polite' });
    const textPanel = h('div.ocr-text', { hidden: true });
    const thumbs = h('nav.thumbs', { 'aria-label': '页面缩略图', hidden: true });
    const drawText = h('span');
    const drawHint = h('div.draw-hint', { role: 'status', hidden: true }, drawText,
      h('button.btn.btn-small', { type: 'button', dataset: { action: 'cancel-draw' }, on: { click: () => stopDrawing() } }, '取消标注'));
    const viewerPane = h('section.card.viewer-pane', { 'aria-label': '页面图像' }, toolbar, thumbs, pageNote, drawHint, viewport, textPanel);
    const docInfo = h('div.doc-info');
    const declaredBox = h('div.declared', { 'aria-live': 'polite' });
    let declared = null;
    let declaredShown = '';
    const fieldList = h('ul.field-list', { 'aria-label': '提取的字段' });
    const narrow = window.matchMedia('(max-width: 899px)'); // one column: the page above the fields
    let contested = {}; // field → the problem that points at it (from the checklist)
    // A field to check: read with low confidence, flagged or pointed at by a problem, and not yet
    // confirmed or corrected.
    const onlyCheck = h('input#only-check', { type: 'checkbox', on: { change: () => { fieldList.classList.toggle('only-check', onlyCheck.checked); renderFields(); } } });
    const fieldsBox = h('div.fields-box', fieldList);
    const itemsBox = h('div.rv-items');
    const warningsBox = h('div.rv-warnings');
    const side = h('aside.card.fields-pane', { 'aria-label': '提取的字段与审核' },
      docInfo,
      h('h2', '申报信息核对'),
      h('p.hint', '申报时填写的单位名称和统一社会信用代码在本材料中的位置（允许个别字识别误差）。'),
      declaredBox,
      h('h2', '提取的字段'),
      h('p.hint', '将鼠标移到字段上可在左侧页面中看到它的位置；点击字段可定位。置信度低于 85% 的字段以橙色标出，请重点核对。'),
      h('label.tb-check.only-check', { for: 'only-check' }, onlyCheck, ' 只看需要核对的字段'),
      h('p.hint.keys', '键盘：在字段上按 ↑ ↓ 切换字段，按 Y 确认并转到下一个字段；按 [ 或 ] 转到上一份或下一份材料。'),
      fieldsBox,
      h('h2', '与本材料有关的问题'),
      warningsBox,
      h('h2', '所属审核清单项'),
      itemsBox);
    const grid = h('div.rv-grid', viewerPane, side);
    SB.append(main, [head, h('div.rv-status'), grid]);
    const statusBox = main.querySelector('.rv-status');

    // ---- zoom and pan ----
    function fitWidth() {
      return Math.max(200, viewport.clientWidth - 2);
    }

    function layout() {
      const p = pages[pageNo - 1];
      if (!p || !p.width || !p.height) return;
      const w = Math.round(fitWidth() * zoom);
      stage.style.width = w + 'px';
      stage.style.height = Math.round((w * p.height) / p.width) + 'px';
      zoomInfo.textContent = Math.round(zoom * 100) + '%';
      // A sharper image once the page is drawn larger than the 1000-pixel one.
      const longSide = Math.max(w, (w * p.height) / p.width) * (window.devicePixelRatio || 1);
      loadImage(longSide > 1100 ? 2000 : 1000);
    }

    function setZoom(z, reset, anchorX, anchorY) {
      z = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
      const old = stage.offsetWidth || 1;
      const ax = anchorX === undefined ? viewport.clientWidth / 2 : anchorX;
      const ay = anchorY === undefined ? viewport.clientHeight / 2 : anchorY;
      const px = viewport.scrollLeft + ax;
      const py = viewport.scrollTop + ay;
      zoom = z;
      layout();
      const ratio = (stage.offsetWidth || 1) / old;
      if (reset) {
        viewport.scrollLeft = 0;
        viewport.scrollTop = 0;
      } else {
        viewport.scrollLeft = px * ratio - ax;
        viewport.scrollTop = py * ratio - ay;
      }
    }

    viewport.addEventListener('wheel', (e) => {
      if (!pages.length) return;
      e.preventDefault();
      const r = viewport.getBoundingClientRect();
      const factor = Math.pow(1.0015, -e.deltaY * (e.deltaMode === 1 ? 33 : 1));
      setZoom(zoom * factor, false, e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });

    let drag = null;
    viewport.addEventListener('pointerdown', (e) => {
      if (drawing) { beginSketch(e); return; }
      if (e.pointerType !== 'mouse' || e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, sl: viewport.scrollLeft, st: viewport.scrollTop, moved: false, id: e.pointerId };
    });
    viewport.addEventListener('pointermove', (e) => {
      if (sketch && e.pointerId === sketch.id) { moveSketch(e); return; }
      if (!drag || e.pointerId !== drag.id) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 4) {
        drag.moved = true;
        viewport.classList.add('grabbing');
        viewport.setPointerCapture(e.pointerId);
      }
      if (drag.moved) {
        viewport.scrollLeft = drag.sl - dx;
        viewport.scrollTop = drag.st - dy;
      }
    });
    // A drag is not a click on a box.
    function swallowClick() {
      const swallow = (ev) => { ev.stopPropagation(); ev.preventDefault(); };
      viewport.addEventListener('click', swallow, { capture: true, once: true });
      setTimeout(() => viewport.removeEventListener('click', swallow, { capture: true }), 0);
    }
    const endDrag = (e) => {
      if (sketch && e.pointerId === sketch.id) { endSketch(e); return; }
      if (!drag) return;
      if (drag.moved) {
        swallowClick();
        if (viewport.hasPointerCapture && viewport.hasPointerCapture(e.pointerId)) viewport.releasePointerCapture(e.pointerId);
      }
      viewport.classList.remove('grabbing');
      drag = null;
    };
    viewport.addEventListener('pointerup', endDrag);
    viewport.addEventListener('pointercancel', endDrag);
    viewport.addEventListener('keydown', (e) => {
      if (e.key === '+' || e.key === '=') { setZoom(zoom * 1.25); e.preventDefault(); }
      if (e.key === '-') { setZoom(zoom / 1.25); e.preventDefault(); }
      if (e.key === 'PageDown') { showPage(pageNo + 1); e.preventDefault(); }
      if (e.key === 'PageUp') { showPage(pageNo - 1); e.preventDefault(); }
    });

    // ---- marking where a corrected value is printed (人工标注) ----
    // pagePoint is where a pointer stands on the page, in the page's pixels, kept inside the page.
    function pagePoint(e, p) {
      const r = stage.getBoundingClientRect();
      const fx = Math.min(1, Math.max(0, (e.clientX - r.left) / (r.width || 1)));
      const fy = Math.min(1, Math.max(0, (e.clientY - r.top) / (r.height || 1)));
      return { x: fx * p.width, y: fy * p.height, cx: e.clientX, cy: e.clientY };
    }

    function sketchBox() {
      const { a, b } = sketch;
      return [Math.floor(Math.min(a.x, b.x)), Math.floor(Math.min(a.y, b.y)), Math.ceil(Math.max(a.x, b.x)), Math.ceil(Math.max(a.y, b.y))];
    }

    function beginSketch(e) {
      const p = pages[pageNo - 1];
      if (!p || !p.width || !p.height || (e.pointerType === 'mouse' && e.button !== 0)) return;
      e.preventDefault();
      const a = pagePoint(e, p);
      sketch = { id: e.pointerId, a, b: a, page: p, el: h('div.mbox.sketch', h('span.mbox-label', '人工标注')) };
      place(sketch.el, sketchBox(), p);
      overlay.appendChild(sketch.el);
      viewport.setPointerCapture(e.pointerId);
    }

    function moveSketch(e) {
      e.preventDefault();
      sketch.b = pagePoint(e, sketch.page);
      place(sketch.el, sketchBox(), sketch.page);
    }

    function endSketch(e) {
      const s = sketch;
      sketch = null;
      s.el.remove();
      swallowClick();
      if (viewport.hasPointerCapture && viewport.hasPointerCapture(e.pointerId)) viewport.releasePointerCapture(e.pointerId);
      if (e.type === 'pointercancel' || !drawing) return;
      s.b = pagePoint(e, s.page);
      // A tap or a line is no box: drawing goes on.
      if (Math.abs(s.b.cx - s.a.cx) < 4 || Math.abs(s.b.cy - s.a.cy) < 4) {
        drawText.textContent = '框太小：请按住并拖出一个矩形，框住该值。';
        return;
      }
      sketch = s;
      const box = sketchBox();
      sketch = null;
      const ctl = drawing;
      stopDrawing();
      ctl.set({ page: s.page.number, bbox: box });
    }

    function startDrawing(ctl) {
      drawing = ctl;
      pending = ctl;
      viewport.classList.add('drawing');
      drawText.textContent = '正在标注“' + SB.fieldLabel(ctl.name()) + '”的位置：在页面上按住并拖出矩形框住该值（可先翻页或缩放）。';
      drawHint.hidden = false;
      ctl.show();
      // On a phone the page is above the form.
      if (narrow.matches) viewerPane.scrollIntoView({ block: 'start' });
    }

    function stopDrawing() {
      const ctl = drawing;
      drawing = null;
      viewport.classList.remove('drawing');
      drawHint.hidden = true;
      if (ctl) ctl.show();
    }

    // markControl lets a reviewer say where a corrected or added value is printed, optionally: the
    // form saves without it (a keyboard user just skips it). initial is the field's saved mark.
    function markControl(nameOf, initial) {
      let mark = initial && validBox(initial.bbox) ? { page: initial.page, bbox: initial.bbox.slice() } : null;
      const state = h('span.mark-state.small');
      const drawBtn = h('button.btn.btn-small', { type: 'button', dataset: { action: 'draw-box' } });
      const clearBtn = h('button.btn.btn-small', { type: 'button', dataset: { action: 'clear-box' } }, '清除标注');
      const ctl = {
        el: h('div.mark-row', state, h('span.btn-row', drawBtn, clearBtn)),
        name: nameOf,
        get: () => mark,
        set: (m) => { mark = m; pending = ctl; ctl.show(); drawBoxes(); if (m) showPage(m.page); },
        show: () => {
          state.textContent = drawing === ctl ? '请在页面上拖出矩形…'
            : mark ? '已标注位置：第 ' + mark.page + ' 页' : '位置：未标注（可选）';
          drawBtn.textContent = mark ? '重新标注' : '在页面上标注位置';
          clearBtn.hidden = !mark;
        },
        // close forgets the control: its form is gone.
        close: () => {
          if (drawing === ctl) stopDrawing();
          if (pending === ctl) { pending = null; drawBoxes(); }
        },
      };
      drawBtn.addEventListener('click', () => {
        if (drawing === ctl) stopDrawing();
        else if (!ctl.name()) state.textContent = '请先选择字段，再标注位置。';
        else startDrawing(ctl);
      });
      clearBtn.addEventListener('click', () => { mark = null; pending = ctl; ctl.show(); drawBoxes(); });
      ctl.show();
      return ctl;
    }

    // markOf is a field's saved mark (人工标注), or null.
    function markOf(f) {
      const r = f && f.review;
      return r && r.page > 0 && validBox(r.bbox) ? { page: r.page, bbox: r.bbox } : null;
    }

    if (window.ResizeObserver) {
      let lastW = 0;
      resizeObs = new ResizeObserver(() => {
        const w = viewport.clientWidth;
        if (w && w !== lastW) { lastW = w; layout(); }
      });
      resizeObs.observe(viewport);
    }

    // ---- page image ----
    let imgToken = 0;
    function loadImage(size) {
      const p = pages[pageNo - 1];
      if (!p) return;
      const src = SB.API + '/documents/' + enc + '/pages/' + p.number + '/image?size=' + size;
      if (img.dataset.src === src || (img.dataset.page === String(p.number) && imgSize >= size)) return;
      const token = ++imgToken;
      const pre = new Image();
      stage.classList.add('img-loading');
      pre.onload = () => {
        if (token !== imgToken || stopped) return;
        img.src = src;
        img.dataset.src = src;
        img.dataset.page = String(p.number);
        imgSize = size;
        stage.classList.remove('img-loading', 'img-failed');
      };
      pre.onerror = () => {
        if (token !== imgToken || stopped) return;
        stage.classList.remove('img-loading');
        if (img.dataset.page !== String(p.number)) {
          stage.classList.add('img-failed');
          img.removeAttribute('src');
          pageNote.textContent = '无法显示第 ' + p.number + ' 页的图像，请稍后刷新重试；字段与识别文字仍可查看。';
        }
      };
      pre.src = src;
    }

    // ---- pages ----
    function showPage(n) {
      if (!pages.length) return;
      n = Math.min(pages.length, Math.max(1, n));
      if (n !== pageNo) {
        pageNo = n;
        imgSize = 0;
        img.dataset.src = '';
        img.dataset.page = '';
        img.removeAttribute('src');
        viewport.scrollTop = 0;
        viewport.scrollLeft = 0;
        syncHash();
      }
      renderPage();
    }

    // renderThumbs shows a strip of the document's pages (more than one), the current one marked.
    function renderThumbs() {
      thumbs.hidden = pages.length < 2;
      if (thumbs.hidden) return;
      const key = docId + '|' + pages.length;
      if (thumbs.dataset.key !== key) {
        thumbs.dataset.key = key;
        SB.replace(thumbs, pages.map((p, i) => h('button.thumb', {
          type: 'button', dataset: { page: String(i + 1) }, title: '第 ' + (i + 1) + ' 页',
          on: { click: () => showPage(i + 1) },
        },
        h('img', { src: SB.API + '/documents/' + enc + '/pages/' + p.number + '/image?size=1000', alt: '', loading: i < 12 ? 'eager' : 'lazy', draggable: 'false' }),
        h('span.thumb-no', String(i + 1)))));
      }
      for (const b of thumbs.querySelectorAll('.thumb')) {
        if (b.dataset.page === String(pageNo)) b.setAttribute('aria-current', 'page');
        else b.removeAttribute('aria-current');
      }
    }

    function renderPage() {
      renderThumbs();
      const p = pages[pageNo - 1];
      pageInfo.textContent = '第 ' + pageNo + ' / ' + pages.length + ' 页';
      prevBtn.disabled = pageNo <= 1;
      nextBtn.disabled = pageNo >= pages.length;
      if (!p) return;
      img.alt = (doc ? doc.file_name : '') + ' 第 ' + p.number + ' 页';
      const notes = [];
      if (p.blank) notes.push(h('span.warn-text', '本页为空白页'));
      if (p.illegible) notes.push(h('span.warn-text', '本页难以辨认（识别置信度低）'));
      if (p.error) notes.push(h('span.warn-text', '本页读取失败：' + p.error));
      if (p.seals && p.seals.length) notes.push(h('span.muted', '检出 ' + p.seals.length + ' 处红色印章（页面上以红圈标出）'));
      SB.replace(pageNote, notes);
      pageNote.hidden = !notes.length;
      layout();
      drawBoxes();
      renderText();
    }

    function place(el, b, p) {
      el.style.left = (b[0] / p.width) * 100 + '%';
      el.style.top = (b[1] / p.height) * 100 + '%';
      el.style.width = ((b[2] - b[0]) / p.width) * 100 + '%';
      el.style.height = ((b[3] - b[1]) / p.height) * 100 + '%';
    }

    function drawBoxes() {
      SB.clear(overlay);
      const p = pages[pageNo - 1];
      if (!p || !doc) return;
      if (showText) {
        for (const [i, l] of (p.lines || []).entries()) {
          if (!validBox(l.bbox)) continue;
          const el = h('div.lbox', { dataset: { line: String(i) } });
          place(el, l.bbox, p);
          overlay.appendChild(el);
        }
      }
      for (const s of p.seals || []) {
        if (!validBox(s)) continue;
        const el = h('div.sbox', { title: '印章' });
        place(el, s, p);
        overlay.appendChild(el);
      }
      if (declared && declaredShown && declared[declaredShown]) {
        const x = declared[declaredShown];
        if (x.found && x.page === p.number && validBox(x.bbox)) {
          const el = h('div.dbox', { title: '申报信息：' + x.declared });
          place(el, x.bbox, p);
          overlay.appendChild(el);
        }
      }
      const fields = doc.fields || {};
      for (const name of Object.keys(fields)) {
        const f = fields[name];
        if (f.page !== p.number || !validBox(f.bbox)) continue;
        const low = f.confidence < SB.LOW_CONFIDENCE && !f.review;
        const el = h('div.fbox', {
          class: low ? 'low' : '',
          dataset: { field: name },
          title: SB.fieldLabel(name) + '：' + SB.formatValue(name, f.value),
          on: {
            mouseenter: () => setHover(name),
            mouseleave: () => setHover(''),
            click: (e) => { e.stopPropagation(); select(name, false); },
          },
        });
        place(el, f.bbox, p);
        overlay.appendChild(el);
      }
      // Where reviewers marked corrected values (人工标注), and the mark of the open form, unsaved.
      const pendingName = pending && pending.name();
      for (const name of Object.keys(fields)) {
        const m = markOf(fields[name]);
        if (!m || m.page !== p.number || name === pendingName) continue;
        overlay.appendChild(markBox(name, m, p, false));
      }
      const pm = pending && pending.get();
      if (pm && pendingName && pm.page === p.number) overlay.appendChild(markBox(pendingName, pm, p, true));
      markActive();
    }

    function markBox(name, m, p, unsaved) {
      const el = h('div.mbox', {
        // The label stands above the box, or inside it at the top of the page.
        class: (unsaved ? 'pending' : '') + (m.bbox[1] < p.height * 0.03 ? ' label-in' : ''),
        dataset: { field: name },
        title: SB.fieldLabel(name) + '（人工标注' + (unsaved ? '，尚未保存' : '') + '）',
        on: {
          mouseenter: () => setHover(name),
          mouseleave: () => setHover(''),
          click: (e) => { e.stopPropagation(); select(name, false); },
        },
      }, h('span.mbox-label', unsaved ? '人工标注（未保存）' : '人工标注'));
      place(el, m.bbox, p);
      return el;
    }

    function renderText() {
      textPanel.hidden = !showText;
      if (!showText) return;
      const p = pages[pageNo - 1];
      if (!p) { SB.clear(textPanel); return; }
      const lines = p.lines || [];
      SB.replace(textPanel,
        h('div.ocr-head',
          h('strong', '第 ' + p.number + ' 页识别文字'),
          h('span.muted.small', ' 平均置信度 ' + SB.percent(p.mean_confidence || 0) + (p.dpi ? ' · ' + p.dpi + ' dpi' : '') +
            (p.source ? ' · 来源 ' + ({ text_layer: 'PDF 自带文字', ocr: '图像识别（OCR）' }[p.source] || p.source) : ''))),
        lines.length
          ? h('ol.ocr-lines', lines.map((l, i) => h('li', {
            dataset: { line: String(i) },
            on: {
              mouseenter: () => lineHover(i, true),
              mouseleave: () => lineHover(i, false),
            },
          }, l.text)))
          : h('pre.ocr-pre', p.text || '（本页没有识别出文字）'));
    }

    function lineHover(i, on) {
      const el = overlay.querySelector('.lbox[data-line="' + i + '"]');
      if (el) el.classList.toggle('active', on);
    }

    // ---- field ↔ box highlighting ----
    function setHover(name) {
      hovered = name;
      markActive();
    }

    function markActive() {
      const active = hovered || selected;
      for (const el of overlay.querySelectorAll('.fbox, .mbox')) {
        el.classList.toggle('active', el.dataset.field === active);
        el.classList.toggle('selected', el.dataset.field === selected);
      }
      for (const el of fieldList.querySelectorAll('.field-row')) {
        el.classList.toggle('hover', el.dataset.field === hovered);
        el.classList.toggle('selected', el.dataset.field === selected);
      }
    }

    // select makes a field the sticky one: go to its page and bring its box (or its row) into view.
    function select(name, fromList) {
      selected = selected === name && !fromList ? '' : name;
      const f = doc && doc.fields && doc.fields[name];
      const at = markOf(f) || f; // a reviewer's mark says where the value is
      if (selected && at && at.page && at.page !== pageNo) showPage(at.page);
      markActive();
      syncHash();
      if (!selected) return;
      if (fromList) {
        const box = overlay.querySelector('.mbox[data-field="' + CSS.escape(name) + '"]') || overlay.querySelector('.fbox[data-field="' + CSS.escape(name) + '"]');
        if (box) scrollBoxIntoView(box);
        // On a phone the page is above the list: bring the box itself into sight.
        if (box && narrow.matches) box.scrollIntoView({ block: 'center', inline: 'nearest' });
      } else {
        const row = fieldList.querySelector('.field-row[data-field="' + CSS.escape(name) + '"]');
        if (row) row.scrollIntoView({ block: 'nearest' });
      }
    }

    function scrollBoxIntoView(box) {
      const bx = box.offsetLeft;
      const by = box.offsetTop;
      const vw = viewport.clientWidth;
      const vh = viewport.clientHeight;
      if (bx < viewport.scrollLeft || bx + box.offsetWidth > viewport.scrollLeft + vw) viewport.scrollLeft = bx - vw / 3;
      if (by < viewport.scrollTop || by + box.offsetHeight > viewport.scrollTop + vh) viewport.scrollTop = by - vh / 3;
    }

    function syncHash() {
      const link = SB.docLink(docId, pageNo > 1 ? pageNo : 0, selected);
      if (location.hash !== link) history.replaceState(null, '', link);
    }

    // ---- fields ----
    function renderFields() {
      const fields = doc.fields || {};
      const all = Object.keys(fields).sort((a, b) => order(a) - order(b));
      const names = onlyCheck.checked ? all.filter((n) => toCheck(fields[n], n)) : all;
      SB.replace(fieldList, names.map((n) => fieldRow(n, fields[n])));
      if (!all.length) fieldList.appendChild(h('li.muted', '未从本材料中提取到字段。'));
      else if (!names.length) fieldList.appendChild(h('li.muted.none-to-check', '没有需要核对的字段：都已确认、更正，或识别把握充足。'));
      SB.replace(fieldsBox, fieldList, SB.may('review', app) ? addFieldForm(names) : null);
      markActive();
    }

    function order(name) {
      const i = SB.FIELD_ORDER.indexOf(name);
      return i < 0 ? 999 : i;
    }

    // moveField focuses and selects the field step rows after name (the rows as listed).
    function moveField(name, step) {
      const rows = Array.from(fieldList.querySelectorAll('.field-row'));
      const i = rows.findIndex((r) => r.dataset.field === name);
      const next = rows[i + step];
      if (!next) return;
      next.focus();
      select(next.dataset.field, true);
    }

    function toCheck(f, name) {
      if (f.review && f.review.action) return false;
      return f.confidence < SB.LOW_CONFIDENCE || SB.flagNames(f).length > 0 || !!contested[name];
    }

    function fieldRow(name, f) {
      const low = f.confidence < SB.LOW_CONFIDENCE;
      const reviewed = f.review && f.review.action;
      const hasBox = f.page > 0 && validBox(f.bbox);
      const mark = markOf(f);
      const msg = h('p.form-msg', { role: 'status' });
      const editor = h('div.fr-edit', { hidden: true });
      const confirmBtn = h('button.btn.btn-small.btn-ok', { type: 'button', dataset: { action: 'confirm' } }, '确认');
      const correctBtn = h('button.btn.btn-small', { type: 'button', dataset: { action: 'correct' } }, '更正');
      confirmBtn.addEventListener('click', (e) => { e.stopPropagation(); review(name, { action: 'confirm' }, msg, confirmBtn); });
      correctBtn.addEventListener('click', (e) => {
        e.stopPropagation();
        editor.hidden = !editor.hidden;
        if (!editor.hidden) {
          SB.replace(editor, correctionForm(name, f, msg, () => { editor.hidden = true; }));
          const input = editor.querySelector('input, select');
          if (input) input.focus();
        }
      });
      const row = h('li.field-row', {
        class: [low ? 'low' : '', reviewed ? 'reviewed' : ''].join(' '),
        tabindex: 0,
        dataset: { field: name, low: String(low), page: String((mark || f).page || 0) },
        'aria-label': SB.fieldLabel(name) + '：' + SB.formatValue(name, f.value) + (low ? '，置信度低' : ''),
        on: {
          mouseenter: () => setHover(name),
          mouseleave: () => setHover(''),
          focus: (e) => { if (e.target === row) setHover(name); },
          blur: () => setHover(''),
          click: (e) => { if (!e.target.closest('button, input, select, a, label, .fr-edit')) select(name, true); },
          keydown: (e) => {
            if (e.target !== row) return;
            if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(name, true); return; }
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); moveField(name, e.key === 'ArrowDown' ? 1 : -1); return; }
            if ((e.key === 'y' || e.key === 'Y') && SB.may('review', app) && !(f.review && f.review.action)) {
              // Confirm, then go on to the next field.
              e.preventDefault();
              review(name, { action: 'confirm' }, msg, confirmBtn).then((ok) => { if (ok) moveField(name, 1); });
            }
          },
        },
      },
      h('div.fr-head',
        h('span.fr-label', SB.fieldLabel(name)),
        h('span.fr-meta',
          low ? h('span.tag-low', '置信度低') : null,
          h('span.conf', { class: low ? 'low' : '' }, '置信度 ' + SB.percent(f.confidence || 0)),
          h('span.muted', mark ? ' · 第' + mark.page + '页（人工标注）' : hasBox ? ' · 第' + f.page + '页' : f.page ? ' · 第' + f.page + '页（无位置）' : ' · 无位置'))),
      h('div.fr-value', SB.formatValue(name, f.value)),
      f.text && f.text !== String(f.value) && !(reviewed && f.review.action === 'correct')
        ? h('div.fr-text.muted.small', '原文：' + f.text) : null,
      reviewed && f.review.action === 'correct' && f.ocr_value !== undefined
        ? h('div.fr-ocr.small', '识别原值：' + SB.formatValue(name, f.ocr_value)) : null,
      SB.flagNames(f).length || (contested[name] && !reviewed)
        ? h('div.fr-flags.small', SB.flagNames(f).map((x) => h('span.chip.chip-warn', x)),
          contested[name] && !reviewed ? h('span.chip.chip-warn.contested', { title: contested[name] }, '与清单中的问题有关，请核对') : null)
        : null,
      (f.contradicted_by || []).length && !reviewed
        ? h('div.fr-against.small', (f.contradicted_by || []).map((c) =>
          h('div', '《', h('a', { href: '#/docs/' + encodeURIComponent(c.document) }, c.file_name), '》所载：' + SB.formatValue(name, c.value))))
        : null,
      reviewed ? h('div.fr-review.small', SB.badge(f.review.action === 'correct' ? '已更正' : '已确认', 'oc-pass'),
        ' ' + (f.review.by || '') + (f.review.at ? ' · ' + SB.formatTime(f.review.at) : '')) : null,
      SB.may('review', app) ? h('div.btn-row.fr-actions', confirmBtn, correctBtn) : null,
      editor,
      msg);
      return row;
    }

    function valueInput(name, current, id) {
      if (ENUM_OPTIONS[name]) {
        const sel = h('select', { id }, ENUM_OPTIONS[name].map(([v, t]) => h('option', { value: v }, t)));
        sel.value = SB.editValue(name, current);
        return { el: sel, get: () => sel.value };
      }
      if (name === 'functions') {
        const have = Array.isArray(current) ? current : [];
        const boxes = SB.FUNCTIONS.map(([v, t]) => h('label.check-label', h('input', { type: 'checkbox', value: v, checked: have.includes(v) }), ' ' + t));
        const el = h('div.checks-row', { id, role: 'group', 'aria-label': '服务功能' }, boxes);
        return { el, get: () => Array.from(el.querySelectorAll('input:checked')).map((c) => c.value).join(',') };
      }
      const input = h('input', { id, type: 'text', value: SB.editValue(name, current), placeholder: hintFor(name) });
      return { el: input, get: () => input.value.trim() };
    }

    // withMark adds a mark (人工标注) to a correction's body.
    function withMark(body, mark) {
      if (mark) { body.page = mark.page; body.bbox = mark.bbox; }
      return body;
    }

    function correctionForm(name, f, msg, close) {
      const id = 'corr-' + name;
      const vi = valueInput(name, f.value, id);
      const mc = markControl(() => name, f.review && f.review.action === 'correct' ? markOf(f) : null);
      const done = () => { mc.close(); close(); };
      const save = h('button.btn.btn-small.btn-primary', { type: 'submit' }, '保存更正');
      const form = h('form.correct-form', {
        on: {
          submit: (e) => {
            e.preventDefault();
            const v = vi.get();
            if (v === '' && name !== 'functions') { msg.textContent = '请填写更正后的值。'; msg.className = 'form-msg error'; return; }
            review(name, withMark({ action: 'correct', value: v }, mc.get()), msg, save).then((ok) => { if (ok) done(); });
          },
        },
      },
      h('label.small', { for: id }, '更正为' + (hintFor(name) ? '（' + hintFor(name) + '）' : '')),
      vi.el,
      mc.el,
      h('div.btn-row', save, h('button.btn.btn-small', { type: 'button', on: { click: done } }, '取消')));
      return form;
    }

    // addFieldForm lets a reviewer record a value the OCR did not find.
    function addFieldForm(present) {
      const missing = SB.FIELD_ORDER.filter((n) => !present.includes(n));
      if (!missing.length) return null;
      const sel = h('select#add-field-name', h('option', { value: '' }, '选择字段'), missing.map((n) => h('option', { value: n }, SB.fieldLabel(n))));
      const slot = h('div.add-slot');
      const msg = h('p.form-msg', { role: 'status' });
      let vi = null;
      sel.addEventListener('change', () => {
        SB.clear(slot);
        vi = null;
        if (!sel.value) return;
        vi = valueInput(sel.value, null, 'add-field-value');
        slot.appendChild(h('label.sr-only', { for: 'add-field-value' }, '值'));
        slot.appendChild(vi.el);
      });
      const save = h('button.btn.btn-small', { type: 'submit' }, '补录');
      const mc = markControl(() => sel.value, null);
      return h('details.add-field',
        h('summary', '补录未识别出的字段'),
        h('form', {
          on: {
            submit: (e) => {
              e.preventDefault();
              if (!sel.value || !vi || !vi.get()) { msg.textContent = '请选择字段并填写值。'; msg.className = 'form-msg error'; return; }
              const mark = mc.get();
              review(sel.value, withMark({ action: 'correct', value: vi.get() }, mark), msg, save).then((ok) => { if (ok) mc.close(); });
            },
          },
        },
        h('label.small', { for: 'add-field-name' }, '字段'), sel, slot, mc.el, h('div.btn-row', save), msg));
    }

    async function review(name, body, msg, btn) {
      btn.disabled = true;
      msg.textContent = '正在保存…';
      msg.className = 'form-msg';
      try {
        const d = await SB.api.post('/documents/' + enc + '/fields/' + encodeURIComponent(name), body);
        if (!ctx.isCurrent()) return true;
        doc = d;
        SB.toast(body.action === 'confirm' ? '已确认“' + SB.fieldLabel(name) + '”。' : '已更正“' + SB.fieldLabel(name) + '”。');
        renderAll();
        loadChecklist();
        return true;
      } catch (err) {
        msg.textContent = SB.checklist.reviewError(err);
        msg.className = 'form-msg error';
        btn.disabled = false;
        return false;
      }
    }

    // ---- document info and kind ----
    function renderInfo() {
      const kindSel = h('select#kind-select', SB.KINDS.map(([v, t]) => h('option', { value: v }, t)));
      kindSel.value = doc.kind || 'other';
      const msg = h('p.form-msg', { role: 'status' });
      const btn = h('button.btn.btn-small', { type: 'submit' }, '改为此类型');
      const form = h('form.kind-form', {
        on: {
          submit: async (e) => {
            e.preventDefault();
            if (kindSel.value === doc.kind) { msg.textContent = '类型未改变。'; msg.className = 'form-msg'; return; }
            btn.disabled = true;
            msg.textContent = '正在保存…';
            try {
              doc = await SB.api.post('/documents/' + enc + '/kind', { kind: kindSel.value });
              if (!ctx.isCurrent()) return;
              SB.toast('已将材料类型改为“' + SB.kindName(doc.kind) + '”。');
              renderAll();
              loadChecklist();
            } catch (err) {
              msg.textContent = SB.checklist.reviewError(err);
              msg.className = 'form-msg error';
              btn.disabled = false;
            }
          },
        },
      }, h('label', { for: 'kind-select' }, '材料类型'), h('div.inline', kindSel, btn), msg);
      SB.replace(docInfo,
        h('dl.meta.compact',
          h('div', h('dt', '识别类型'), h('dd',
            SB.badge(doc.kind_name || SB.kindName(doc.kind), 'kind'),
            doc.kind_confidence ? h('span.muted.small', ' 把握 ' + SB.percent(doc.kind_confidence)) : null,
            doc.kind_review ? h('div.muted.small', '原识别为“' + SB.kindName(doc.ocr_kind) + '”，已由 ' + (doc.kind_review.by || '') +
              ' 于 ' + SB.formatTime(doc.kind_review.at) + ' 改定') : null)),
          h('div', h('dt', '状态'), h('dd', SB.statusBadge(doc.status), doc.reason ? ' ' + doc.reason : '')),
          h('div', h('dt', '页数'), h('dd', String(doc.page_count || pages.length || 0)))),
        SB.may('review', app) ? form : null);
    }

    function renderHead() {
      document.title = doc.file_name + ' · 材料审核';
      SB.replace(head,
        h('h1', doc.file_name),
        h('div.btn-row',
          h('a.btn', { href: '#/apps/' + encodeURIComponent(doc.application_id) }, '返回申报材料'),
          h('a.btn', { href: SB.API + '/documents/' + enc + '/original', download: doc.file_name }, '下载原件'),
          SB.may('reread', app) && (doc.status === 'done' || doc.status === 'failed')
            ? h('button.btn', { type: 'button', dataset: { action: 'reread' }, title: '从原件重新识别本材料，例如识别服务的故障排除之后', on: { click: readAgain } }, '重新识别')
            : null),
        docNav);
    }

    // readAgain has the document read again from its original (staff); the page waits for it.
    async function readAgain(e) {
      const btn = e.currentTarget;
      btn.disabled = true;
      try {
        doc = await SB.api.post('/documents/' + enc + '/reread', {});
        SB.toast('已重新排队识别，完成后本页将自动更新。');
        clearTimeout(pollTimer);
        load();
      } catch (err) {
        btn.disabled = false;
        SB.replace(statusBox, SB.alertBox(err));
      }
    }

    // ---- the application's other documents, in the order of 第十七条's items 一…八 ----
    const docNav = h('nav.doc-nav', { 'aria-label': '本申报的其他材料' });
    const ITEM = Object.fromEntries(SB.VOCAB.kinds.map(([k, , n]) => [k, n]));
    const CN = ['推荐表', '一', '二', '三', '四', '五', '六', '七', '八'];
    // itemOf is the item a kind serves (1–8), 9 for the 推荐表 and 10 for anything else, so that the
    // 推荐表 and other documents come last.
    function itemOf(d) {
      const n = ITEM[d.kind];
      if (n === undefined || n === null) return 10;
      return n === 0 ? 9 : n;
    }
    async function loadSiblings() {
      let list;
      try {
        list = (await SB.api.get('/applications/' + encodeURIComponent(doc.application_id) + '/documents')).items || [];
      } catch (err) {
        return; // the desk works without it
      }
      if (!ctx.isCurrent()) return;
      const docs = list.filter((d) => !d.replaced_by || d.id === docId)
        .map((d, i) => [d, i]).sort((a, b) => itemOf(a[0]) - itemOf(b[0]) || a[1] - b[1]).map(([d]) => d);
      const i = docs.findIndex((d) => d.id === docId);
      if (i < 0 || docs.length < 2) { SB.clear(docNav); return; }
      const label = (d) => {
        const n = itemOf(d);
        return (n <= 8 ? '（' + CN[n] + '）' : n === 9 ? '推荐表 ' : '') + d.file_name;
      };
      const link = (d, text, nav) => d
        ? h('a.btn.btn-small', { href: SB.docLink(d.id), dataset: { nav }, title: label(d) }, text)
        : h('span.btn.btn-small.disabled', { 'aria-disabled': 'true' }, text);
      SB.replace(docNav,
        link(docs[i - 1], '‹ 上一份', 'prev-doc'),
        h('span.doc-pos', '第 ' + (i + 1) + ' / ' + docs.length + ' 份：' + label(docs[i])),
        link(docs[i + 1], '下一份 ›', 'next-doc'));
    }

    function renderAll() {
      renderHead();
      renderInfo();
      renderFields();
      drawBoxes();
    }

    // ---- checklist items this document serves, and warnings about it ----
    async function loadChecklist() {
      if (!doc) return;
      try {
        const report = await SB.api.get('/applications/' + encodeURIComponent(doc.application_id) + '/checklist');
        if (!ctx.isCurrent()) return;
        showChecklist(report);
      } catch (err) {
        if (!ctx.isCurrent()) return;
        SB.replace(itemsBox, SB.alertBox(err));
      }
    }

    function showChecklist(report) {
      const nums = (report.items || []).filter((it) => (it.documents || []).some((d) => d.id === docId)).map((it) => it.number);
      if (nums.length) {
        SB.replace(itemsBox, SB.checklist.renderItems(report, nums, { appId: doc.application_id, review: SB.may('review', app), onReviewed: showChecklist }));
      } else {
        SB.replace(itemsBox, h('p.muted.small', '本材料未归入第十七条任何一项（或尚未识别完成）。' + (SB.may('review', app) ? '可在上方更改材料类型。' : '')));
      }
      const mine = (report.warnings || []).filter((w) => (w.evidence || []).some((e) => e.document_id === docId));
      // Fields of this document that a problem points at (a figure another document contradicts, a
      // name that differs): marked for checking in the list.
      const was = JSON.stringify(contested);
      contested = {};
      for (const w of mine) {
        if (w.severity === 'note') continue;
        for (const e of w.evidence || []) {
          if (e.document_id === docId && e.field && !contested[e.field]) contested[e.field] = w.message;
        }
      }
      if (JSON.stringify(contested) !== was && doc) renderFields();
      if (!mine.length) {
        SB.replace(warningsBox, h('p.muted.small', '没有与本材料有关的问题。'));
        return;
      }
      const names = { blocking: ['必须整改', 'sev-blocking'], attention: ['需要核实', 'sev-attention'], note: ['提示', 'sev-note'] };
      SB.replace(warningsBox, h('ul.warnings.compact', mine.map((w) => {
        const s = names[w.severity] || names.note;
        const ev = (w.evidence || []).find((e) => e.document_id === docId && e.field);
        const li = h('li.warning', { class: s[1], dataset: { code: w.code } }, SB.badge(s[0], s[1]), ' ', w.message);
        if (ev) {
          li.appendChild(h('button.btn-link', { type: 'button', on: { click: () => select(ev.field, true) } }, '定位'));
        }
        return li;
      })));
    }

    // ---- where the declared name and credit code stand on this document ----
    async function loadDeclared() {
      try {
        declared = await SB.api.get('/documents/' + enc + '/declared');
      } catch (err) {
        if (!ctx.isCurrent()) return;
        SB.replace(declaredBox, SB.alertBox(err));
        return;
      }
      if (!ctx.isCurrent()) return;
      const row = (key, label) => {
        const x = declared[key] || {};
        if (!x.declared) return h('li', h('strong', label), '：申报时未填写');
        if (!x.found) return h('li.missing', h('strong', label), '：', x.declared, ' — ', h('span.warn-text', '未在本材料中找到'));
        return h('li', h('strong', label), '：', x.declared, ' — 第 ' + x.page + ' 页',
          x.exact ? '（完全一致）' : '（读作“' + x.printed + '”，' + x.misread + ' 个字不同，可能是识别误差）',
          h('button.btn-link', { type: 'button', on: { click: () => { declaredShown = key; showPage(x.page); } } }, '定位'));
      };
      const rows = [row('org_name', '单位名称'), row('credit_code', '信用代码')];
      if (declared.org_name_in_seal) rows.push(row('org_name_in_seal', '印章中的单位名称'));
      SB.replace(declaredBox, h('ul.declared-list', rows));
    }

    // ---- loading ----
    async function load() {
      try {
        doc = await SB.api.get('/documents/' + enc);
      } catch (err) {
        if (!ctx.isCurrent()) return;
        if (err.status === 404) {
          SB.replace(main, SB.notFound('该材料'));
          return;
        }
        SB.replace(statusBox, SB.alertBox(err));
        grid.hidden = true;
        return;
      }
      if (!ctx.isCurrent()) return;
      if (!app) {
        try {
          app = await SB.api.get('/applications/' + encodeURIComponent(doc.application_id));
        } catch (err) {
          app = null; // seen through the document; the actions stay hidden
        }
        if (!ctx.isCurrent()) return;
      }
      renderHead();
      if (doc.status !== 'done' && doc.status !== 'failed') {
        grid.hidden = true;
        SB.replace(statusBox, h('div.card.waiting',
          SB.statusBadge(doc.status),
          h('p', '该材料正在排队或识别中，完成后本页将自动显示。'),
          h('p.muted.small', '识别一页通常需要几秒到二十秒。')));
        pollTimer = setTimeout(load, POLL_MS);
        return;
      }
      SB.clear(statusBox);
      grid.hidden = false;
      if (doc.status === 'failed') {
        statusBox.appendChild(h('p.alert.alert-error', { role: 'alert' }, '识别失败：' + SB.sentence(doc.reason) + '。可回到申报材料页点“替换”重新上传。'));
      }
      try {
        const pg = await SB.api.get('/documents/' + enc + '/pages');
        pages = pg.items || [];
      } catch (err) {
        pages = [];
        statusBox.appendChild(SB.alertBox(err));
      }
      if (!ctx.isCurrent()) return;
      if (selected && doc.fields && doc.fields[selected] && doc.fields[selected].page && !ctx.query.get('page')) {
        pageNo = doc.fields[selected].page;
      }
      pageNo = Math.min(Math.max(1, pageNo), Math.max(1, pages.length));
      renderAll();
      if (pages.length) {
        renderPage();
      } else {
        viewerPane.hidden = true;
      }
      if (selected) requestAnimationFrame(() => select(selected, true));
      loadChecklist();
      loadDeclared();
      loadSiblings();
    }

    load();

    function onKey(e) {
      if (e.key === 'Escape' && drawing) { e.preventDefault(); stopDrawing(); return; }
      if (e.altKey || e.ctrlKey || e.metaKey || e.target.closest('input, textarea, select, [contenteditable]')) return;
      const nav = e.key === '[' ? 'prev-doc' : e.key === ']' ? 'next-doc' : '';
      const a = nav && docNav.querySelector('a[data-nav="' + nav + '"]');
      if (a) { e.preventDefault(); location.hash = a.getAttribute('href'); }
    }
    document.addEventListener('keydown', onKey);

    return function () {
      document.removeEventListener('keydown', onKey);
      stopped = true;
      clearTimeout(pollTimer);
      if (resizeObs) resizeObs.disconnect();
    };
  };
})();
