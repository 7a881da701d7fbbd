// Events: a query box over the index, its answer, then a live tail of every change (SSE).
import { el, api, errorBox, fmtNum } from './util.js';

const KEEP = 500; // lines of tail kept on screen

export function eventsView(root) {
  const errors = errorBox();
  const input = el('input', { class: 'query', id: 'events-query', value: sessionStorage.getItem('sixfinger.q') || 'service =~ "swap%" and metric > 100' });
  const pause = el('button', { type: 'button', id: 'events-pause' }, 'Pause');
  const status = el('span', { class: 'muted', id: 'events-status' });
  const log = el('div', { class: 'log', id: 'events-log' });
  let src = null;
  let paused = false;
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
  });
  const line = (kind, ev) => el('div', { class: `k-${kind}` },
    `${ev.time || ''}  ${kind.padEnd(6)} ${ev.host} ${ev.service} ${ev.state || ''} ${ev.metric !== undefined ? fmtNum(ev.metric) : ''} ${ev.description || ''}`);
  const append = (node) => {
    if (paused) return;
    log.append(node);
    while (log.childElementCount > KEEP) log.firstElementChild.remove();
    log.scrollTop = log.scrollHeight;
  };

  async function run() {
    const q = input.value.trim();
    if (src) src.close();
    src = null;
    log.replaceChildren();
    try {
      // The answer first, so a bad query's error comes back in words (EventSource cannot read it).
      const r = await api('GET', `/api/v1/index?limit=200&q=${encodeURIComponent(q)}`);
      errors.set(null);
      sessionStorage.setItem('sixfinger.q', q);
      const total = r.headers.get('X-Sixfinger-Total');
      status.textContent = `${total} entries match; tailing changes…`;
    } catch (e) {
      errors.set(e);
      status.textContent = '';
      return;
    }
    src = new EventSource(`/api/v1/index/stream?q=${encodeURIComponent(q)}`);
    for (const kind of ['update', 'remove', 'expire']) {
      src.addEventListener(kind, (m) => append(line(kind, JSON.parse(m.data))));
    }
    src.addEventListener('closed', (m) => errors.set(new Error(`The server closed the tail: ${JSON.parse(m.data).reason}`)));
    src.onopen = () => { status.textContent = status.textContent.replace('tailing changes…', 'live'); };
    src.onerror = () => errors.set(new Error('The tail lost its connection; the browser reconnects by itself.'));
  }
  root.append(el('h2', {}, 'Events'),
    el('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); run(); } },
      el('label', { for: 'events-query' }, 'Query'), input, el('button', { class: 'primary', type: 'submit', id: 'events-run' }, 'Run and tail'), pause, status),
    el('p', { class: 'muted' }, 'Riemann query language: = != < > <= >= =~ (LIKE, %) ~= (regex), tagged "x", not, and, or; e.g. host = "sim-0001" or state = "critical".'),
    errors.node, log);
  run();
  return () => src && src.close();
}
