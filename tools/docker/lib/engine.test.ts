import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectEngine, engineAddress, tlsCertDir, unreachableMessage } from './engine.ts';
import { CliError } from './errors.ts';

describe('where the engine is', () => {
  it('is DOCKER_HOST, else the local socket', () => {
    expect(engineAddress({ DOCKER_HOST: 'tcp://docker:2376' })).toBe('tcp://docker:2376');
    expect(engineAddress({})).toBe('unix:///var/run/docker.sock');
  });

  it("finds docker:dind's client certificates from DOCKER_TLS_CERTDIR when DOCKER_CERT_PATH is not set", () => {
    expect(tlsCertDir({ DOCKER_HOST: 'tcp://docker:2376', DOCKER_TLS_CERTDIR: '/certs' })).toBe('/certs/client');
    expect(tlsCertDir({ DOCKER_HOST: 'tcp://docker:2376', DOCKER_TLS_CERTDIR: '/certs', DOCKER_CERT_PATH: '/elsewhere' })).toBeUndefined();
    expect(tlsCertDir({ DOCKER_TLS_CERTDIR: '/certs' })).toBeUndefined();
  });
});

describe('an engine that does not answer', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is reported with what failed and how to start one', () => {
    const message = unreachableMessage('unix:///var/run/docker.sock', 'ENOENT');
    expect(message).toContain('Cannot reach the Docker engine at unix:///var/run/docker.sock (ENOENT).');
    expect(message).toContain('dockerd --bridge=none --iptables=false');
    expect(message).toContain('DOCKER_HOST');
    expect(unreachableMessage('unix:///var/run/docker.sock', 'EACCES')).toContain('join the `docker` group');
  });

  it('fails connectEngine with that message when the socket does not exist', async () => {
    vi.stubEnv('DOCKER_HOST', 'unix:///nonexistent/docker.sock');
    await expect(connectEngine()).rejects.toThrow(CliError);
    await expect(connectEngine()).rejects.toThrow('Cannot reach the Docker engine at unix:///nonexistent/docker.sock (ENOENT)');
  });

  it('names the settings when the client cannot even be set up', async () => {
    vi.stubEnv('DOCKER_HOST', 'tcp://docker:2376');
    vi.stubEnv('DOCKER_TLS_CERTDIR', '/nonexistent/certs');
    vi.stubEnv('DOCKER_CERT_PATH', '');
    vi.stubEnv('DOCKER_TLS_VERIFY', '');
    await expect(connectEngine()).rejects.toThrow("cannot set up the Docker client from DOCKER_HOST, DOCKER_TLS_CERTDIR: ENOENT: no such file or directory, open '/nonexistent/certs/client/ca.pem'");
  });
});
