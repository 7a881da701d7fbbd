// Scheduler: the queue with each waiting job's reason, usage against share, hosts and overrides.
import { el, api, get, errorBox, poll, fmtNum, ago, badge } from './util.js';

export function schedulerView(root) {
  const errors = errorBox();
  const actions = errorBox();
  const cards = el('div', { class: 'cards', id: 'scheduler-summary' });
  const queue = el('table', { id: 'queue' });
  const usage = el('table', { id: 'usage' });
  const hosts = el('table', { id: 'hosts' });
  const form = el('div', { id: 'override-slot' });
  root.append(el('h2', {}, 'Scheduler'), errors.node, actions.node, cards,
    el('div', { class: 'split' },
      el('div', {}, el('h3', {}, 'Queue (rank order)'), queue),
      el('div', {}, el('h3', {}, 'Usage against share'), usage)),
    el('h3', {}, 'Hosts'), form, hosts);

  function overrideForm(h) {
    const state = el('select', { id: 'override-state' }, ['cordon', 'drain', 'healthy'].map((s) => el('option', { value: s }, s)));
    const ttl = el('input', { id: 'override-ttl', value: '2 hours', size: 10 });
    const author = el('input', { id: 'override-author', value: localStorage.getItem('sixfinger.author') || '', placeholder: 'your name' });
    const reason = el('input', { id: 'override-reason', size: 40, placeholder: 'why, for whoever looks next' });
    form.replaceChildren(el('form', { class: 'inline', onsubmit: async (e) => {
      e.preventDefault();
      localStorage.setItem('sixfinger.author', author.value);
      try {
        await api('PUT', `/api/v1/hosts/${encodeURIComponent(h.host)}/override`, { state: state.value, ttl: ttl.value, author: author.value, reason: reason.value });
        actions.set(null);
        form.replaceChildren();
      } catch (err) {
        actions.set(err);
      }
    } }, el('b', {}, `Override ${h.host}`), ' ', state, ' for ', ttl, ' ', author, ' ', reason, ' ',
      el('button', { class: 'primary', type: 'submit' }, 'Set override'),
      el('button', { type: 'button', onclick: () => form.replaceChildren() }, 'Cancel')));
  }

  async function clearOverride(h) {
    try {
      const who = localStorage.getItem('sixfinger.author') || 'console';
      await api('DELETE', `/api/v1/hosts/${encodeURIComponent(h.host)}/override?author=${encodeURIComponent(who)}`);
      actions.set(null);
    } catch (e) {
      actions.set(e);
    }
  }

  return poll(async () => {
    const [q, u, sh, hs] = await Promise.all([get('/api/v1/queue?limit=50'), get('/api/v1/usage'), get('/api/v1/shares'), get('/api/v1/hosts')]);
    const byState = {};
    for (const h of hs.hosts) byState[h.state] = (byState[h.state] || 0) + 1;
    cards.replaceChildren(
      el('div', { class: 'card' }, el('b', {}, q.waiting), `jobs waiting (${q.policy})`),
      el('div', { class: 'card' }, el('b', {}, Object.values(u.users).reduce((n, x) => n + x.runningJobs, 0)), 'jobs running'),
      el('div', { class: 'card' }, el('b', {}, `${fmtNum(u.cluster.cpus)} cpus`), `${fmtNum(u.cluster.mem)} MiB in the cluster`),
      ...Object.entries(byState).sort().map(([k, v]) => el('div', { class: 'card', id: `hosts-count-${k}` }, el('b', {}, v), `hosts ${k}`)));
    queue.replaceChildren(
      el('thead', {}, el('tr', {}, ['#', 'job', 'user', 'resources', 'waits because'].map((t) => el('th', {}, t)))),
      el('tbody', {}, q.jobs.length ? q.jobs.map((j) => el('tr', { dataset: { uuid: j.uuid, reason: j.reason } },
        el('td', {}, j.rank), el('td', { class: 'mono' }, j.uuid), el('td', {}, j.user),
        el('td', {}, `${j.resources.cpus} cpus, ${fmtNum(j.resources.mem)} MiB`),
        el('td', {}, badge('pending', j.reason), ' ', j.why))) : el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'Nothing waits.'))));
    usage.replaceChildren(
      el('thead', {}, el('tr', {}, ['user', 'running', 'dominant share', ''].map((t) => el('th', {}, t)))),
      el('tbody', {}, Object.entries(u.users).map(([name, x]) => {
        const share = sh[name] || sh.default || { cpus: 0, mem: 0 };
        const pct = Math.min(100, x.dominantShare * 100);
        return el('tr', { dataset: { user: name } },
          el('td', {}, name),
          el('td', {}, `${x.runningJobs} running, ${x.waitingJobs} waiting · ${fmtNum(x.running.cpus)}/${fmtNum(share.cpus)} cpus · ${fmtNum(x.running.mem)}/${fmtNum(share.mem)} MiB`),
          el('td', {}, el('div', { class: 'bar', title: `${(x.dominantShare * 100).toFixed(1)}% of share` }, el('i', { class: x.dominantShare > 1 ? 'over' : '', style: `width:${pct}%` }))),
          el('td', {}, `${(x.dominantShare * 100).toFixed(0)}%`));
      })));
    hosts.replaceChildren(
      el('thead', {}, el('tr', {}, ['host', 'state', 'capacity / used', 'decisions (evidence)', 'override', 'guard-rail', 'why', ''].map((t) => el('th', {}, t)))),
      el('tbody', {}, hs.hosts.map((h) => el('tr', { dataset: { host: h.host, state: h.state } },
        el('td', {}, el('a', { href: `#/host/${encodeURIComponent(h.host)}` }, h.host)),
        el('td', {}, badge(h.state), h.cause ? el('div', { class: 'muted' }, h.cause) : null, h.since ? el('div', { class: 'muted' }, ago(h.since)) : null),
        el('td', {}, h.capacity ? `${h.used.cpus}/${h.capacity.cpus} cpus, ${fmtNum(h.used.mem)}/${fmtNum(h.capacity.mem)} MiB` : '—'),
        el('td', {}, h.decisions.map((d) => el('div', {}, `${d.rule}: ${d.action}${d.dryRun ? ' (dry run)' : ''} — ${d.reason} (${d.evidence} events)`))),
        el('td', {}, h.override ? `${h.override.state} by ${h.override.author} until ${h.override.expiresAt}: ${h.override.reason}` : ''),
        el('td', {}, h.guardRail ? el('span', {}, badge('warning', h.guardRail.kind), ' ', h.guardRail.message) : ''),
        el('td', { class: 'muted' }, h.why.join('; ')),
        el('td', {}, el('button', { onclick: () => overrideForm(h) }, 'Override…'),
          h.override ? el('button', { onclick: () => clearOverride(h) }, 'Clear') : null)))));
  }, 2000, errors);
}
