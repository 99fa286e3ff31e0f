// Signing in and out, and the account settings: one's password and API tokens for programs. The session is an HttpOnly cookie; the page keeps
// only who is signed in and the CSRF token (SB.session).
'use strict';

(function () {
  const SB = window.SB;
  const h = SB.h;

  // ---- the login page (shown for any address while nobody is signed in) ----

  SB.screens.login = function (main, done) {
    document.title = '登录 · 申报材料审核';
    const login = h('input#login-name', { type: 'text', name: 'login', required: true, maxlength: 64, autocomplete: 'username', autocapitalize: 'off', spellcheck: 'false' });
    const password = h('input#login-password', { type: 'password', name: 'password', required: true, maxlength: 128, autocomplete: 'current-password' });
    const msg = h('div.form-error', { 'aria-live': 'assertive' });
    const submit = h('button.btn.btn-primary', { type: 'submit' }, '登录');
    const form = h('form.card.form.login-form', { on: { submit: onSubmit } },
      h('h1', '登录'),
      h('p.muted', '申报单位、推荐单位、评审专家及经信厅工作人员请使用经信厅分配的账户登录。'),
      h('div.field', h('label', { for: 'login-name' }, '登录名'), login),
      h('div.field', h('label', { for: 'login-password' }, '密码'), password),
      msg,
      h('div.btn-row', submit),
      h('p.hint', '忘记密码或账户被锁定，请联系经信厅工作人员重置。'));
    SB.append(main, h('div.login-wrap', form));
    login.focus();

    async function onSubmit(e) {
      e.preventDefault();
      SB.clear(msg);
      if (!login.value.trim() || !password.value) {
        SB.replace(msg, SB.alertBox('请填写登录名和密码。'));
        (login.value.trim() ? password : login).focus();
        return;
      }
      submit.disabled = true;
      submit.textContent = '正在登录…';
      try {
        const s = await SB.api.request('POST', '/session', { login: login.value.trim(), password: password.value }, { noAuthLost: true });
        SB.setSession(s);
        password.value = '';
        done();
      } catch (err) {
        SB.replace(msg, SB.alertBox(err));
        submit.disabled = false;
        submit.textContent = '登录';
        password.select();
        password.focus();
      }
    }
  };

  SB.logout = async function () {
    try {
      await SB.api.del('/session');
    } catch (err) {
      if (err.status !== 401) { SB.toast(err.message, true); return; }
    }
    location.hash = '#/';
    SB.authLost();
  };

  // ---- #/account (also #/password) ----

  SB.screens.account = function (main) {
    document.title = '账户设置 · 申报材料审核';
    const old = h('input#pw-old', { type: 'password', required: true, autocomplete: 'current-password', maxlength: 128 });
    const nw = h('input#pw-new', { type: 'password', required: true, autocomplete: 'new-password', maxlength: 128, 'aria-describedby': 'pw-hint' });
    const again = h('input#pw-again', { type: 'password', required: true, autocomplete: 'new-password', maxlength: 128 });
    const msg = h('div.form-error', { 'aria-live': 'assertive' });
    const submit = h('button.btn.btn-primary', { type: 'submit' }, '修改密码');
    SB.append(main,
      h('div.page-head', h('h1', '账户设置')),
      h('form.card.form.password-form', { 'aria-labelledby': 'h-password', on: { submit: onSubmit } },
        h('h2#h-password', '修改密码'),
        h('div.field', h('label', { for: 'pw-old' }, '原密码'), old),
        h('div.field', h('label', { for: 'pw-new' }, '新密码'), nw, h('p#pw-hint.hint', '至少 10 个字符，须同时包含字母和数字。修改后，您在其他设备上的登录和全部接口令牌将失效。')),
        h('div.field', h('label', { for: 'pw-again' }, '再次输入新密码'), again),
        msg,
        h('div.btn-row', submit, h('a.btn', { href: '#/' }, '返回'))),
      tokenForm());
    old.focus();

    async function onSubmit(e) {
      e.preventDefault();
      SB.clear(msg);
      let problem = '';
      if (!old.value || !nw.value) problem = '请填写原密码和新密码。';
      else if (nw.value !== again.value) problem = '两次输入的新密码不一致。';
      else if (nw.value.length < 10 || !/[A-Za-z]/.test(nw.value) || !/[0-9]/.test(nw.value)) problem = '新密码至少 10 个字符，且须同时包含字母和数字。';
      if (problem) { SB.replace(msg, SB.alertBox(problem)); return; }
      submit.disabled = true;
      try {
        await SB.api.post('/session/password', { old_password: old.value, new_password: nw.value });
        old.value = nw.value = again.value = '';
        SB.replace(msg, h('p.alert.alert-info', { role: 'status' }, '密码已修改。'));
        SB.toast('密码已修改。');
      } catch (err) {
        SB.replace(msg, SB.alertBox(err));
      }
      submit.disabled = false;
    }
  };

  // tokenForm issues an API token for a program (POST /api/v1/tokens). The token acts as this account
  // and is shown once: the server keeps only its hash.
  function tokenForm() {
    const label = h('input#tk-label', { type: 'text', required: true, maxlength: 100, autocomplete: 'off', placeholder: '如：财务系统导出' });
    const days = h('input#tk-days', { type: 'number', min: 1, max: 366, step: 1, required: true, value: '90', 'aria-describedby': 'tk-days-hint' });
    const msg = h('div.form-error', { 'aria-live': 'assertive' });
    const out = h('div.token-out', { 'aria-live': 'polite' });
    const submit = h('button.btn.btn-primary', { type: 'submit' }, '生成令牌');
    const form = h('form.card.form.token-form', { 'aria-labelledby': 'h-token', on: { submit: onSubmit } },
      h('h2#h-token', '接口令牌'),
      h('p.muted', '供程序调用接口使用：在请求头中加入 ', h('code', 'Authorization: Bearer <令牌>'), '。令牌与本账户权限相同，无需登录，请像密码一样妥善保管。'),
      h('div.form-row',
        h('div.field', h('label', { for: 'tk-label' }, '用途'), label),
        h('div.field.narrow', h('label', { for: 'tk-days' }, '有效期（天）'), days)),
      h('p#tk-days-hint.hint', '1–366 天。令牌无法在此查看或撤销：如已泄露，请修改密码，全部令牌随即失效。'),
      msg,
      h('div.btn-row', submit),
      out);

    async function onSubmit(e) {
      e.preventDefault();
      SB.clear(msg);
      const n = parseInt(days.value, 10);
      if (!label.value.trim()) { SB.replace(msg, SB.alertBox('请填写令牌用途。')); label.focus(); return; }
      if (!(n >= 1 && n <= 366)) { SB.replace(msg, SB.alertBox('有效期应为 1–366 天。')); days.focus(); return; }
      submit.disabled = true;
      try {
        const t = await SB.api.post('/tokens', { label: label.value.trim(), days: n });
        label.value = '';
        showToken(t);
      } catch (err) {
        SB.replace(msg, SB.alertBox(err));
      }
      submit.disabled = false;
    }

    function showToken(t) {
      const value = h('input#tk-value.mono', { type: 'text', readonly: true, value: t.token, 'aria-describedby': 'tk-once', spellcheck: 'false', autocomplete: 'off' });
      const copied = h('span.form-msg', { role: 'status' });
      const copy = h('button.btn', { type: 'button', dataset: { action: 'copy' }, on: { click: onCopy } }, '复制');
      SB.replace(out, h('div.token-shown.alert.alert-info',
        h('p', h('strong', '令牌“' + t.label + '”已生成'), '，有效期至 ' + SB.formatTime(t.expires_at) + '。'),
        h('p#tk-once.token-once', '令牌只显示这一次：请立即复制并保存到安全的地方，离开本页后无法再次查看。'),
        h('div.inline.token-value', h('label.sr-only', { for: 'tk-value' }, '令牌'), value, copy),
        copied));
      value.focus();
      value.select();

      async function onCopy() {
        value.focus();
        value.select();
        let ok = false;
        try {
          await navigator.clipboard.writeText(t.token);
          ok = true;
        } catch (err) {
          try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
        }
        copied.textContent = ok ? '已复制到剪贴板。' : '无法自动复制：令牌已选中，请按 Ctrl+C（手机上长按）复制。';
        copied.className = ok ? 'form-msg' : 'form-msg error';
      }
    }

    return form;
  }
})();
