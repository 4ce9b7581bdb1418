import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { layoutOf, otherColor, shellQuote } from './layout.ts';

describe('layout', () => {
  it('puts a deployment under its name: containers, marker, history, env file, lock and nginx site', () => {
    expect(layoutOf({ name: 'fibonacci', stateDir: '/var/lib/fastify-deploy', nginxConfDir: '/etc/nginx/conf.d' })).toEqual({
      name: 'fibonacci',
      containers: { blue: 'fibonacci-blue', green: 'fibonacci-green' },
      labels: { deploy: 'fastify-gitlab.deploy', color: 'fastify-gitlab.color' },
      greenMarker: '/var/lib/fastify-deploy/fibonacci/green',
      historyFile: '/var/lib/fastify-deploy/fibonacci/history',
      envFile: '/var/lib/fastify-deploy/fibonacci/env',
      nextEnvFile: '/var/lib/fastify-deploy/fibonacci/env.next',
      lockFile: '/var/lib/fastify-deploy/fibonacci/lock',
      nginxSite: '/etc/nginx/conf.d/fibonacci.conf',
    });
    expect(otherColor('blue')).toBe('green');
    expect(otherColor('green')).toBe('blue');
  });

  it('quotes values so that a shell passes them through unchanged', () => {
    for (const value of ["it's", '$(touch /tmp/pwned) `id` $HOME', 'a b\tc\nd', '"; rm -rf / #', '', 3000]) {
      expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(value)}`], { encoding: 'utf8' })).toBe(String(value));
    }
  });
});
