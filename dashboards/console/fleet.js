// Fleet: hosts × checks grid fed by the index's live stream, and a host's page with sparklines.
import { el, api, get, errorBox, poll, sparkline, fmtNum, ago, badge } from './util.js';

const HISTORY = 120; // points of metric history kept per host and service, for the sparklines
const RANK = { none: 0, ok: 1, expired: 2, warning: 3, error: 4, critical: 5 };

/**
 * What the page knows about the fleet: the latest event per host and service (from the stream of
 * /api/v1/index/stream), the metric history seen since the page opened, and which cells are
 * evidence of a firing alert (from /api/v1/rules). It lives as long as the page, so the host page
 * shows the history the grid collected.
 */
const store = {
  query: 'true',
  latest: new Map(), // host -> Map(service -> event)
  history: new Map(), // "host\u0000service" -> [metric...]
  alerting: new Map(), // "host\u0000service" -> severity of the worst firing alert it is evidence of
  alertingHosts: new Map(), // host -> worst severity of firing alerts naming it
  source: null,
  status: 'idle',
  listeners: new Set(),
  changed() {
    for (const f of this.listeners) f();
  },
};

function put(ev) {
  let m = store.latest.get(ev.host);
  if (!m) store.latest.set(ev.host, (m = new Map()));
  m.set(ev.service, ev);
  if (typeof ev.metric === 'number') {
    const k = `${ev.host}\u0000${ev.service}`;
    let h = store.history.get(k);
    if (!h) store.history.set(k, (h = []));
    h.push(ev.metric);
    if (h.length > HISTORY) h.shift();
  }
}

/** (Re)opens the live stream for `query`; a bad query's error text comes back as an ApiError. */
async function connect(query, errors) {
  // EventSource cannot read an error body: ask the plain query first so a bad query is explained.
  await api('GET', `/api/v1/index?limit=1&q=${encodeURIComponent(query)}`);
  if (store.source) store.source.close();
  store.query = query;
  store.latest.clear();
  store.history.clear();
  const src = new EventSource(`/api/v1/index/stream?q=${encodeURIComponent(query)}`);
  store.source = src;
  store.status = 'connecting';
  let pending = false;
  const onChange = (kind) => (msg) => {
    const ev = JSON.parse(msg.data);
    if (kind === 'remove') {
      const m = store.latest.get(ev.host);
      if (m) m.delete(ev.service);
    } else {
      put(ev);
    }
    // Hundreds of events a second: redraw at most once a frame.
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        store.changed();
      });
    }
  };
  src.addEventListener('update', onChange('update'));
  src.addEventListener('expire', onChange('expire'));
  src.addEventListener('remove', onChange('remove'));
  src.addEventListener('closed', (msg) => {
    const reason = JSON.parse(msg.data).reason;
    errors.set(new Error(`The server closed the live stream: ${reason}. Reconnecting.`));
  });
  src.onopen = () => {
    store.status = 'live';
    errors.set(null);
    store.changed();
  };
  src.onerror = () => {
    store.status = src.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting';
    errors.set(new Error(`The live stream of /api/v1/index/stream is ${store.status}.`));
    store.changed();
  };
}

/** Firing alerts' evidence, so a swapping host's swap cell turns the alert's colour. */
async function refreshAlerting() {
  const rules = await get('/api/v1/rules');
  const cells = new Map();
  const hosts = new Map();
  const worse = (map, k, sev) => {
    if ((RANK[sev] || 3) > (RANK[map.get(k)] || 0)) map.set(k, sev in RANK ? sev : 'warning');
  };
  for (const a of rules.firing || []) {
    const sev = a.severity || 'warning';
    for (const h of a.hosts || []) worse(hosts, h, sev);
    for (const e of a.evidence || []) worse(cells, `${e.host}\u0000${e.service}`, sev);
  }
  store.alerting = cells;
  store.alertingHosts = hosts;
  store.changed();
}

