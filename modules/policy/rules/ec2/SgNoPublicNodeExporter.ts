/**
 * node_exporter (9100) exposes host details unauthenticated; only the monitoring host may reach it.
 *
 * Equivalents: checkov none specific; trivy AVD-AWS-0107 family; cdk-nag AwsSolutions-EC23.
 */
import { publicPortRule } from "../../inspect/public-port-rule";

export const SgNoPublicNodeExporter = publicPortRule({ id: "SG-NO-PUBLIC-NODE-EXPORTER", service: "node_exporter", ports: [9100], protocols: ["tcp"] });
