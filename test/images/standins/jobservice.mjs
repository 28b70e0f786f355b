// STAND-IN for goharbor/harbor-jobservice (test image): answers the image's health path
// /api/v1/stats on :8080 after checking that its rendered config is mounted and readable.
import { serve, log, json, requireReadable, exitOnSignals } from './lib.mjs';

const name = 'harbor-jobservice';
exitOnSignals(name);
requireReadable(name, ['/etc/jobservice/config.yml']);
log(name, 'starting (stand-in: runs no jobs)');
const started = new Date().toISOString();
serve(name, 8080, (req, res) => {
  if (req.url === '/api/v1/stats') {
    return json(res, 200, { core: { status: 'Healthy', start_time: started, workers: 0 }, stand_in: true });
  }
  json(res, 404, { error: 'not found (harbor-jobservice stand-in)' });
});
