/** The `application` config as the release the app hosts run (undefined: the reference app). */
import type { ApplicationRelease } from "../modules/server-config";
import type { InfraConfig } from "./config";

export function applicationRelease(config: InfraConfig): ApplicationRelease | undefined {
  const { artifact, sha256, command, environment, packages } = config.application;
  if (artifact === "") return undefined;
  const [bucket, ...key] = artifact.slice("s3://".length).split("/");
  return { bucket, key: key.join("/"), sha256, command, environment, packages, region: config.primaryRegion };
}