/** A cell's colour: the event's own state, else the worst firing alert it is evidence of. */
function cellState(ev) {
  const fromAlert = store.alerting.get(`${ev.host}\u0000${ev.service}`);
  const own = ev.state && ev.state in RANK ? ev.state : 'none';
  return fromAlert && RANK[fromAlert] > RANK[own] ? fromAlert : own;
}

function hostState(host) {
  let worst = store.alertingHosts.get(host) || 'none';
  for (const ev of (store.latest.get(host) || new Map()).values()) {
    const s = cellState(ev);
    if (RANK[s] > RANK[worst]) worst = s;
  }
  return worst;
}

let started = null;
/** Starts the stream and the alert polling once; both keep running while the page is open. */
function ensureStarted(errors) {
  if (!started) {
    started = connect(store.query, errors).catch((e) => {
      started = null;
      throw e;
    });
    poll(refreshAlerting, 2000, errors.alerts);
  }
  return started;
}

export function fleetView(root) {
  const errors = errorBox();
  errors.alerts = errorBox();
  const input = el('input', { class: 'query', id: 'fleet-query', value: store.query, 'aria-label': 'filter (query language)' });
  const only = el('select', { id: 'fleet-only', 'aria-label': 'hosts to show' },
    el('option', { value: 'all' }, 'all hosts'),
    el('option', { value: 'bad' }, 'hosts with a problem'));
  const status = el('span', { class: 'muted', id: 'fleet-status' });
  const table = el('table', { class: 'grid', id: 'fleet-grid' });
  const apply = async () => {
    try {
      started = connect(input.value.trim() || 'true', errors);
      await started;
      errors.set(null);
    } catch (e) {
      started = null;
      errors.set(e);
    }
  };
  const form = el('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); apply(); } },
    el('label', { for: 'fleet-query' }, 'Filter'), input,
    el('button', { class: 'primary', type: 'submit', id: 'fleet-apply' }, 'Apply'), only, status);
  only.addEventListener('change', () => render());
  const legend = el('div', { class: 'legend' },
    ...['ok', 'none', 'warning', 'error', 'critical', 'expired'].map((s) =>
      el('span', {}, el('i', { class: `cell c-${s}` }), s === 'none' ? 'reporting (no state)' : s)));
  const summary = el('div', { class: 'cards', id: 'fleet-summary' });
  root.append(el('h2', {}, 'Fleet'), form, errors.node, errors.alerts.node, summary, legend, table);

  function render() {
    const services = new Set();
    for (const m of store.latest.values()) for (const s of m.keys()) services.add(s);
    const cols = [...services].sort();
    let hosts = [...store.latest.keys()].sort();
    const bad = hosts.filter((h) => RANK[hostState(h)] >= RANK.warning);
    if (only.value === 'bad') hosts = bad;
    status.textContent = `stream ${store.status} · ${store.latest.size} hosts · ${cols.length} checks`;
    summary.replaceChildren(
      el('div', { class: 'card' }, el('b', {}, store.latest.size), 'hosts reporting'),
      el('div', { class: 'card' }, el('b', { id: 'fleet-bad-count' }, bad.length), 'hosts with a problem'),
      el('div', { class: 'card' }, el('b', {}, store.alerting.size), 'checks that are alert evidence'));
    const head = el('tr', {}, el('th', {}, 'host'), ...cols.map((c) => el('th', { class: 'svc' }, el('span', {}, c))));
    const rows = hosts.map((h) => {
      const m = store.latest.get(h);
      return el('tr', { dataset: { host: h, state: hostState(h) } },
        el('td', { class: 'host' }, el('a', { href: `#/host/${encodeURIComponent(h)}` }, h)),
        ...cols.map((c) => {
          const ev = m.get(c);
          if (!ev) return el('td', {}, el('i', { class: 'cell' }));
          const st = cellState(ev);
          const tip = `${h} ${c}: ${ev.state || 'no state'}${ev.metric !== undefined ? `, metric ${fmtNum(ev.metric)}` : ''}${ev.description ? ` — ${ev.description}` : ''}`;
          return el('td', {}, el('i', { class: `cell c-${st}`, title: tip, dataset: { service: c, state: st } }));
        }));
    });
    table.replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
    if (!hosts.length) {
      table.append(el('caption', { class: 'muted' }, store.latest.size ? 'No host has a problem.' : 'No events match yet.'));
    }
  }
  store.listeners.add(render);
  ensureStarted(errors).catch((e) => errors.set(e));
  render();
  return () => store.listeners.delete(render);
}

