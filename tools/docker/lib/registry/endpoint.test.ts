import { describe, expect, it } from 'vitest';
import { registryEndpoint } from './endpoint.ts';

describe('registryEndpoint', () => {
  it("finds Docker Hub's API at registry-1.docker.io, official images under library/", () => {
    expect(registryEndpoint('docker.io/acme/fibonacci')).toEqual({ host: 'docker.io', origin: 'https://registry-1.docker.io', name: 'acme/fibonacci' });
    expect(registryEndpoint('acme/fibonacci')).toEqual({ host: 'docker.io', origin: 'https://registry-1.docker.io', name: 'acme/fibonacci' });
    expect(registryEndpoint('docker.io/node')?.name).toBe('library/node');
  });

  it('speaks HTTPS to any other registry, plain HTTP on loopback only (as the engine)', () => {
    expect(registryEndpoint('registry.gitlab.com/acme/app/weather')).toEqual({ host: 'registry.gitlab.com', origin: 'https://registry.gitlab.com', name: 'acme/app/weather' });
    expect(registryEndpoint('127.0.0.1:5000/e2e/weather')?.origin).toBe('http://127.0.0.1:5000');
    expect(registryEndpoint('localhost:5000/e2e/weather')?.origin).toBe('http://localhost:5000');
    expect(registryEndpoint('127.example.com:5000/e2e/weather')?.origin).toBe('https://127.example.com:5000');
  });

  it('has none for a local image name', () => {
    expect(registryEndpoint('weather')).toBeUndefined();
  });
});
