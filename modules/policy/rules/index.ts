/**
 * The rule registry: every rule of the pack, in report order. Adding a rule = one file
 * under rules/<service>/ plus one line here (and its fixtures in __tests__/policy).
 */
import { AsgElbHealthCheck } from "./autoscaling/AsgElbHealthCheck";
import { AsgLaunchTemplate } from "./autoscaling/AsgLaunchTemplate";
import { AsgScalingPolicy } from "./autoscaling/AsgScalingPolicy";
import { BackupVaultKms } from "./backup/BackupVaultKms";
import { CloudFrontHttpsOnly } from "./cloudfront/CloudFrontHttpsOnly";
import { CloudFrontLogging } from "./cloudfront/CloudFrontLogging";
import { CloudFrontTls12 } from "./cloudfront/CloudFrontTls12";
import { CloudFrontWaf } from "./cloudfront/CloudFrontWaf";
import { Ec2EbsEncrypted } from "./ec2/Ec2EbsEncrypted";
import { Ec2Imdsv2Required } from "./ec2/Ec2Imdsv2Required";
import { Ec2NoPublicIp } from "./ec2/Ec2NoPublicIp";
import { SgDefaultClosed } from "./ec2/SgDefaultClosed";
import { SgDescription } from "./ec2/SgDescription";
import { SgNoPublicAllPorts } from "./ec2/SgNoPublicAllPorts";
import { SgNoPublicCache } from "./ec2/SgNoPublicCache";
import { SgNoPublicDatabase } from "./ec2/SgNoPublicDatabase";
import { SgNoPublicGrafana } from "./ec2/SgNoPublicGrafana";
import { SgNoPublicIngress } from "./ec2/SgNoPublicIngress";
import { SgNoPublicNodeExporter } from "./ec2/SgNoPublicNodeExporter";
import { SgNoPublicPrometheus } from "./ec2/SgNoPublicPrometheus";
import { SgNoPublicRdp } from "./ec2/SgNoPublicRdp";
import { SgNoPublicSsh } from "./ec2/SgNoPublicSsh";
import { SgRuleDescription } from "./ec2/SgRuleDescription";
import { EcrImmutableTags } from "./ecr/EcrImmutableTags";
import { EcrKmsEncryption } from "./ecr/EcrKmsEncryption";
import { EcrScanOnPush } from "./ecr/EcrScanOnPush";
import { ElastiCacheAtRestEncryption } from "./elasticache/ElastiCacheAtRestEncryption";
import { ElastiCacheTransitEncryption } from "./elasticache/ElastiCacheTransitEncryption";
import { ElbAccessLogs } from "./elb/ElbAccessLogs";
import { ElbCloudFrontOriginClosed } from "./elb/ElbCloudFrontOriginClosed";
import { ElbAlbHttpsListener } from "./elb/ElbAlbHttpsListener";
import { ElbDropInvalidHeaders } from "./elb/ElbDropInvalidHeaders";
import { ElbHttpRedirectsToHttps } from "./elb/ElbHttpRedirectsToHttps";
import { ElbTargetGroupHealthCheck } from "./elb/ElbTargetGroupHealthCheck";
import { ElbTlsPolicy } from "./elb/ElbTlsPolicy";
import { ElbWafAssociated } from "./elb/ElbWafAssociated";
import { IamInstanceConnectScoped } from "./iam/IamInstanceConnectScoped";
import { IamNoAdminManagedPolicy } from "./iam/IamNoAdminManagedPolicy";
import { IamNoWildcardAction } from "./iam/IamNoWildcardAction";
import { IamNoWriteOnWildcardResource } from "./iam/IamNoWriteOnWildcardResource";
import { IamSecretReadScoped } from "./iam/IamSecretReadScoped";
import { MonPairExportersScraped } from "./monitoring/MonPairExportersScraped";
import { RdsBackupRetention } from "./rds/RdsBackupRetention";
import { RdsDeletionProtection } from "./rds/RdsDeletionProtection";
import { RdsIamAuthentication } from "./rds/RdsIamAuthentication";
import { RdsLogExports } from "./rds/RdsLogExports";
import { RdsMultiAz } from "./rds/RdsMultiAz";
import { RdsNotPublic } from "./rds/RdsNotPublic";
import { RdsStorageEncrypted } from "./rds/RdsStorageEncrypted";
import { S3Encryption } from "./s3/S3Encryption";
import { S3PublicAccessBlock } from "./s3/S3PublicAccessBlock";
import { S3StateBucketVersioning } from "./s3/S3StateBucketVersioning";
import { S3Versioning } from "./s3/S3Versioning";
import { SecretsAwsAccessKeyId } from "./secrets/SecretsAwsAccessKeyId";
import { SecretsAwsSecretAccessKey } from "./secrets/SecretsAwsSecretAccessKey";
import { SecretsNamecheapApiKey } from "./secrets/SecretsNamecheapApiKey";
import { SecretsPasswordLiteral } from "./secrets/SecretsPasswordLiteral";
import { SsmSecretParameterEncrypted } from "./ssm/SsmSecretParameterEncrypted";
import { VpcFlowLogs } from "./vpc/VpcFlowLogs";
import { VpcPeeringRouteScoped } from "./vpc/VpcPeeringRouteScoped";
import { VpcSubnetNoAutoPublicIp } from "./vpc/VpcSubnetNoAutoPublicIp";
import { WafKnownBadInputs } from "./waf/WafKnownBadInputs";
import { WafSqlInjection } from "./waf/WafSqlInjection";
import type { PolicyRule } from "../types";

