import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DatabaseEngine, ENGINE_FACTS, parameterGroupFamily } from "./engine";

export interface TlsParameterGroupProps {
  /** AWS provider of the region the group lives in (parameter groups are regional). @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Group name, e.g. "webplat-stage4-db". */
  readonly name: string;
  readonly engine: DatabaseEngine;
  /** Engine version; decides the parameter group family. */
  readonly engineVersion: string;
}

/** A DB parameter group whose server refuses clients that do not use TLS. */
export class TlsParameterGroup extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: TlsParameterGroupProps) {
    super(scope, id);
    const group = new DbParameterGroup(this, "group", {
      provider: props.provider,
      name: props.name,
      family: parameterGroupFamily(props.engine, props.engineVersion),
      description: `${props.engine}: TLS required for every client connection`,
      parameter: ENGINE_FACTS[props.engine].tlsParameters.map((p) => ({ name: p.name, value: p.value, applyMethod: p.applyMethod })),
      lifecycle: { createBeforeDestroy: true },
    });
    this.name = group.name;
  }
}
