// The question "which API key?" as an inline form in the page (#key-panel), not window.prompt:
// a labelled password field that takes focus, says in words why a key was refused, and can be
// declined. Also the header's "Forget key" button. The key itself is kept by http/api.js.

// What a key can be: visible ASCII without spaces, as it must be to travel in an HTTP header.
const KEY_PATTERN = /^[\x21-\x7e]+$/;

const WORDS = {
  refused: 'The server refused that key, so the page has forgotten it. Check the key and enter it again.',
  empty: 'Enter the API key, or press Cancel.',
  invalid: 'An API key has no spaces or accented letters: check that it was copied whole.',
};

export class KeyForm {
  #el = {};
  #pending = null; // resolves the current question

  /** @param {Document} doc */
  constructor(doc = document) {
    for (const id of ['key-panel', 'key-form', 'api-key', 'key-error', 'key-cancel', 'forget-key', 'key-status']) {
      this.#el[id] = doc.getElementById(id);
    }
    this.#el['key-form'].addEventListener('submit', (event) => {
      event.preventDefault();
      this.#submit();
    });
    this.#el['key-cancel'].addEventListener('click', () => this.#answer(null));
    this.#el['key-panel'].addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.#answer(null);
    });
  }

  /** Wires the header's "Forget key" button to `forget`. */
  onForget(forget) {
    this.#el['forget-key'].addEventListener('click', () => {
      forget();
      this.#el['key-status'].textContent = 'Key forgotten: the page will ask for it when the server needs one.';
      document.getElementById('view')?.focus({ preventScroll: true });
    });
  }

  /** Shows "Forget key" while a key is stored. */
  showKeyStored(stored) {
    this.#el['forget-key'].hidden = !stored;
    if (stored) this.#el['key-status'].textContent = '';
  }

  /** @type {import('../http/api.js').AskForKey} */
  ask({ refused }) {
    this.#pending?.(null);
    this.#el['api-key'].value = '';
    this.#showError(refused ? WORDS.refused : '');
    this.#el['key-panel'].hidden = false;
    this.#el['api-key'].focus();
    return new Promise((resolve) => {
      this.#pending = resolve;
    });
  }

  #submit() {
    const key = this.#el['api-key'].value.trim();
    if (key === '') {
      this.#showError(WORDS.empty);
      this.#el['api-key'].focus();
    } else if (!KEY_PATTERN.test(key)) {
      this.#showError(WORDS.invalid);
      this.#el['api-key'].focus();
    } else {
      this.#answer(key);
    }
  }

  #answer(key) {
    const resolve = this.#pending;
    if (!resolve) return;
    this.#pending = null;
    const hadFocus = this.#el['key-panel'].contains(document.activeElement);
    this.#el['api-key'].value = '';
    this.#showError('');
    this.#el['key-panel'].hidden = true;
    if (hadFocus) document.getElementById('view')?.focus({ preventScroll: true });
    resolve(key);
  }

  #showError(text) {
    const error = this.#el['key-error'];
    error.textContent = text;
    error.hidden = text === '';
    if (text) this.#el['api-key'].setAttribute('aria-invalid', 'true');
    else this.#el['api-key'].removeAttribute('aria-invalid');
  }
}
