// Posts bodies the server answers before reading (413, 400, 404, 405) with Node's own fetch (undici, what
// OpenAI's Node SDK uses), many times each, and prints what came back: statuses, or the network errors that
// a server closing on an unread body causes (EPIPE, ECONNRESET, "fetch failed").
// Usage: node early-answers.mjs BASE_URL ROUNDS BYTES (HttpErrorsIT runs it)
const [base, roundsArg, bytesArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 30);
const payload = new Uint8Array(Number(bytesArg ?? 2 * 1024 * 1024));
const encoder = new TextEncoder();

function multipart(field) {
  const head = encoder.encode(`--b\r\nContent-Disposition: form-data; name="${field}"; filename="a.wav"\r\n`
    + 'Content-Type: audio/wav\r\n\r\n');
  const tail = encoder.encode('\r\n--b--\r\n');
  const body = new Uint8Array(head.length + payload.length + tail.length);
  body.set(head, 0);
  body.set(payload, head.length);
  body.set(tail, head.length + payload.length);
  return body;
}

const form = 'multipart/form-data; boundary=b';
const cases = [
  ['declared length over MAX_FILE_SIZE_MB (openai)', '/v1/audio/transcriptions', form, multipart('file'), 413],
  ['declared length over MAX_FILE_SIZE_MB (jobs)', '/api/jobs', form, multipart('file'), 413],
  ['not a multipart form', '/api/jobs', 'application/octet-stream', payload, 400],
  ['translations', '/v1/audio/translations', form, multipart('file'), 404],
  ['no such route', '/v1/audio/nothing', 'application/octet-stream', payload, 404],
  ['method not allowed', '/v1/models', 'application/octet-stream', payload, 405],
];

const results = [];
for (const [name, path, type, body, expected] of cases) {
  const r = { name, path, expected, statuses: {}, errors: [] };
  for (let i = 0; i < rounds; i++) {
    try {
      const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': type }, body });
      await res.arrayBuffer();
      r.statuses[res.status] = (r.statuses[res.status] ?? 0) + 1;
    } catch (e) {
      r.errors.push(`${e.message}: ${e.cause?.code ?? e.cause?.message ?? e.cause ?? ''}`);
    }
  }
  results.push(r);
}
console.log(JSON.stringify(results));
