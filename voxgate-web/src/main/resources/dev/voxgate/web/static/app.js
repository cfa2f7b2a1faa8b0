// Page shell: a tab per view, chosen by the URL fragment. Views mount into <main>. The live view
// is the only one; another view is one more entry in `views`, without touching the live view.
// The shell also owns the page's HTTP client (`shell.api`), which asks for an API key when the
// server wants one; views make every request through it.
import { LiveView } from './live/live-view.js';
import { Api } from './http/api.js';
import { KeyForm } from './auth/key-form.js';

const views = [
  { id: 'live', label: 'Live', create: (root, shell) => new LiveView(root, shell) },
];

const keyForm = new KeyForm();
const api = new Api({
  askForKey: (question) => keyForm.ask(question),
  onKeyChange: (hasKey) => keyForm.showKeyStored(hasKey),
});
keyForm.onForget(() => api.forgetKey());
keyForm.showKeyStored(api.hasKey);

const shell = {
  api,
  /** Shows the connection state in the header; `state` is also exposed as data-state for tests and styles. */
  setConnection(state, label) {
    const pill = document.getElementById('connection');
    pill.dataset.state = state;
    pill.textContent = label;
  },
};

let current = null;

function show(id) {
  const view = views.find((v) => v.id === id) ?? views[0];
  if (current?.id === view.id) return;
  current?.instance.unmount?.();
  const root = document.getElementById('view');
  root.replaceChildren();
  current = { id: view.id, instance: view.create(root, shell) };
  for (const link of document.querySelectorAll('#views a')) {
    if (link.dataset.view === view.id) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function buildTabs() {
  const list = document.getElementById('views');
  for (const view of views) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = `#${view.id}`;
    link.dataset.view = view.id;
    link.textContent = view.label;
    item.append(link);
    list.append(item);
  }
}

buildTabs();
window.addEventListener('hashchange', () => show(location.hash.slice(1)));
show(location.hash.slice(1));
