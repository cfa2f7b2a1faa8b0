// The live view: Start opens the microphone and a /v1/listen session, partials replace each
// other in a lighter style, finals are appended with their time, Stop finishes the session
// (the server sends the remaining finals before closing). Failures end up in #notice in words.
// With API keys on, the key is asked for before the microphone opens, and each session connects
// with a fresh single-use token got with it (shell.api), never with the key itself.
import { Microphone, MicrophoneError } from './microphone.js';
import { ListenClient, listenUrl } from './listen-client.js';
import { KEY_NEEDED, closeMessage, microphoneMessage } from './messages.js';
import { KeyNeededError } from '../http/api.js';
import { Transcript, clock, timestamp } from '../transcript/transcript.js';

const TARGET_RATE = 16000;
const FRAME_MS = 100;

const LABELS = {
  idle: 'Not connected',
  starting: 'Opening microphone…',
  connecting: 'Connecting…',
  listening: 'Listening',
  finishing: 'Finishing…',
  disconnected: 'Disconnected',
};

export class LiveView {
  #el = {};
  #shell;
  #transcript = new Transcript();
  #state = 'idle';
  #mic = null;
  #client = null;
  #sessionStart = 0; // performance.now() when the current session began capturing
  #timelineOffset = 0; // seconds of earlier sessions on this page
  #timer = null;
  #everConnected = false; // a session reached `ready` on this page: offer to reconnect rather than to try again

  constructor(root, shell) {
    this.#shell = shell;
    root.append(document.getElementById('live-view').content.cloneNode(true));
    for (const id of ['start', 'stop', 'level', 'elapsed', 'engine', 'notice', 'finals', 'partial', 'empty',
      'copy', 'download-txt', 'download-srt', 'clear', 'action-status']) {
      this.#el[id] = root.querySelector(`#${id}`);
    }
    this.#el.start.addEventListener('click', () => this.start());
    this.#el.stop.addEventListener('click', () => this.stop());
    this.#el.copy.addEventListener('click', () => this.#copy());
    this.#el['download-txt'].addEventListener('click', () => this.#download('txt'));
    this.#el['download-srt'].addEventListener('click', () => this.#download('srt'));
    this.#el.clear.addEventListener('click', () => this.#clear());
    this.#setState('idle');
    this.#loadEngines();
  }

