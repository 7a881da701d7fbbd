// Small helpers shared by the views: DOM building, API calls with errors in words, polling.

/** el('td', {class: 'x', onclick: f}, 'text', child, ...): an element; null children are skipped. */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/** An error from the API, with the server's own words (e.g. a bad query's message). */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** fetch + JSON; a non-2xx answer throws an ApiError carrying the server's error text. */
export async function api(method, path, body) {
  const opts = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, opts);
  } catch (e) {
    throw new ApiError(0, `${method} ${path}: the server cannot be reached (${e.message})`);
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!res.ok) {
    let msg = json && (json.error || json.message);
    if (json && Array.isArray(json.violations)) msg = json.violations.join('; ');
    if (json && Array.isArray(json.errors) && json.errors.length && !msg) {
      msg = json.errors.map((e) => e.text || e.message).join('\n');
    }
    throw new ApiError(res.status, `${method} ${path} → ${res.status}: ${msg || text || res.statusText}`, json);
  }
  return { json, headers: res.headers };
}

export const get = async (path) => (await api('GET', path)).json;

/** An error box inside a view's container; set(null) clears it. */
export function errorBox() {
  const box = el('div', { class: 'errbox' });
  return {
    node: box,
    set(err) {
      box.replaceChildren();
      if (err) box.append(el('div', { class: 'error' }, err.message || String(err)));
    },
  };
}

/**
 * Runs `fn` now and every `ms` until stop(); each run's error is shown in `errors` (cleared on
 * the next success), never swallowed. Runs never overlap.
 */
export function poll(fn, ms, errors) {
  let timer = null;
  let stopped = false;
  const run = async () => {
    try {
      await fn();
      errors.set(null);
    } catch (e) {
      errors.set(e);
    }
    if (!stopped) timer = setTimeout(run, ms);
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Inline SVG polyline of the values (oldest first). */
export function sparkline(values, w = 140, h = 26) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', w);
  svg.setAttribute('height', h);
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  const vs = values.filter((v) => Number.isFinite(v));
  if (vs.length >= 2) {
    const min = Math.min(...vs);
    const max = Math.max(...vs);
    const span = max - min || 1;
    const pts = vs.map((v, i) => `${((i / (vs.length - 1)) * (w - 2) + 1).toFixed(1)},${(h - 2 - ((v - min) / span) * (h - 4)).toFixed(1)}`);
    const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    line.setAttribute('points', pts.join(' '));
    svg.append(line);
    const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    title.textContent = `min ${fmtNum(min)}, max ${fmtNum(max)}, ${vs.length} points`;
    svg.append(title);
  }
  return svg;
}

export function fmtNum(v) {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en');
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
}

/** "12s ago", "3m ago" from an ISO time. */
export function ago(iso) {
  if (!iso) return '';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return iso;
  if (s < 0) return `in ${fmtDuration(-s)}`;
  return `${fmtDuration(s)} ago`;
}

export function fmtDuration(s) {
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

export function badge(state, text) {
  return el('span', { class: `badge s-${state}` }, text || state);
}

/** Makes a matcher value safe inside "..." of the alerting matcher syntax. */
export function quote(v) {
  return `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
