// STAND-IN for goharbor/harbor-log (test image). Harbor's log image runs rsyslog on 10514
// (tcp+udp) and writes what the other containers' syslog logging driver sends to
// /var/log/docker/<tag>.log (the host's log.local.location). This one does the same for the
// formats Docker's syslog driver emits: "<PRI>Mmm dd hh:mm:ss TAG[PID]: MSG" (default), RFC 5424,
// and octet-counted TCP framing. It keeps no rotation (Harbor's image uses logrotate).
import net from 'node:net';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { log, exitOnSignals } from './lib.mjs';

const name = 'harbor-log';
const dir = '/var/log/docker';
const port = 10514;
exitOnSignals(name);
fs.mkdirSync(dir, { recursive: true });

const streams = new Map();
function fileFor(tag) {
  const safe = tag.replace(/[^A-Za-z0-9._-]/g, '_') || 'unknown';
  let s = streams.get(safe);
  if (!s) {
    s = fs.createWriteStream(path.join(dir, `${safe}.log`), { flags: 'a' });
    streams.set(safe, s);
  }
  return s;
}

const rfc3164 = /^<(\d{1,3})>(?:(\w{3} [ \d]\d \d\d:\d\d:\d\d) )?(?:(\S+) )??([^\s\[:]+)(?:\[(\d+)\])?: ?([\s\S]*)$/;
const rfc5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (?:-|\[.*?\]) ?([\s\S]*)$/;

function record(line, from) {
  line = line.replace(/\r?\n$/, '');
  if (!line) return;
  let m = rfc5424.exec(line);
  if (m) return write(m[4], m[5], m[2], from, m[7]);
  m = rfc3164.exec(line);
  if (m) return write(m[4], m[5], m[2], from, m[6]);
  write('unparsed', undefined, undefined, from, line);
}

function write(tag, pid, stamp, from, message) {
  const when = stamp && stamp !== '-' ? stamp : new Date().toISOString();
  fileFor(tag).write(`${when} ${from} ${tag}${pid && pid !== '-' ? `[${pid}]` : ''}: ${message}\n`);
}

const tcp = net.createServer((sock) => {
  let buf = '';
  const from = (sock.remoteAddress ?? '-').replace(/^::ffff:/, '');
  sock.setEncoding('utf8');
  sock.on('data', (chunk) => {
    buf += chunk;
    for (;;) {
      const counted = /^(\d+) /.exec(buf);
      if (counted) {
        const len = Number(counted[1]);
        const start = counted[0].length;
        if (Buffer.byteLength(buf.slice(start)) < len) return;
        record(buf.slice(start, start + len), from);
        buf = buf.slice(start + len);
        continue;
      }
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      record(buf.slice(0, nl), from);
      buf = buf.slice(nl + 1);
    }
  });
  sock.on('end', () => record(buf, from));
  sock.on('error', () => {});
});
tcp.listen(port, () => log(name, `listening on tcp :${port}, writing ${dir}/<tag>.log`));

const udp = dgram.createSocket('udp4');
udp.on('message', (msg, rinfo) => record(msg.toString('utf8'), rinfo.address));
udp.bind(port, () => log(name, `listening on udp :${port}`));
