/**
 * Database ports (MySQL/MariaDB 3306, PostgreSQL 5432, SQL Server 1433, Oracle 1521,
 * MongoDB/DocumentDB 27017, Redshift 5439, Cassandra/Keyspaces 9042) are never open to the internet.
 *
 * Equivalents: checkov none specific (CKV_AWS_277 covers all ports); trivy AVD-AWS-0107 family;
 * cdk-nag EC2RestrictedCommonPorts (NIST 800-53 packs), AwsSolutions-EC23.
 */
import { publicPortRule } from "../../inspect/public-port-rule";

export const SgNoPublicDatabase = publicPortRule({ id: "SG-NO-PUBLIC-DATABASE", service: "database", ports: [3306, 5432, 1433, 1521, 27017, 5439, 9042], protocols: ["tcp"] });
