/** A Terraform JSON document of `resource` with the AWS provider pointed at the rehearsal emulator (us-east-1, local state). */
import { emulatorEndpoints } from "../../stacks/emulator-endpoints";

export function emulatorDocument(url: string, resource: object): object {
  return {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } }, backend: { local: { path: "x.tfstate" } } },
    provider: {
      aws: [{ region: "us-east-1", skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: "true", endpoints: [emulatorEndpoints(url)] }],
    },
    resource,
  };
}
