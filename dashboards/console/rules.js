// Rules: the engine's state, the loaded rules with evaluation counts and rates, the last reload.
import { el, api, get, errorBox, poll, fmtNum, ago, badge } from './util.js';

export function rulesView(root) {
  const errors = errorBox();
  const actions = errorBox();
  const cards = el('div', { class: 'cards', id: 'rules-summary' });
  const reloadBox = el('div', { id: 'rules-reload' });
  const table = el('table', { id: 'rules-table' });
  const reload = el('button', { class: 'primary', id: 'rules-reload-button', onclick: async () => {
    reload.disabled = true;
    try {
      // 422 carries every error of the refused files: show them as the last reload.
      const r = await api('POST', '/api/v1/rules/reload').then((x) => x.json, (e) => {
        if (e.status === 422 && e.body) return e.body;
        throw e;
      });
      actions.set(null);
      showReload(r, 'just now');
    } catch (e) {
      actions.set(e);
    } finally {
      reload.disabled = false;
    }
  } }, 'Reload rule files');
  root.append(el('h2', {}, 'Rules'), errors.node, actions.node,
    el('div', { class: 'row' }, reload, el('span', { class: 'muted' }, 'the server also reloads by itself when a file changes')),
    cards, reloadBox, el('h3', {}, 'Loaded rules'), table);

  function showReload(r, when) {
    if (!r) {
      reloadBox.replaceChildren(el('p', { class: 'muted' }, 'No reload since the server started: the rules are those it started with.'));
      return;
    }
    const parts = ['kept', 'added', 'changed', 'removed'].filter((k) => r[k] && r[k].length).map((k) => `${k}: ${r[k].join(', ')}`);
    reloadBox.replaceChildren(el('h3', {}, `Last reload${when ? ` (${when})` : ''}: `, badge(r.applied ? 'ok' : 'critical', r.applied ? 'applied' : 'refused')),
      r.errors.length ? el('div', { id: 'rules-errors' }, r.errors.map((e) => el('div', { class: 'error' }, e.text))) : null,
      parts.length ? el('div', { class: 'muted' }, parts.join(' · ')) : null);
  }

  let prev = null;
  return poll(async () => {
    const s = await get('/api/v1/rules');
    const now = Date.now();
    const rate = new Map();
    if (prev) {
      const secs = (now - prev.at) / 1000;
      for (const r of s.rules) {
        const before = prev.counts.get(r.name);
        if (before !== undefined && secs > 0) rate.set(r.name, (r.evaluations - before) / secs);
      }
    }
    prev = { at: now, counts: new Map(s.rules.map((r) => [r.name, r.evaluations])) };
    const firingBy = new Map();
    for (const a of s.firing) firingBy.set(a.rule, (firingBy.get(a.rule) || 0) + 1);
    cards.replaceChildren(
      el('div', { class: 'card' }, el('b', {}, badge(s.state === 'running' ? 'ok' : s.state === 'standby' ? 'pending' : 'critical', s.state)), 'engine'),
      el('div', { class: 'card' }, el('b', {}, s.rules.length), `rules in ${s.dir}`),
      el('div', { class: 'card' }, el('b', {}, fmtNum(s.eventsProcessed)), 'events processed'),
      el('div', { class: 'card' }, el('b', {}, s.firing.length), 'alerts firing'),
      el('div', { class: 'card' }, el('b', {}, s.engineTime ? ago(s.engineTime) : '—'), 'engine time'));
    if (s.error) cards.append(el('div', { class: 'error' }, `engine error: ${s.error}`));
    if (!reloadBox.dataset.local) showReload(s.lastReload);
    table.replaceChildren(
      el('thead', {}, el('tr', {}, ['rule', 'file', 'evaluations', 'per second', 'firing'].map((t) => el('th', {}, t)))),
      el('tbody', {}, s.rules.map((r) => el('tr', { dataset: { rule: r.name } },
        el('td', { class: 'mono' }, r.name),
        el('td', { class: 'mono', title: r.file || '' }, r.file ? `${r.file.split('/').pop()}:${r.line}` : ''),
        el('td', {}, fmtNum(r.evaluations)),
        el('td', {}, rate.has(r.name) ? fmtNum(rate.get(r.name)) : '…'),
        el('td', {}, firingBy.get(r.name) ? badge('firing', String(firingBy.get(r.name))) : '')))));
  }, 2000, errors);
}
