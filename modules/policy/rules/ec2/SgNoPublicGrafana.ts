/**
 * Grafana (3000) is an admin UI; only the admin CIDR may reach it.
 *
 * Equivalents: checkov none specific; trivy AVD-AWS-0107 family; cdk-nag AwsSolutions-EC23.
 */
import { publicPortRule } from "../../inspect/public-port-rule";

export const SgNoPublicGrafana = publicPortRule({ id: "SG-NO-PUBLIC-GRAFANA", service: "Grafana", ports: [3000], protocols: ["tcp"] });
