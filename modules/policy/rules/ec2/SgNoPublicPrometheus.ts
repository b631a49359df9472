/**
 * Prometheus (9090) has no authentication by default; only the admin CIDR may reach it.
 *
 * Equivalents: checkov none specific; trivy AVD-AWS-0107 family; cdk-nag AwsSolutions-EC23.
 */
import { publicPortRule } from "../../inspect/public-port-rule";

export const SgNoPublicPrometheus = publicPortRule({ id: "SG-NO-PUBLIC-PROMETHEUS", service: "Prometheus", ports: [9090], protocols: ["tcp"] });