  unmount() {
    this.#client?.abort();
    this.#mic?.stop();
    clearInterval(this.#timer);
  }

  async start() {
    if (this.#state !== 'idle' && this.#state !== 'disconnected') return;
    this.#hideNotice();
    this.#setState('starting');
    const api = this.#shell.api;
    if (api.needsKey && !(await api.ensureKey())) {
      this.#setState('idle');
      this.#showNotice(KEY_NEEDED);
      return;
    }
    try {
      this.#mic = await Microphone.open({
        targetRate: TARGET_RATE,
        frameMs: FRAME_MS,
        onFrame: (pcm, level) => this.#onFrame(pcm, level),
        onEnded: () => this.#fail({ text: microphoneMessage(new MicrophoneError('ended')), retry: true }),
      });
    } catch (e) {
      this.#mic = null;
      this.#setState(this.#state === 'starting' ? 'idle' : this.#state);
      this.#showNotice(e instanceof MicrophoneError ? microphoneMessage(e) : `The microphone could not be started: ${e.message}`);
      return;
    }
    this.#setState('connecting');
    const offset = this.#timelineOffset;
    const engine = this.#el.engine.value || undefined;
    this.#client = new ListenClient(this.#listenUrl(engine), {
      onReady: (msg) => {
        this.#everConnected = true;
        this.#setState('listening', `Listening (${msg.engine})`);
      },
      onPartial: (text) => this.#showPartial(text),
      onFinal: (final) => this.#addFinal(final, offset),
      onClose: (outcome) => this.#onClose(outcome),
    });
    this.#sessionStart = performance.now();
    this.#timer = setInterval(() => this.#tick(), 250);
    this.#tick();
  }

  async stop() {
    if (!['connecting', 'listening'].includes(this.#state)) return;
    this.#setState('finishing');
    const mic = this.#mic;
    this.#mic = null;
    await mic?.stop(); // delivers the last partial frame before the end marker
    this.#endCapture();
    this.#client?.end();
  }

  /** The listen URL, with a token when the server wants keys (a string at once when it does not). */
  #listenUrl(engine) {
    const params = { sample_rate: TARGET_RATE, engine };
    if (!this.#shell.api.needsKey) return listenUrl(params);
    return this.#shell.api.listenToken().then((token) => listenUrl({ ...params, token: token ?? undefined }));
  }

  #onFrame(pcm, level) {
    this.#client?.send(pcm);
    // The last frames arrive while finishing; the meter should already read zero then.
    if (this.#state === 'listening' || this.#state === 'connecting') this.#showLevel(level.rms);
  }

  async #onClose(outcome) {
    this.#client = null;
    if (this.#mic) {
      this.#mic.stop();
      this.#mic = null;
    }
    this.#endCapture();
    this.#showPartial('');
    let keyNeeded = outcome.cause instanceof KeyNeededError;
    if (!outcome.opened && !outcome.normal && !outcome.error && !outcome.cause) {
      // The browser hides why a WebSocket upgrade failed: a 401 (keys turned on since the page
      // loaded, or the key revoked) looks like an unreachable server unless the server is asked.
      keyNeeded = await this.#shell.api.refusesThisTab();
    }
    const problem = closeMessage({ ...outcome, keyNeeded }, location.host);
    if (problem) this.#fail(problem);
    else this.#setState('idle');
  }

  #fail(problem) {
    if (this.#mic) {
      this.#mic.stop();
      this.#mic = null;
    }
    this.#client?.abort();
    this.#endCapture();
    this.#setState('disconnected');
    this.#showNotice(problem.text, problem.detail);
  }

  #endCapture() {
    if (this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
      this.#timelineOffset += (performance.now() - this.#sessionStart) / 1000;
    }
    this.#showLevel(0);
  }

  #setState(state, label) {
    this.#state = state;
    this.#shell.setConnection(state, label ?? LABELS[state]);
    document.body.dataset.session = state;
    const busy = ['starting', 'connecting', 'listening', 'finishing'].includes(state);
    this.#el.start.disabled = busy;
    this.#el.start.textContent = state !== 'disconnected' ? 'Start' : this.#everConnected ? 'Reconnect' : 'Try again';
    this.#el.stop.disabled = !['connecting', 'listening'].includes(state);
    this.#el.engine.disabled = busy;
    if (state === 'listening' || state === 'connecting') this.#el.stop.focus({ preventScroll: true });
    else if (!busy && document.activeElement === this.#el.stop) this.#el.start.focus({ preventScroll: true });
  }

  #tick() {
    this.#el.elapsed.textContent = clock((performance.now() - this.#sessionStart) / 1000);
  }

  #showLevel(rms) {
    // -60 dBFS (quiet room) .. 0 dBFS on a 0..100 scale.
    const db = rms > 0 ? 20 * Math.log10(rms) : -100;
    const value = Math.round(Math.max(0, Math.min(100, ((db + 60) / 60) * 100)));
    this.#el.level.setAttribute('aria-valuenow', String(value));
    this.#el.level.style.setProperty('--fill', `${value}%`);
  }

  #showPartial(text) {
    this.#transcript.partial = text;
    this.#el.partial.textContent = text;
    this.#el.partial.hidden = text === '';
    if (text) this.#el.empty.hidden = true;
  }

  #addFinal(final, offset) {
    const segment = this.#transcript.addFinal(final, offset);
    this.#showPartial('');
    if (!segment) return;
    const item = document.createElement('li');
    const time = document.createElement('time');
    time.dateTime = `PT${segment.start.toFixed(2)}S`;
    time.textContent = clock(segment.start);
    time.title = timestamp(segment.start);
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = segment.text;
    item.append(time, ' ', text);
    this.#el.finals.append(item);
    this.#el.empty.hidden = true;
    this.#updateActions();
    item.scrollIntoView?.({ block: 'nearest' });
  }

  #updateActions() {
    const empty = this.#transcript.isEmpty;
    for (const id of ['copy', 'download-txt', 'download-srt', 'clear']) this.#el[id].disabled = empty;
  }

  async #copy() {
    const text = this.#transcript.toText();
    try {
      await navigator.clipboard.writeText(text);
      this.#actionStatus('Transcript copied to the clipboard.');
    } catch {
      this.#actionStatus('The browser did not allow copying; select the transcript and copy it by hand.');
    }
  }

  #download(kind) {
    const body = kind === 'srt' ? this.#transcript.toSrt() : this.#transcript.toText();
    const type = kind === 'srt' ? 'application/x-subrip' : 'text/plain';
    const url = URL.createObjectURL(new Blob([body], { type: `${type};charset=utf-8` }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `voxgate-transcript-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}.${kind}`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    this.#actionStatus(`Saved ${link.download}.`);
  }

  #clear() {
    this.#transcript.clear();
    this.#el.finals.replaceChildren();
    this.#showPartial('');
    this.#el.empty.hidden = false;
    this.#timelineOffset = 0;
    this.#updateActions();
    this.#actionStatus('Transcript cleared.');
  }

  #actionStatus(text) {
    this.#el['action-status'].textContent = text;
  }

  #showNotice(text, detail) {
    const notice = this.#el.notice;
    notice.querySelector('.notice-text').textContent = text;
    const d = notice.querySelector('.notice-detail');
    d.textContent = detail ? `Server said: ${detail}` : '';
    d.hidden = !detail;
    notice.hidden = false;
  }

  #hideNotice() {
    this.#el.notice.hidden = true;
  }

  /** Offers the engines that can stream, when the server has more than one. */
  async #loadEngines() {
    try {
      const response = await this.#shell.api.fetch('api/modules_info', { headers: { Accept: 'application/json' } });
      if (!response.ok) return;
      const info = await response.json();
      const streaming = (info.engines ?? []).filter((e) => e.capabilities?.streaming && e.status === 'ready');
      if (streaming.length < 2) return;
      for (const engine of streaming) {
        const option = new Option(engine.description ? `${engine.id} — ${engine.description}` : engine.id, engine.id);
        option.selected = engine.id === info.defaultEngine;
        this.#el.engine.append(option);
      }
      this.#el.engine.closest('.engine-choice').hidden = false;
    } catch {
      // The engine list is a convenience; the server's default engine is used without it.
    }
  }
}
