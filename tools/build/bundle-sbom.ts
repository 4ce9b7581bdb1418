import { Builders, Factories } from '@cyclonedx/cyclonedx-library/Contrib/FromNodePackageJson';
import { Factories as LicenseFactories } from '@cyclonedx/cyclonedx-library/Contrib/License';
import { ComponentType } from '@cyclonedx/cyclonedx-library/Enums';
import { Bom, Component } from '@cyclonedx/cyclonedx-library/Models';
import { JSON as CdxJson, JsonSerializer } from '@cyclonedx/cyclonedx-library/Serialize';
import { Spec1dot6 } from '@cyclonedx/cyclonedx-library/Spec';
import { PackageURL } from 'packageurl-js';
import parseSpdxExpression from 'spdx-expression-parse';
import type { BundledPackage } from './bundled-packages.ts';

/** The CycloneDX version of every SBOM this workspace writes (GitLab reads 1.4 to 1.6). */
export const sbomSpec = Spec1dot6;

const componentBuilder = new Builders.ComponentBuilder(
  new Factories.ExternalReferenceFactory(),
  new LicenseFactories.LicenseFactory((expression) => {
    parseSpdxExpression(expression);
  }),
);

/** An npm package as a component, its package URL also its bom-ref: unique per name and version, and stable. */
export function npmComponent({ manifest }: BundledPackage): Component {
  const component = componentBuilder.makeComponent(manifest, ComponentType.Library);
  if (!component) throw new Error(`${manifest.name}@${manifest.version}: its package.json names no package`);
  const [scope, name] = manifest.name.startsWith('@') ? manifest.name.split('/', 2) : [undefined, manifest.name];
  component.purl = new PackageURL('npm', scope, name, manifest.version, undefined, undefined).toString();
  component.bomRef.value = component.purl;
  return component;
}

export interface BundleFacts {
  /** The Nx project. */
  service: string;
  /** The workspace's license (root package.json), which the service's own code is under. */
  license?: string;
  packages: BundledPackage[];
}

/**
 * The SBOM of a service's bundle: the service (this repository's code) and every npm package esbuild put into it.
 * The image job adds what only it knows (the base image by digest, its Node runtime, the image's version).
 */
export function bundleSbom({ service, license, packages }: BundleFacts): string {
  const bom = new Bom();
  const application = new Component(ComponentType.Application, service, { bomRef: `service:${service}` });
  if (license) application.licenses.add(componentBuilder.licenseFactory.makeFromString(license));
  bom.metadata.component = application;
  for (const found of packages) {
    const component = npmComponent(found);
    bom.components.add(component);
    application.dependencies.add(component.bomRef);
  }
  return new JsonSerializer(new CdxJson.Normalize.Factory(sbomSpec)).serialize(bom, { sortLists: true, space: 2 });
}
