// The hash router: #/ (staff dashboard), #/apps/new, #/apps/{id} (applicant), #/docs/{id} (reviewer).
'use strict';

(function () {
  const SB = window.SB;
  let cleanup = null;
  let generation = 0;

  function parse() {
    const raw = location.hash.replace(/^#/, '') || '/';
    const qi = raw.indexOf('?');
    const path = qi < 0 ? raw : raw.slice(0, qi);
    const query = new URLSearchParams(qi < 0 ? '' : raw.slice(qi + 1));
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    return { path, parts, query };
  }

  function route() {
    const r = parse();
    const p = r.parts;
    if (p.length === 0) return ['home', SB.screens.dashboard, r];
    if (p[0] === 'apps' && p[1] === 'new' && p.length === 2) return ['new', SB.screens.newApplication, r];
    if (p[0] === 'apps' && p.length === 2) return ['app', SB.screens.application, r, p[1]];
    if (p[0] === 'docs' && p.length === 2) return ['doc', SB.screens.reviewer, r, p[1]];
    return ['notfound', notFound, r];
  }

  function notFound(main) {
    SB.replace(main, SB.h('section.card', SB.h('h1', '页面不存在'), SB.h('p', SB.h('a', { href: '#/' }, '返回申报一览'))));
    document.title = '页面不存在 · 申报材料审核';
  }

  function render() {
    if (cleanup) { try { cleanup(); } catch (e) { /* ignore */ } cleanup = null; }
    const [name, screen, r, id] = route();
    const gen = ++generation;
    const main = document.getElementById('main');
    const toast = document.getElementById('toast');
    if (toast) toast.hidden = true;
    SB.clear(main);
    main.dataset.screen = name;
    for (const a of document.querySelectorAll('[data-nav]')) {
      a.classList.toggle('active', a.dataset.nav === name);
      if (a.dataset.nav === name) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    // A screen returns its cleanup (stop polling, remove listeners). isCurrent tells async work
    // whether the user has since moved on.
    const ctx = { query: r.query, isCurrent: () => gen === generation };
    const c = screen(main, id, ctx);
    if (typeof c === 'function') cleanup = c;
    window.scrollTo(0, 0);
  }

  document.addEventListener('DOMContentLoaded', () => {
    SB.initReviewer();
    window.addEventListener('hashchange', render);
    render();
  });
})();
