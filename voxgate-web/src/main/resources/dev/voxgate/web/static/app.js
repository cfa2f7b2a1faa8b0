// Page shell: a tab per view, chosen by the URL fragment (#live, #files, #files/JOB-ID: what follows
// the view's name is handed to the view's route()). Views mount into <main>.
// The shell also owns the page's HTTP client (`shell.api`), which asks for an API key when the
// server wants one; views make every request through it.
import { LiveView } from './live/live-view.js';
import { Api } from './http/api.js';
import { KeyForm } from './auth/key-form.js';
import { FilesView } from './files/files-view.js';
import { Uploads } from './files/uploads.js';

const views = [
  { id: 'live', label: 'Live', create: (root, shell) => new LiveView(root, shell) },
  { id: 'files', label: 'Files', create: (root, shell) => new FilesView(root, shell) },
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
  /** Uploads outlive the Files view: switching to Live and back keeps them going. */
  uploads: new Uploads(api),
  /** Shows the connection state in the header; `state` is also exposed as data-state for tests and styles. */
  setConnection(state, label) {
    const pill = document.getElementById('connection');
    pill.hidden = state === null; // a view without a live connection hides it
    if (state === null) return;
    pill.dataset.state = state;
    pill.textContent = label;
  },
};

let current = null;

function show(hash) {
  const [id, ...rest] = hash.split('/');
  const view = views.find((v) => v.id === id) ?? views[0];
  if (current?.id === view.id) {
    current.instance.route?.(rest.join('/'));
    return;
  }
  current?.instance.unmount?.();
  const root = document.getElementById('view');
  root.replaceChildren();
  current = { id: view.id, instance: view.create(root, shell) };
  current.instance.route?.(rest.join('/'));
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
