export * from "./hardened-instance";
export * from "./host-role";
export * from "./hardened-launch-template";
export * from "./instance-type";
// Types the hosts' props take (policyStatements, cloud-config), so consumers can name them.
export type { PolicyStatement } from "../core/iam";
export type { CloudConfig, CloudConfigFile } from "../core/cloud-config";
