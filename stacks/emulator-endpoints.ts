import { AwsProviderEndpoints, awsProviderEndpointsToTerraform } from "@cdktf/provider-aws/lib/provider";

/**
 * Alternative names of a service in the provider's `endpoints` block (hashicorp/aws
 * 5.100): setting an alias next to its service warns "Only one of the following
 * attributes should be set" at every plan. Listed from those warnings.
 */
const ENDPOINT_ALIASES = new Set(
  (
    "prometheus prometheusservice applicationautoscaling appintegrationsservice costexplorer cloudcontrolapi cloudhsm cognitoidentityprovider config " +
    "costandusagereportservice gluedatabrew codedeploy databasemigration databasemigrationservice directoryservice beanstalk es elasticsearchservice " +
    "elasticloadbalancing elasticloadbalancingv2 eventbridge cloudwatchevents cloudwatchevidently managedgrafana amg inspectorv2 msk lexmodelbuilding " +
    "lexmodelbuildingservice lex locationservice cloudwatchlog cloudwatchlogs cloudwatchobservabilityaccessmanager opensearchservice opensearchingestion " +
    "recyclebin redshiftdataapiservice resourcegroupstagging cloudwatchrum serverlessapprepo serverlessapplicationrepository appregistry stepfunctions sdb transcribeservice"
  ).split(" "),
);

/**
 * Every service endpoint the AWS provider knows (once, without aliases), pointed
 * at one URL, the rehearsal's local emulator: a service left out would reach
 * real AWS. The names come from the provider bindings, so a new provider release
 * adds its new services here by itself.
 */
export function emulatorEndpoints(url: string): AwsProviderEndpoints {
  const names = Object.keys(awsProviderEndpointsToTerraform({}) as Record<string, unknown>).filter((name) => !ENDPOINT_ALIASES.has(name));
  return Object.fromEntries(names.map((name) => [name, url])) as AwsProviderEndpoints;
}
