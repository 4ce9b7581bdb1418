import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCommandLine, readSettings } from '../settings.ts';
import { inventory, playbookVars } from './run-playbook.ts';

const playbookText = readFileSync(new URL('deploy.yml', import.meta.url), 'utf8');
const config = readFileSync(new URL('ansible.cfg', import.meta.url), 'utf8');
const image = `registry.gitlab.com/shop/fibonacci:1.2.0@sha256:${'b'.repeat(64)}`;
const settings = readSettings(parseCommandLine(['--project', 'fibonacci', '--host', 'ec2.example.com', '--image', image, '--service-env-file', '/builds/env']).values);

interface Task {
  name: string;
  block?: Task[];
  rescue?: Task[];
  always?: Task[];
  no_log?: boolean;
  vars?: Record<string, unknown>;
  'ansible.builtin.set_fact'?: Record<string, unknown>;
  'ansible.builtin.command'?: { stdin?: string; argv?: string[] };
  'community.docker.docker_container'?: Record<string, unknown>;
  when?: string;
}
const [play] = parse(playbookText) as [{ vars: Record<string, unknown>; tasks: Task[] }];
const tasks = (list: Task[]): Task[] => list.flatMap((task) => [task, ...tasks([...(task.block ?? []), ...(task.rescue ?? []), ...(task.always ?? [])])]);

describe('the Ansible playbook and its variables', () => {
  const vars = playbookVars(settings, image);

  it('gets the same layout and nginx site as the TypeScript deploy', () => {
    expect(vars).toMatchObject({
      deploy_name: 'fibonacci',
      deploy_image: image,
      deploy_image_by_digest: `registry.gitlab.com/shop/fibonacci@sha256:${'b'.repeat(64)}`,
      deploy_registry: 'registry.gitlab.com',
      deploy_port: 3000,
      deploy_color_ports: { blue: 13000, green: 23000 },
      deploy_containers: { blue: 'fibonacci-blue', green: 'fibonacci-green' },
      deploy_green_marker: '/var/lib/fastify-deploy/fibonacci/green',
      deploy_env_source: '/builds/env',
      deploy_nginx_site: '/etc/nginx/conf.d/fibonacci.conf',
    });
    expect(vars.deploy_nginx_site_content).toContain('listen 3000;');
  });

  it('uses every variable it is given, and is given every one it uses', () => {
    const defined = new Set([
      ...Object.keys(vars),
      ...Object.keys(play.vars),
      ...tasks(play.tasks).flatMap((task) => Object.keys(task['ansible.builtin.set_fact'] ?? {})),
    ]);
    const used = new Set(playbookText.match(/\bdeploy_[a-z_]+/g));
    expect([...used].filter((name) => !defined.has(name))).toEqual([]);
    expect(Object.keys(vars).filter((name) => !used.has(name))).toEqual([]);
  });

  it('starts the container read-only, without capabilities or new privileges, with the limits the service records', () => {
    const start = tasks(play.tasks).find((task) => task['community.docker.docker_container']?.image !== undefined)?.['community.docker.docker_container'];
    expect(start).toMatchObject({
      read_only: true,
      tmpfs: ['/tmp:rw,noexec,nosuid,size=64m'],
      cap_drop: ['ALL'],
      security_opts: ['no-new-privileges'],
      memory: '{{ deploy_limits.memory }}',
      pids_limit: '{{ deploy_limits.pids }}',
    });
    expect(vars.deploy_limits).toEqual({ memory: '256m', pids: 128 });
  });

  it('keeps the environment stored on the host when the deploy brings none, and a new one only once its version is live', () => {
    const start = tasks(play.tasks).find((task) => task['community.docker.docker_container']?.image !== undefined)?.['community.docker.docker_container'];
    expect(start?.env_file).toBe("{{ deploy_next_env_file if deploy_env_source != '' else (deploy_env_file if env_file.stat.exists else omit) }}");
    expect(vars).toMatchObject({ deploy_env_file: '/var/lib/fastify-deploy/fibonacci/env', deploy_next_env_file: '/var/lib/fastify-deploy/fibonacci/env.next' });
    const names = tasks(play.tasks).map((task) => task.name);
    const kept = names.indexOf('Keep the new environment for later deploys and rollbacks');
    expect(kept).toBeGreaterThan(names.indexOf('Fail, saying why'));
    expect(kept).toBeLessThan(names.indexOf('Record the release'));
  });

  it('has nginx take its site before traffic moves, and sends traffic back even when nothing was live', () => {
    const names = tasks(play.tasks).map((task) => task.name);
    expect(names.indexOf('Reload nginx')).toBeGreaterThan(names.indexOf('Write the nginx site'));
    expect(names.indexOf('Create the green marker')).toBeGreaterThan(names.indexOf('Reload nginx'));
    expect(names.indexOf('Remove the green marker')).toBeGreaterThan(names.indexOf('Reload nginx'));
    expect(tasks(play.tasks).find((task) => task.name.startsWith('Send traffic back'))?.when).toBeUndefined();
  });

  it('carries no secret: the registry password is read from the environment on the controller', () => {
    expect(JSON.stringify(vars)).not.toMatch(/password|token/i);
    expect(playbookText).toContain("lookup('ansible.builtin.env', 'REGISTRY_PASSWORD')");
  });

  it('feeds the password to docker login on stdin, in a task that logs nothing', () => {
    const login = tasks(play.tasks).filter((task) => task['ansible.builtin.command']?.stdin !== undefined);
    expect(login.map((task) => [task['ansible.builtin.command']?.argv?.slice(0, 2), task.no_log])).toEqual([[['docker', 'login'], true]]);
  });

  it('never turns host key checking off, and connects only to the pinned key', () => {
    expect(playbookText + config).not.toMatch(/host_key_checking\s*[:=]\s*(false|no|0)|StrictHostKeyChecking=no/i);
    expect(config).toMatch(/^host_key_checking = True$/m);
    const host = inventory(settings, '/tmp/run/id', '/tmp/run/known_hosts').all.hosts['ec2.example.com'];
    expect(host).toMatchObject({ ansible_host: 'ec2.example.com', ansible_port: 22, ansible_user: 'root', ansible_ssh_private_key_file: '/tmp/run/id' });
    expect(host?.ansible_ssh_common_args).toBe(
      '-o UserKnownHostsFile=/tmp/run/known_hosts -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes',
    );
  });
});