export function hostView(root, host) {
  const errors = errorBox();
  errors.alerts = errorBox();
  const sched = el('div', { id: 'host-scheduler' });
  const alertsBox = el('div', { id: 'host-alerts' });
  const table = el('table', { id: 'host-events' });
  root.append(
    el('h2', {}, el('a', { href: '#/fleet' }, 'Fleet'), ' / ', host),
    errors.node, errors.alerts.node,
    el('div', { class: 'split narrow' },
      el('div', {}, el('h3', {}, 'Latest events'), table),
      el('div', {}, el('h3', {}, 'Scheduler'), sched, el('h3', {}, 'Alerts naming this host'), alertsBox)));

  function render() {
    const m = store.latest.get(host) || new Map();
    const rows = [...m.values()].sort((a, b) => a.service.localeCompare(b.service)).map((ev) =>
      el('tr', { dataset: { service: ev.service } },
        el('td', {}, el('i', { class: `cell c-${cellState(ev)}` })),
        el('td', { class: 'mono' }, ev.service),
        el('td', {}, ev.state || ''),
        el('td', { class: 'mono' }, fmtNum(ev.metric)),
        el('td', {}, sparkline(store.history.get(`${host}\u0000${ev.service}`) || [])),
        el('td', {}, ev.description || ''),
        el('td', { class: 'muted' }, ago(ev.time))));
    table.replaceChildren(
      el('thead', {}, el('tr', {}, ['', 'service', 'state', 'metric', `last ${HISTORY} readings`, 'description', 'time'].map((t) => el('th', {}, t)))),
      el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 7, class: 'muted' }, `No events from ${host} in the current filter (${store.query}).`))));
  }
  store.listeners.add(render);
  ensureStarted(errors).catch((e) => errors.set(e));
  render();
  const stopPoll = poll(async () => {
    // The whole list rather than /hosts/NAME: a host the scheduler does not know is not an error.
    const h = ((await get('/api/v1/hosts')).hosts || []).find((x) => x.host === host);
    if (!h) {
      sched.replaceChildren(el('p', { class: 'muted' }, 'The scheduler does not know this host (no capacity events yet).'));
    } else {
      sched.replaceChildren(
        el('div', { class: 'row' }, badge(h.state), h.cause ? el('span', {}, `cause: ${h.cause}`) : null,
          h.since ? el('span', { class: 'muted' }, `since ${ago(h.since)}`) : null),
        h.capacity ? el('div', { class: 'muted' }, `capacity ${h.capacity.cpus} cpus, ${fmtNum(h.capacity.mem)} MiB; used ${h.used.cpus} cpus`) : null,
        el('ul', {}, (h.why || []).map((w) => el('li', {}, w))));
    }
    const a = await get('/api/v1/alerts');
    const mine = (a.alerts || []).filter((x) => (x.hosts || []).includes(host) || x.labels.host === host);
    alertsBox.replaceChildren(mine.length
      ? el('ul', {}, mine.map((x) => el('li', {}, badge(x.state), ' ', x.summary || x.rule)))
      : el('p', { class: 'muted' }, 'None.'));
  }, 2000, errors.alerts);
  return () => {
    store.listeners.delete(render);
    stopPoll();
  };
}
