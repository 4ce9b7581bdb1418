import { describe, expect, it } from 'vitest';
import { layoutOf } from './layout.ts';
import { renderNginxSite } from './nginx-site.ts';

describe('the nginx site', () => {
  const layout = layoutOf({ name: 'fibonacci', stateDir: '/var/lib/fastify-deploy', nginxConfDir: '/etc/nginx/conf.d' });
  const site = renderNginxSite({ port: 3000, colorPorts: { blue: 13000, green: 23000 } }, layout);

  it('listens on the public port and proxies to blue, or to green while the marker exists', () => {
    expect(site).toContain('listen 3000;');
    expect(site).toMatch(/set \$deploy_upstream 127\.0\.0\.1:13000;\s+set \$deploy_color blue;\s+if \(-f "\/var\/lib\/fastify-deploy\/fibonacci\/green"\) \{\s+set \$deploy_upstream 127\.0\.0\.1:23000;\s+set \$deploy_color green;\s+\}/);
    expect(site).toContain('proxy_pass http://$deploy_upstream;');
  });

  it('tells which color answered to a request from the host itself, and to no other client', () => {
    expect(site).toMatch(/set \$deploy_color_seen "";\s+if \(\$remote_addr = 127\.0\.0\.1\) \{\s+set \$deploy_color_seen \$deploy_color;\s+\}/);
    expect(site).toContain('add_header X-Deploy-Color $deploy_color_seen always;');
    expect(site).not.toMatch(/add_header X-Deploy-Color \$deploy_color /);
  });

  it('passes the client address and scheme to the service', () => {
    expect(site).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
    expect(site).toContain('proxy_set_header X-Forwarded-Proto $scheme;');
  });

  it('quotes a marker path nginx would otherwise split', () => {
    const odd = layoutOf({ name: 'fibonacci', stateDir: '/srv/my "deploys"', nginxConfDir: '/etc/nginx/conf.d' });
    expect(renderNginxSite({ port: 3000, colorPorts: { blue: 13000, green: 23000 } }, odd)).toContain('if (-f "/srv/my \\"deploys\\"/fibonacci/green")');
  });

  it('has balanced braces', () => {
    expect(site.split('{').length).toBe(site.split('}').length);
  });
});
