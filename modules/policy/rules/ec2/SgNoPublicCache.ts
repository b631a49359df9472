/**
 * Cache ports (Redis/Valkey 6379, Memcached 11211) are never open to the internet.
 *
 * Equivalents: checkov none specific (CKV_AWS_277 covers all ports); trivy AVD-AWS-0107 family; cdk-nag AwsSolutions-EC23.
 */
import { publicPortRule } from "../../inspect/public-port-rule";

export const SgNoPublicCache = publicPortRule({ id: "SG-NO-PUBLIC-CACHE", service: "cache", ports: [6379, 11211], protocols: ["tcp", "udp"] });
