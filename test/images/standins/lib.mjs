// Shared helpers of the Harbor stand-ins (test images only). A stand-in replaces one Harbor image
// that cannot be pulled offline: it listens where the real component listens, answers its health
// path, and checks that the files the rendered compose mounts for it are there and readable.
import http from 'node:http';
import fs from 'node:fs';

export function log(name, message) {
  process.stdout.write(`${new Date().toISOString()} [${name} stand-in] ${message}\n`);
}

/** Exits 1 (like the real component would) when a mounted file is missing or unreadable. */
export function requireReadable(name, files) {
  for (const f of files) {
    try {
      fs.accessSync(f, fs.constants.R_OK);
    } catch (err) {
      log(name, `cannot read ${f}: ${err.code}; exiting`);
      process.exit(1);
    }
  }
}

/** Exits 1 when the test asked this stand-in to crash (file under a mounted directory). */
export function crashIfRequested(name, file) {
  if (file && fs.existsSync(file)) {
    log(name, `crash requested by ${file}; exiting with status 1`);
    process.exit(1);
  }
}

export function json(res, status, body, headers = {}) {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

/** Serves `routes` (path -> handler) on `port`; unknown paths answer 404. */
export function serve(name, port, handler) {
  const server = http.createServer((req, res) => {
    res.on('finish', () => log(name, `${req.method} ${req.url} ${res.statusCode}`));
    Promise.resolve(handler(req, res)).catch((err) => {
      log(name, `error: ${err.message}`);
      if (!res.headersSent) json(res, 500, { error: err.message });
      else res.destroy();
    });
  });
  server.listen(port, () => log(name, `listening on :${port}`));
  return server;
}

/** PID 1 gets no default signal handling: stop quickly on `docker stop`. */
export function exitOnSignals(name) {
  for (const sig of ['SIGTERM', 'SIGINT']) {
    process.on(sig, () => {
      log(name, `${sig} received, stopping`);
      process.exit(0);
    });
  }
}
