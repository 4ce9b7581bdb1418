/**
 * The least `nx build` writes beside a bundle (dist/sbom.cdx.json), which `tools/docker build` needs to make the
 * image's SBOM: enough for a throw-away project whose image is not about its SBOM.
 */
export const emptyBundleSbom = JSON.stringify({
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  metadata: { component: { 'bom-ref': 'service', type: 'application', name: 'service' } },
  components: [],
  dependencies: [{ ref: 'service', dependsOn: [] }],
});
