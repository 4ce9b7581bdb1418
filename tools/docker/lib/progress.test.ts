import { describe, expect, it } from 'vitest';
import { renderEvent } from './progress.ts';

describe('renderEvent', () => {
  it('prints build steps and command output, without the legacy builder chatter', () => {
    expect(renderEvent({ stream: 'Step 6/17 : COPY --chown=0:0 dist/ ./\n' })).toEqual({ lines: ['Step 6/17 : COPY --chown=0:0 dist/ ./'] });
    expect(renderEvent({ stream: ' ---> Running in 4f2a9c1b7d3e\n' })).toEqual({ lines: [] });
    expect(renderEvent({ stream: ' ---> 4f2a9c1b7d3e\n' })).toEqual({ lines: [] });
    expect(renderEvent({ stream: 'Removing intermediate container 4f2a9c1b7d3e\n' })).toEqual({ lines: [] });
    expect(renderEvent({ stream: ' ---> Using cache\n' })).toEqual({ lines: ['---> Using cache'] });
    expect(renderEvent({ stream: 'added 3 packages\n\nin 2s\n' })).toEqual({ lines: ['added 3 packages', 'in 2s'] });
  });

  it("returns the engine's message when a step fails", () => {
    const failed = renderEvent({
      errorDetail: { message: 'COPY failed: file not found in build context or excluded by .dockerignore: stat dist/: file does not exist' },
      error: 'COPY failed: file not found',
    });
    expect(failed).toEqual({ lines: [], error: 'COPY failed: file not found in build context or excluded by .dockerignore: stat dist/: file does not exist' });
    expect(renderEvent({ error: 'unauthorized: authentication required\n' }).error).toBe('unauthorized: authentication required');
  });

  it('picks out the built image and the pushed digest', () => {
    expect(renderEvent({ aux: { ID: 'sha256:abc' } })).toEqual({ lines: [], imageId: 'sha256:abc' });
    expect(renderEvent({ aux: { Tag: 'latest', Digest: 'sha256:def', Size: 946 } })).toEqual({ lines: [], digest: 'sha256:def' });
  });

  it('prints one line per layer when it is done, not its progress', () => {
    expect(renderEvent({ status: 'Pushing', id: '00a465f577f3', progress: '[====>   ] 1MB/5MB' })).toEqual({ lines: [] });
    expect(renderEvent({ status: 'Downloading', id: '00a465f577f3' })).toEqual({ lines: [] });
    expect(renderEvent({ status: 'Pushed', id: '00a465f577f3' })).toEqual({ lines: ['00a465f577f3: Pushed'] });
    expect(renderEvent({ status: 'The push refers to repository [127.0.0.1:5000/e2e/fibonacci]' })).toEqual({
      lines: ['The push refers to repository [127.0.0.1:5000/e2e/fibonacci]'],
    });
  });
});
