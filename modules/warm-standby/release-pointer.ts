import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { check } from "../core/validation";
import { NO_RELEASE, RELEASE_TAG_PATTERN } from "./release-runner";

export interface ReleasePointerProps {
  /** AWS provider of the region whose hosts read the pointer. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Parameter name, absolute, e.g. "/webplat-dev-stage4/release". */
  readonly name: string;
  /** Which image repository the tag refers to (shown in the console). */
  readonly repositoryName: string;
}

/**
 * The release pointer of one region: an SSM parameter holding the image tag
 * the backend hosts run, or "none". Terraform creates it with "none" and never
 * touches the value again (the delivery pipeline owns it), so a plan after a
 * release shows no change and an apply never rolls a release back. SSM refuses
 * a value that is not "none" or an image tag.
 */
export class ReleasePointer extends Construct {
  readonly parameterName: string;
  readonly parameterArn: string;

  constructor(scope: Construct, id: string, props: ReleasePointerProps) {
    super(scope, id);
    check(/^\/[A-Za-z0-9_.\-/]{1,1000}$/.test(props.name) && !props.name.endsWith("/"), `${id}.name`, props.name, "an absolute SSM parameter name such as /webplat-dev-stage4/release");
    const parameter = new SsmParameter(this, "parameter", {
      provider: props.provider,
      name: props.name,
      description: `Image tag of ${props.repositoryName} the backend hosts run at boot ("${NO_RELEASE}": the default application); set by the delivery pipeline`,
      type: "String",
      tier: "Standard",
      value: NO_RELEASE,
      allowedPattern: `^(${NO_RELEASE}|${RELEASE_TAG_PATTERN.source.replace(/^\^|\$$/g, "")})$`,
      lifecycle: { ignoreChanges: ["value"] },
      tags: { Name: props.name },
    });
    // Concrete: it is written into the hosts' user data (the ARN keeps the dependency).
    this.parameterName = props.name;
    this.parameterArn = parameter.arn;
  }
}
