import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, startDaemon, stopDaemon, waitFor } from './processes.ts';

export interface Nginx {
  confDir: string;
  /** What the deploy runs with `-t` and `-s reload`: this master, not the system's nginx. */
  command: string;
  stop: () => Promise<void>;
}

/** An nginx master of the suite's own, configured in `dir`, standing in for the droplet's system nginx. */
export async function startNginx(dir: string): Promise<Nginx> {
  const confDir = join(dir, 'conf.d');
  mkdirSync(confDir, { recursive: true });
  mkdirSync(join(dir, 'temp'), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  const temp = (kind: string) => `${kind}_temp_path ${join(dir, 'temp', kind)};`;
  writeFileSync(
    conf,
    `daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
    access_log off;
    ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n    ')}
    include ${confDir}/*.conf;
}
`,
  );
  const command = `nginx -p ${dir}/ -c ${conf}`;
  await check('nginx', ['-p', `${dir}/`, '-c', conf, '-t']);
  const log = join(dir, 'nginx.log');
  const daemon = startDaemon('nginx', ['-p', `${dir}/`, '-c', conf], log);
  await waitFor('nginx', async () => existsSync(join(dir, 'nginx.pid')), log);
  return { confDir, command, stop: () => stopDaemon(daemon) };
}
