// The console's entry point: hash routes to views; each view returns a function that stops it.
import { el } from './util.js';
import { fleetView, hostView } from './fleet.js';
import { alertsView } from './alerts.js';
import { rulesView } from './rules.js';
import { schedulerView } from './scheduler.js';
import { eventsView } from './events.js';

const routes = {
  fleet: (root) => fleetView(root),
  host: (root, arg) => hostView(root, arg),
  alerts: (root) => alertsView(root),
  rules: (root) => rulesView(root),
  scheduler: (root) => schedulerView(root),
  events: (root) => eventsView(root),
};

let stop = null;

function route() {
  const [, name = 'fleet', ...rest] = (location.hash || '#/fleet').split('/');
  const view = routes[name] ? name : 'fleet';
  if (stop) stop();
  const root = document.getElementById('main');
  root.replaceChildren();
  window.scrollTo(0, 0); // a new view starts at its top, not where the last one was scrolled
  const section = el('section', { id: `view-${view}`, class: 'view' });
  root.append(section);
  stop = routes[view](section, decodeURIComponent(rest.join('/')));
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.view === (view === 'host' ? 'fleet' : view));
  }
  document.title = `Sixfinger · ${view}`;
}

window.addEventListener('hashchange', route);
// An uncaught error must not vanish: say it on the page as well as in the console.
window.addEventListener('unhandledrejection', (e) => {
  document.getElementById('errors').append(el('div', { class: 'error' }, `Unexpected error: ${e.reason && e.reason.message ? e.reason.message : e.reason}`));
});
setInterval(() => {
  document.getElementById('clock').textContent = new Date().toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}, 1000);
route();
