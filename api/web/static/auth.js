// Signing in and out, and changing one's password. The session is an HttpOnly cookie; the page keeps
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
    SB.setSession(null);
    location.hash = '#/';
    SB.authLost();
  };

  // ---- #/password ----

  SB.screens.password = function (main) {
    document.title = '修改密码 · 申报材料审核';
    const old = h('input#pw-old', { type: 'password', required: true, autocomplete: 'current-password', maxlength: 128 });
    const nw = h('input#pw-new', { type: 'password', required: true, autocomplete: 'new-password', maxlength: 128, 'aria-describedby': 'pw-hint' });
    const again = h('input#pw-again', { type: 'password', required: true, autocomplete: 'new-password', maxlength: 128 });
    const msg = h('div.form-error', { 'aria-live': 'assertive' });
    const submit = h('button.btn.btn-primary', { type: 'submit' }, '修改密码');
    SB.append(main,
      h('div.page-head', h('h1', '修改密码')),
      h('form.card.form.password-form', { on: { submit: onSubmit } },
        h('div.field', h('label', { for: 'pw-old' }, '原密码'), old),
        h('div.field', h('label', { for: 'pw-new' }, '新密码'), nw, h('p#pw-hint.hint', '至少 10 个字符，须同时包含字母和数字。修改后，您在其他设备上的登录将失效。')),
        h('div.field', h('label', { for: 'pw-again' }, '再次输入新密码'), again),
        msg,
        h('div.btn-row', submit, h('a.btn', { href: '#/' }, '返回'))));
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
})();
