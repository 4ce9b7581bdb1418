import { describe, expect, it } from 'vitest';
import workspacePackage from '../../../../package.json' with { type: 'json' };
import { license } from '../../src/openapi/document.ts';

// The kit states the license itself: importing package.json would put all of it (scripts, dependencies) into every
// service's bundle, and a service's image has no package.json to read. This keeps the two from parting.
describe('the OpenAPI license', () => {
  it("is the workspace's, as the root package.json records it", () => {
    expect(license).toEqual({ name: workspacePackage.license, identifier: workspacePackage.license });
  });
});
