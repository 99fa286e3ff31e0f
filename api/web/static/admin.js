// Staff's accounts page (#/accounts; auditors read it) and the system's event log (#/events?offset=).
'use strict';

(function () {
  const SB = window.SB;
  const h = SB.h;
  const EVENTS_PAGE = 50;

  // ---- #/accounts ----

  SB.screens.accounts = function (main, _id, ctx) {
    const staff = SB.role() === 'staff';
    document.title = (staff ? '账户管理' : '账户') + ' · 申报材料审核';
    const body = h('div.accounts-body', h('p.loading', '正在加载…'));
    SB.append(main,
      h('div.page-head', h('h1', staff ? '账户管理' : '账户')),
      staff ? createForm() : null,
      body);
    load();

    async function load() {
      let data;
      try {
        data = await SB.api.get('/users?limit=200');
      } catch (err) {
        if (ctx.isCurrent()) SB.replace(body, SB.alertBox(err));
        return;
      }
      if (!ctx.isCurrent()) return;
      const users = data.items || [];
      SB.replace(body, h('table.dash-table.card.accounts',
        h('caption.sr-only', '账户'),
        h('thead', h('tr',
          h('th', { scope: 'col' }, '登录名'),
          h('th', { scope: 'col' }, '名称'),
          h('th', { scope: 'col' }, '角色'),
          h('th', { scope: 'col' }, '地区/园区'),
          h('th', { scope: 'col' }, '状态'),
          h('th', { scope: 'col' }, '创建时间'),
          staff ? h('th', { scope: 'col' }, '操作') : null)),
        h('tbody', users.map(userRow))),
      data.total > users.length ? h('p.hint', '共 ' + data.total + ' 个账户，仅显示前 ' + users.length + ' 个。') : null);
    }

    function userRow(u) {
      const self = SB.session.user && u.id === SB.session.user.id;
      const msg = h('p.form-msg', { role: 'status' });
      const pwBox = h('form.inline.reset-form', { hidden: true, on: { submit: (e) => { e.preventDefault(); resetPassword(u, pwBox, msg); } } },
        h('label.sr-only', { for: 'pw-' + u.id }, '新密码'),
        h('input', { id: 'pw-' + u.id, type: 'text', autocomplete: 'off', placeholder: '新密码（≥10 位，含字母和数字）', maxlength: 128 }),
        h('button.btn.btn-small.btn-primary', { type: 'submit' }, '保存'),
        h('button.btn.btn-small', { type: 'button', on: { click: () => { pwBox.hidden = true; } } }, '取消'));
      return h('tr.user-row', { dataset: { id: u.id, login: u.login, role: u.role, disabled: String(!!u.disabled) } },
        h('td', { 'data-label': '登录名' }, h('span.mono', u.login)),
        h('td', { 'data-label': '名称' }, u.name),
        h('td', { 'data-label': '角色' }, u.role_label || SB.roleName(u.role)),
        h('td', { 'data-label': '地区/园区' }, u.region || '—'),
        h('td', { 'data-label': '状态' }, u.disabled ? SB.badge('已停用', 'oc-fail') : SB.badge('正常', 'oc-pass')),
        h('td', { 'data-label': '创建时间' }, h('span.muted.small', SB.formatTime(u.created_at))),
        staff ? h('td', { 'data-label': '操作' },
          h('div.btn-row',
            self ? null : h('button.btn.btn-small', {
              type: 'button', dataset: { action: u.disabled ? 'enable' : 'disable' },
              class: u.disabled ? '' : 'btn-danger',
              on: { click: (e) => setDisabled(u, !u.disabled, e.currentTarget, msg) },
            }, u.disabled ? '启用' : '停用'),
            h('button.btn.btn-small', { type: 'button', dataset: { action: 'reset' }, on: { click: () => { pwBox.hidden = false; pwBox.querySelector('input').focus(); } } }, '重置密码')),
          pwBox, msg) : null);
    }

    async function setDisabled(u, disabled, btn, msg) {
      btn.disabled = true;
      try {
        await SB.api.patch('/users/' + encodeURIComponent(u.id), { disabled });
        SB.toast((disabled ? '已停用 ' : '已启用 ') + u.login + (disabled ? '，其登录已失效。' : '。'));
        load();
      } catch (err) {
        msg.textContent = err.message;
        msg.className = 'form-msg error';
        btn.disabled = false;
      }
    }

    async function resetPassword(u, box, msg) {
      const input = box.querySelector('input');
      try {
        await SB.api.patch('/users/' + encodeURIComponent(u.id), { password: input.value });
        input.value = '';
        box.hidden = true;
        msg.textContent = '密码已重置，该账户的登录已失效；请将新密码告知本人。';
        msg.className = 'form-msg';
      } catch (err) {
        msg.textContent = err.message;
        msg.className = 'form-msg error';
      }
    }

    function createForm() {
      const login = h('input#u-login', { type: 'text', maxlength: 64, autocomplete: 'off', spellcheck: 'false', placeholder: '小写字母、数字或 . _ @ -' });
      const name = h('input#u-name', { type: 'text', maxlength: 100, placeholder: '姓名或单位名称' });
      const role = h('select#u-role', SB.ROLES.map(([v, t]) => h('option', { value: v }, t)));
      const region = h('input#u-region', { type: 'text', maxlength: 50, list: 'u-regions', placeholder: '如：拉萨市' });
      const regions = h('datalist#u-regions', SB.REGIONS.map((r) => h('option', { value: r })));
      const regionRow = h('div.field', { hidden: true }, h('label', { for: 'u-region' }, '所辖地（市）或园区'), region, regions);
      const password = h('input#u-password', { type: 'text', maxlength: 128, autocomplete: 'off', placeholder: '≥10 位，含字母和数字' });
      const msg = h('p.form-msg', { role: 'status' });
      const btn = h('button.btn.btn-primary', { type: 'submit' }, '新建账户');
      role.addEventListener('change', () => { regionRow.hidden = role.value !== 'recommender'; });
      return h('details.card.create-user',
        h('summary', '新建账户'),
        h('form', {
          on: {
            submit: async (e) => {
              e.preventDefault();
              btn.disabled = true;
              msg.textContent = '正在保存…';
              msg.className = 'form-msg';
              try {
                const u = await SB.api.post('/users', { login: login.value.trim(), name: name.value.trim(), role: role.value, region: role.value === 'recommender' ? region.value.trim() : '', password: password.value });
                msg.textContent = '已新建账户 ' + u.login + '（' + u.role_label + '）。请将登录名和初始密码告知本人，并提醒其登录后修改密码。';
                login.value = name.value = region.value = password.value = '';
                load();
              } catch (err) {
                msg.textContent = err.message;
                msg.className = 'form-msg error';
              }
              btn.disabled = false;
            },
          },
        },
        h('div.form-row',
          h('div.field', h('label', { for: 'u-login' }, '登录名'), login),
          h('div.field', h('label', { for: 'u-name' }, '名称'), name)),
        h('div.form-row',
          h('div.field', h('label', { for: 'u-role' }, '角色'), role),
          regionRow,
          h('div.field', h('label', { for: 'u-password' }, '初始密码'), password)),
        h('div.btn-row', btn), msg));
    }
    return null;
  };

  // ---- #/events ----

  SB.screens.events = function (main, _id, ctx) {
    document.title = '操作记录 · 申报材料审核';
    const offset = Math.max(0, parseInt(ctx.query.get('offset') || '0', 10) || 0);
    const body = h('div.events-body', h('p.loading', '正在加载…'));
    SB.append(main,
      h('div.page-head', h('h1', '操作记录')),
      h('p.lead', '系统记录的全部操作：登录、上传、审核、流程的每一步和账户变更，最新的在前（第二十四条：接受审计、监察部门和社会的监督）。'),
      body);
    (async () => {
      let data;
      try {
        data = await SB.api.get('/events?limit=' + EVENTS_PAGE + '&offset=' + offset);
      } catch (err) {
        if (ctx.isCurrent()) SB.replace(body, SB.alertBox(err));
        return;
      }
      if (!ctx.isCurrent()) return;
      const items = data.items || [];
      SB.replace(body, items.length ? [
        h('div.card.table-card', SB.cycle.eventTable(items, true)),
        SB.cycle.pager(offset, EVENTS_PAGE, data.total, (o) => { location.hash = '#/events' + (o ? '?offset=' + o : ''); }),
      ] : h('p.card.empty', '暂无记录。'));
    })();
    return null;
  };
})();
