// The hash router. Every screen needs a signed-in user: without one the login page is shown, and after
// signing in the address the user asked for is opened.
//
//   #/                     the role's home (applicant: its applications; recommender: its region's
//                          queue; expert: its assignments; staff and auditor: the whole round)
//   #/apps/new             a new application (applicant)
//   #/apps/{id}            an application: its flow, documents and checklist
//   #/apps/{id}/notice     the printable 一次告知书
//   #/apps/{id}/materials  the printable 材料清单
//   #/docs/{id}            the reviewer desk of a document
//   #/accounts             accounts (staff; auditors read them)
//   #/events               the event log (staff, auditor)
//   #/verify               档案核验: the archive's integrity check (staff, auditor)
//   #/duties?year=         the deadline board of the yearly duties (not experts)
//   #/account              account settings: change one's password, API tokens (#/password too)
'use strict';

(function () {
  const SB = window.SB;
  const h = SB.h;
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

  // Navigation per role: [key, label, href].
  function navFor(role) {
    switch (role) {
      case 'applicant': return [['home', '我的申报', '#/'], ['new', '新建申报', '#/apps/new']];
      case 'recommender': return [['home', '待推荐申报', '#/'], ['duties', '年度报送', '#/duties']];
      case 'expert': return [['home', '评审任务', '#/']];
      case 'staff': return [['home', '工作台', '#/'], ['duties', '年度报送', '#/duties'], ['accounts', '账户管理', '#/accounts'], ['events', '操作记录', '#/events'], ['verify', '档案核验', '#/verify']];
      case 'auditor': return [['home', '申报一览', '#/'], ['duties', '年度报送', '#/duties'], ['events', '操作记录', '#/events'], ['verify', '档案核验', '#/verify'], ['accounts', '账户', '#/accounts']];
    }
    return [];
  }

  function route() {
    const r = parse();
    const p = r.parts;
    const role = SB.role();
    if (p.length === 0) return ['home', SB.screens.home, r];
    if (p[0] === 'apps' && p[1] === 'new' && p.length === 2 && role === 'applicant') return ['new', SB.screens.newApplication, r];
    if (p[0] === 'apps' && p.length === 2 && p[1] !== 'new') return ['app', SB.screens.application, r, p[1]];
    if (p[0] === 'apps' && p.length === 3 && p[2] === 'notice') return ['notice', SB.screens.notice, r, p[1]];
    if (p[0] === 'apps' && p.length === 3 && p[2] === 'materials') return ['materials', SB.screens.materials, r, p[1]];
    if (p[0] === 'docs' && p.length === 2) return ['doc', SB.screens.reviewer, r, p[1]];
    if (p[0] === 'accounts' && p.length === 1 && (role === 'staff' || role === 'auditor')) return ['accounts', SB.screens.accounts, r];
    if (p[0] === 'events' && p.length === 1 && (role === 'staff' || role === 'auditor')) return ['events', SB.screens.events, r];
    if (p[0] === 'verify' && p.length === 1 && (role === 'staff' || role === 'auditor')) return ['verify', SB.screens.verify, r];
    if (p[0] === 'duties' && p.length === 1 && role !== 'expert') return ['duties', SB.screens.duties, r];
    if ((p[0] === 'account' || p[0] === 'password') && p.length === 1) return ['account', SB.screens.account, r];
    return ['notfound', notFound, r];
  }

  function notFound(main) {
    SB.replace(main, SB.notFound('该页面'));
    document.title = '页面不存在 · 申报材料审核';
  }

  function stop() {
    if (cleanup) { try { cleanup(); } catch (e) { /* ignore */ } cleanup = null; }
    ++generation;
    // A dialog belongs to the screen that opened it.
    for (const d of document.querySelectorAll('body > dialog')) d.remove();
  }

  function render() {
    stop();
    const main = document.getElementById('main');
    const toast = document.getElementById('toast');
    if (toast) toast.hidden = true;
    if (!SB.session.user) {
      showLogin();
      return;
    }
    const [name, screen, r, id] = route();
    const gen = generation;
    SB.clear(main);
    main.dataset.screen = name;
    document.body.dataset.role = SB.role();
    renderChrome(name);
    // A screen returns its cleanup (stop polling, remove listeners). isCurrent tells async work
    // whether the user has since moved on.
    const ctx = { query: r.query, isCurrent: () => gen === generation };
    const c = screen(main, id, ctx);
    if (typeof c === 'function') cleanup = c;
    window.scrollTo(0, 0);
  }

  // renderChrome fills the top bar: the role's navigation, and who is signed in.
  function renderChrome(active) {
    const u = SB.session.user;
    const nav = document.getElementById('nav');
    const box = document.getElementById('user-box');
    SB.replace(nav, u ? navFor(u.role).map(([key, label, href]) => h('a', {
      href, dataset: { nav: key }, class: key === active ? 'active' : '', 'aria-current': key === active ? 'page' : undefined,
    }, label)) : []);
    if (!u) { box.hidden = true; SB.clear(box); return; }
    box.hidden = false;
    SB.replace(box,
      h('span.user-name', { title: u.region ? u.region : undefined }, u.name),
      h('span.user-role', u.role_label + (u.region ? '·' + u.region : '')),
      h('a.user-link', { href: '#/account', class: active === 'account' ? 'active' : '', 'aria-current': active === 'account' ? 'page' : undefined }, '账户设置'),
      h('button.btn-logout', { type: 'button', on: { click: SB.logout } }, '退出'));
  }

  function showLogin() {
    const main = document.getElementById('main');
    renderChrome('');
    delete document.body.dataset.role;
    main.dataset.screen = 'login';
    SB.clear(main);
    SB.screens.login(main, () => render());
  }

  document.addEventListener('DOMContentLoaded', async () => {
    SB.setAuthLost(() => { stop(); showLogin(); });
    window.addEventListener('hashchange', render);
    try {
      const s = await SB.api.request('GET', '/session', undefined, { noAuthLost: true });
      SB.setSession(s);
    } catch (err) {
      SB.setSession(null);
      if (err.status !== 401) SB.toast(err.message, true);
    }
    render();
  });
})();
