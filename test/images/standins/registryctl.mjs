// STAND-IN for goharbor/harbor-registryctl (test image): answers /api/health on :8080 after
// checking that its own config and the registry config it shares with `registry` are readable.
import { serve, log, json, requireReadable, exitOnSignals } from './lib.mjs';

const name = 'harbor-registryctl';
exitOnSignals(name);
requireReadable(name, ['/etc/registryctl/config.yml', '/etc/registry/config.yml']);
log(name, 'starting (stand-in: no garbage collection API)');
serve(name, 8080, (req, res) => {
  if (req.url === '/api/health') return json(res, 200, { status: 'healthy', stand_in: true });
  json(res, 404, { error: 'not found (harbor-registryctl stand-in)' });
});
