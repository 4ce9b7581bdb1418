import type { DeploySettings } from '../settings.ts';
import type { Layout } from './layout.ts';

/**
 * The nginx server in front of one deployment. It is written once (and again only when a port changes);
 * a deploy switches colors by creating or removing the green marker, which nginx tests on every request.
 * Why not rewrite the upstream and `nginx -s reload`: a reload retires the worker processes, and they
 * close every idle keep-alive connection, so a client that sends its next request at that moment gets a
 * reset (measured here: 16 failed requests in 20 reloads under a 4-connection keep-alive load, and 0 in
 * 40 marker switches). Each proxied request opens its own loopback connection to the container, so after
 * a switch nothing new reaches the old one, and its in-flight requests finish before it stops.
 */
export function renderNginxSite(settings: Pick<DeploySettings, 'port' | 'colorPorts'>, layout: Pick<Layout, 'name' | 'greenMarker'>): string {
  return `# ${layout.name}: written by tools/deploy, and rewritten by the next deploy (do not edit).
# Traffic goes to blue (127.0.0.1:${settings.colorPorts.blue}), or to green (127.0.0.1:${settings.colorPorts.green}) while
# ${layout.greenMarker} exists: nginx checks that file on each request, so switching needs no reload.
server {
    listen ${settings.port};

    set $deploy_upstream 127.0.0.1:${settings.colorPorts.blue};
    set $deploy_color blue;
    if (-f ${nginxString(layout.greenMarker)}) {
        set $deploy_upstream 127.0.0.1:${settings.colorPorts.green};
        set $deploy_color green;
    }
    # Which color answered is for the deploy's own checks, made from the host (through SSH, to 127.0.0.1):
    # a client elsewhere is not told (nginx sends no header whose value is empty).
    set $deploy_color_seen "";
    if ($remote_addr = 127.0.0.1) {
        set $deploy_color_seen $deploy_color;
    }

    location / {
        proxy_pass http://$deploy_upstream;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        add_header X-Deploy-Color $deploy_color_seen always;
    }
}
`;
}

function nginxString(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}
