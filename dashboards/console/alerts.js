// Alerts: firing and recent alerts with their evidence, grouping, silences, inhibitions, acks.
import { el, api, get, errorBox, poll, fmtNum, ago, badge, quote } from './util.js';

const SILENCE_FIELDS = ['alertname', 'host'];

export function alertsView(root) {
  const errors = errorBox();
  const actions = errorBox(); // results of the user's own actions (ack, silence, expire)
  const notice = el('div', { id: 'alerts-notice' });
  const groupBy = el('select', { id: 'alerts-group', 'aria-label': 'group by' },
    el('option', { value: 'none' }, 'no grouping'),
    el('option', { value: 'rule' }, 'group by rule'),
    el('option', { value: 'group' }, 'group by notification group'),
    el('option', { value: 'state' }, 'group by state'));
  const showResolved = el('input', { type: 'checkbox', id: 'alerts-resolved', checked: true });
  const summary = el('div', { class: 'cards', id: 'alerts-summary' });
  const list = el('div', { id: 'alerts-list' });
  const form = el('div', { id: 'silence-form-slot' });
  const silences = el('table', { id: 'silences' });
  const receiverErrors = el('div', { id: 'receiver-errors' });
  root.append(
    el('h2', {}, 'Alerts'), errors.node, actions.node, notice, receiverErrors,
    el('div', { class: 'row' }, groupBy, el('label', {}, showResolved, ' show resolved')),
    summary, form, list, el('h3', {}, 'Silences'), silences);

  let last = null;
  let evidence = new Map();
  const open = new Set(); // fingerprints whose details are open, kept across redraws

  async function refresh() {
    const [a, s, r] = await Promise.all([get('/api/v1/alerts'), get('/api/v1/silences'), get('/api/v1/rules').catch(() => null)]);
    evidence = new Map((r && r.firing ? r.firing : []).map((x) => [x.fingerprint, x.evidence || []]));
    last = a;
    render(a, s);
  }
  groupBy.addEventListener('change', () => last && render(last, null));
  showResolved.addEventListener('change', () => last && render(last, null));

  let lastSilences = [];
  function render(a, s) {
    if (s) lastSilences = s;
    notice.replaceChildren(a.state !== 'leading'
      ? el('div', { class: 'notice' }, `This server's alerting is ${a.state}: it answers, but another server of the group sends the pages.`) : '');
    receiverErrors.replaceChildren(...(a.receiverErrors || []).map((e) =>
      el('div', { class: 'error' }, `receiver ${e.key}: ${e.error}${e.final ? ' (not retried: fix the configuration)' : ''}`)));
    const counts = { active: 0, silenced: 0, inhibited: 0, resolved: 0 };
    for (const x of a.alerts) counts[x.state] = (counts[x.state] || 0) + 1;
    summary.replaceChildren(...Object.entries(counts).map(([k, v]) =>
      el('div', { class: 'card', id: `alerts-count-${k}` }, el('b', {}, v), k)));
    const shown = a.alerts.filter((x) => showResolved.checked || x.state !== 'resolved');
    const key = {
      none: () => '',
      rule: (x) => x.rule,
      group: (x) => (x.groups.length ? x.groups.map((g) => `${g.receiver} ${g.key}`).join(', ') : 'in no group (resolved or not routed)'),
      state: (x) => x.state,
    }[groupBy.value];
    const groups = new Map();
    for (const x of shown) {
      const k = key(x);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push(x);
    }
    list.replaceChildren(...[...groups].map(([k, xs]) => el('section', {},
      k ? el('h3', {}, `${k} (${xs.length})`) : null, table(xs))));
    if (!shown.length) list.append(el('p', { class: 'muted', id: 'alerts-empty' }, 'No alerts.'));
    renderSilences();
  }

  function table(xs) {
    return el('table', { class: 'alerts' },
      el('thead', {}, el('tr', {}, ['state', 'severity', 'rule', 'hosts', 'summary', 'since', 'muted by', 'told', ''].map((t) => el('th', {}, t)))),
      el('tbody', {}, xs.map(row)));
  }

  function row(x) {
    const ev = evidence.get(x.fingerprint) || [];
    const details = el('details', { open: open.has(x.fingerprint) },
      el('summary', {}, `evidence (${ev.length}) and history`),
      ev.length ? el('ul', { class: 'evidence mono' }, ev.slice(0, 20).map((e) =>
        el('li', {}, `${e.host} ${e.service} ${e.state || ''} ${fmtNum(e.metric)} ${e.time || ''}`))) :
        el('div', { class: 'muted' }, x.state === 'resolved' ? 'resolved: no evidence kept' : 'the rules engine lists no evidence'),
      el('div', { class: 'history' }));
    details.addEventListener('toggle', () => {
      if (details.open) {
        open.add(x.fingerprint);
        loadHistory(x.fingerprint, details.querySelector('.history'));
      } else open.delete(x.fingerprint);
    });
    if (details.open) loadHistory(x.fingerprint, details.querySelector('.history'));
    const muted = [
      ...x.silencedBy.map((id) => el('div', {}, `silence ${id.slice(0, 8)}`)),
      x.inhibitedBy ? el('div', {}, `inhibited by ${x.inhibitedBy.slice(0, 12)}`) : null,
    ];
    const told = x.receivers.map((r) => el('div', {}, `${r.receiver}: ${r.told}${r.lastAttempt ? ` (${r.lastAttempt})` : ''}`));
    return el('tr', { dataset: { fingerprint: x.fingerprint, rule: x.rule, state: x.state } },
      el('td', {}, badge(x.state), x.flapping ? el('div', {}, badge('warning', 'flapping')) : null),
      el('td', {}, x.labels.severity || ''),
      el('td', { class: 'mono' }, x.rule),
      el('td', {}, (x.hosts || []).slice(0, 6).join(', '), x.hosts && x.hosts.length > 6 ? ` +${x.hosts.length - 6}` : ''),
      el('td', {}, x.summary, details),
      el('td', { class: 'muted' }, x.state === 'resolved' ? `resolved ${ago(x.endsAt)}` : ago(x.startsAt)),
      el('td', {}, muted),
      el('td', {}, told),
      el('td', {},
        x.state !== 'resolved' ? el('button', { class: 'silence', onclick: () => silenceForm(x) }, 'Silence…') : null,
        x.state !== 'resolved' ? el('button', { class: 'ack', onclick: () => ack(x) }, 'Ack') : null));
  }

  async function loadHistory(fp, box) {
    try {
      const h = await get(`/api/v1/alerts/${encodeURIComponent(fp)}/history`);
      box.replaceChildren(el('ul', { class: 'evidence' }, h.history.map((i) =>
        el('li', {}, `${i.at} ${i.kind}${i.to ? ` ${i.from || '∅'} → ${i.to}` : ''}${i.receiver ? ` ${i.receiver}` : ''}${i.outcome ? ` (${i.outcome})` : ''}`))));
    } catch (e) {
      box.replaceChildren(el('div', { class: 'error' }, e.message));
    }
  }

  async function ack(x) {
    try {
      const r = (await api('POST', `/api/v1/alerts/${encodeURIComponent(x.fingerprint)}/ack`, { by: 'console' })).json;
      actions.set(null);
      form.replaceChildren(el('div', { class: 'notice', id: 'ack-result' },
        `Acknowledged ${x.rule}: ${r.acknowledged.map((a) => `${a.receiver} ${a.delivered ? 'ok' : a.detail}`).join(', ')}`));
    } catch (e) {
      actions.set(e);
    }
  }

  function silenceForm(x) {
    const matchers = el('input', { class: 'query', id: 'silence-matchers',
      value: SILENCE_FIELDS.filter((f) => x.labels[f]).map((f) => `${f}=${quote(x.labels[f])}`).join(', ') });
    const author = el('input', { id: 'silence-author', value: localStorage.getItem('sixfinger.author') || '' , placeholder: 'your name' });
    const comment = el('input', { id: 'silence-comment', size: 40, placeholder: 'why (ticket, maintenance…)' });
    const hours = el('select', { id: 'silence-duration' }, ['1', '2', '4', '8', '24'].map((h) => el('option', { value: h }, `${h} h`)));
    const f = el('form', { class: 'inline', id: 'silence-form', onsubmit: async (e) => {
      e.preventDefault();
      localStorage.setItem('sixfinger.author', author.value);
      try {
        const body = {
          // Split on commas outside quotes: a matcher's value may hold a comma.
          matchers: matchers.value.match(/(?:[^,"]|"(?:\\.|[^"\\])*")+/g).map((m) => m.trim()).filter(Boolean),
          author: author.value, comment: comment.value,
          endsAt: new Date(Date.now() + Number(hours.value) * 3600_000).toISOString(),
        };
        const s = (await api('POST', '/api/v1/silences', body)).json;
        actions.set(null);
        form.replaceChildren(el('div', { class: 'notice', id: 'silence-created' }, `Silence ${s.id} created (${s.state}).`));
        await refresh();
      } catch (err) {
        actions.set(err);
      }
    } },
      el('div', { class: 'row' }, el('b', {}, `Silence ${x.rule}`)),
      el('div', { class: 'row' }, el('label', {}, 'matchers ', matchers)),
      el('div', { class: 'row' }, el('label', {}, 'author ', author), el('label', {}, 'comment ', comment), el('label', {}, 'for ', hours),
        el('button', { class: 'primary', type: 'submit', id: 'silence-submit' }, 'Create silence'),
        el('button', { type: 'button', onclick: () => form.replaceChildren() }, 'Cancel')));
    form.replaceChildren(f);
    comment.focus();
  }

  function renderSilences() {
    const rows = lastSilences.map((s) => el('tr', { dataset: { id: s.id, state: s.state } },
      el('td', {}, badge(s.state === 'active' ? 'silenced' : s.state, s.state)),
      el('td', { class: 'mono' }, (s.matchers || []).map((m) => (typeof m === 'string' ? m : `${m.name}${m.op}${quote(m.value)}`)).join(', ')),
      el('td', {}, s.author), el('td', {}, s.comment),
      el('td', { class: 'muted' }, `${s.startsAt} → ${s.endsAt}`),
      el('td', {}, s.state !== 'expired' ? el('button', { class: 'expire', onclick: () => expire(s) }, 'Expire') : null)));
    silences.replaceChildren(
      el('thead', {}, el('tr', {}, ['state', 'matchers', 'author', 'comment', 'time', ''].map((t) => el('th', {}, t)))),
      el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No silences.'))));
  }

  async function expire(s) {
    try {
      await api('DELETE', `/api/v1/silences/${encodeURIComponent(s.id)}`);
      actions.set(null);
      await refresh();
    } catch (e) {
      actions.set(e);
    }
  }

  return poll(refresh, 2000, errors);
}
