/** The registry section (stage fargate): the ECR repository and what its lifecycle policy keeps. */
import type { z } from "zod";
import { flag, oneOf, section, sectionDefaults, wholeNumber } from "./blocks";

export const registrySettings = section(
  {
    imageTagMutability: oneOf(["MUTABLE", "IMMUTABLE"], "MUTABLE", 'ECR tag mutability. @default "MUTABLE" (the lesson pushes "latest" again)'),
    keepImages: wholeNumber(1, 1000, 10, "Images the lifecycle policy keeps; older ones expire. @default 10"),
    untaggedImageExpiryDays: wholeNumber(1, 3650, 1, "Untagged images expire after this many days. @default 1"),
    forceDelete: flag(true, "Lesson profile: delete the repository even when it still holds images. @default true"),
  },
  "The ECR repository (stage fargate).",
);

export type RegistrySettings = z.output<typeof registrySettings>;
export const REGISTRY_DEFAULTS = sectionDefaults(registrySettings);

/** An immutable repository refuses the second push of a tag; "latest" is pushed again and again. */
export function registryProblems(s: { readonly registry: RegistrySettings; readonly service: { readonly imageTag: string } }): string[] {
  if (s.registry.imageTagMutability === "IMMUTABLE" && s.service.imageTag === "latest") {
    return [
      `registry.imageTagMutability: "IMMUTABLE" refuses a second push of service.imageTag "latest"; ` +
        `set service.imageTag to a version such as "v1", or keep "MUTABLE"`,
    ];
  }
  return [];
}
