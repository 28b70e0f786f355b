// STAND-IN for goharbor/harbor-portal (test image): Harbor's portal is nginx serving the web UI on
// :8080. This one serves a placeholder page on :8080 so the proxy's `/` location has an upstream.
import { serve, log, exitOnSignals } from './lib.mjs';

const name = 'harbor-portal';
exitOnSignals(name);
log(name, 'starting (stand-in: serves a placeholder page, not the Harbor UI)');
serve(name, 8080, (req, res) => {
  const body = '<!doctype html><title>Harbor</title><p>harbor-portal stand-in (regctl test image)</p>\n';
  res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
});