export const ALL_RULES: readonly PolicyRule[] = Object.freeze([
  // autoscaling
  AsgElbHealthCheck,
  AsgLaunchTemplate,
  AsgScalingPolicy,
  // backup
  BackupVaultKms,
  // cloudfront
  CloudFrontHttpsOnly,
  CloudFrontLogging,
  CloudFrontTls12,
  CloudFrontWaf,
  // ec2
  Ec2EbsEncrypted,
  Ec2Imdsv2Required,
  Ec2NoPublicIp,
  SgDefaultClosed,
  SgDescription,
  SgNoPublicAllPorts,
  SgNoPublicCache,
  SgNoPublicDatabase,
  SgNoPublicGrafana,
  SgNoPublicIngress,
  SgNoPublicNodeExporter,
  SgNoPublicPrometheus,
  SgNoPublicRdp,
  SgNoPublicSsh,
  SgRuleDescription,
  // ecr
  EcrImmutableTags,
  EcrKmsEncryption,
  EcrScanOnPush,
  // elasticache
  ElastiCacheAtRestEncryption,
  ElastiCacheTransitEncryption,
  // elb
  ElbAccessLogs,
  ElbCloudFrontOriginClosed,
  ElbAlbHttpsListener,
  ElbDropInvalidHeaders,
  ElbHttpRedirectsToHttps,
  ElbTargetGroupHealthCheck,
  ElbTlsPolicy,
  ElbWafAssociated,
  // iam
  IamInstanceConnectScoped,
  IamNoAdminManagedPolicy,
  IamNoWildcardAction,
  IamNoWriteOnWildcardResource,
  IamSecretReadScoped,
  // monitoring
  MonPairExportersScraped,
  // rds
  RdsBackupRetention,
  RdsDeletionProtection,
  RdsIamAuthentication,
  RdsLogExports,
  RdsMultiAz,
  RdsNotPublic,
  RdsStorageEncrypted,
  // s3
  S3Encryption,
  S3PublicAccessBlock,
  S3StateBucketVersioning,
  S3Versioning,
  // secrets
  SecretsAwsAccessKeyId,
  SecretsAwsSecretAccessKey,
  SecretsNamecheapApiKey,
  SecretsPasswordLiteral,
  // ssm
  SsmSecretParameterEncrypted,
  // vpc
  VpcFlowLogs,
  VpcPeeringRouteScoped,
  VpcSubnetNoAutoPublicIp,
  // waf
  WafKnownBadInputs,
  WafSqlInjection,
]);

/** Rule ids, for validating suppressions. */
export const RULE_IDS: ReadonlySet<string> = new Set(ALL_RULES.map((r) => r.id));

export function ruleById(id: string): PolicyRule | undefined {
  return ALL_RULES.find((r) => r.id === id);
}
