/** Sample inputs shaped like a stage-3 deployment, for rendering the roles in tests. */
import { HaproxyNodeParams } from "../../modules/server-config/roles/haproxy-node";
import { PrometheusParams } from "../../modules/server-config/prometheus";

export const SAMPLE_BACKENDS = ["10.0.11.10:80", "10.0.12.10:80", "10.1.11.10:80", "10.1.12.10:80"];
export const SAMPLE_ALLOCATION_ID = "eipalloc-0a1b2c3d4e5f60718";
export const SAMPLE_REGION = "eu-west-1";

const pairCommon = {
  region: SAMPLE_REGION,
  eipAllocationId: SAMPLE_ALLOCATION_ID,
  backends: SAMPLE_BACKENDS,
  backendsParameterName: "/webplatform/haproxy/backends",
  certificateParameterName: "/webplatform/haproxy/certificate",
  domain: "www.example.com",
  letsEncryptEmail: "ops@example.com",
  exporterAllowedCidrs: ["10.0.0.0/16"],
};

export const SAMPLE_LB_A: HaproxyNodeParams = { ...pairCommon, nodeName: "lb-a", privateIp: "10.0.1.10", peerPrivateIp: "10.0.2.10", priority: 150 };
export const SAMPLE_LB_B: HaproxyNodeParams = { ...pairCommon, nodeName: "lb-b", privateIp: "10.0.2.10", peerPrivateIp: "10.0.1.10", priority: 100 };

export const SAMPLE_MONITORING: PrometheusParams = {
  regions: ["eu-west-1", "eu-central-1"],
  projectTagKey: "Project",
  projectTagValue: "webplatform",
  haproxyExporterTargets: ["10.0.1.10:8405", "10.0.2.10:8405"],
};
