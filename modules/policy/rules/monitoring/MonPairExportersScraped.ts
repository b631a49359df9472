/**
 * Both nodes of a load-balancer pair are scraped: when the stack runs Prometheus (a host whose
 * user data writes /etc/prometheus/prometheus.yml), every instance tagged `LoadBalancerPair` is a
 * static target on the HAProxy exporter port (8405) with its private address. Scraping only the node
 * that started as MASTER looks fine until the failover — then the serving node is the one nobody
 * watches, and HaproxyDown/BackendNoHealthyServer stay silent.
 *
 * Equivalents: none in checkov, trivy or cdk-nag (they do not read Prometheus configurations).
 */
import type { TfDocument } from "../../document";
import { filesOfUserData } from "../../inspect/cloud-config-files";
import type { PolicyRule } from "../../types";
import { COMPLIANT, NOT_APPLICABLE, nonCompliant } from "../../types";
import { asString, isObject, show } from "../../values";

/** Tag that names the pair an instance belongs to (modules/load-balancer's PAIR_TAG). */
export const PAIR_TAG = "LoadBalancerPair";
/** HAProxy's built-in Prometheus exporter port on the platform's load balancers. */
export const HAPROXY_EXPORTER_PORT = 8405;
const PROMETHEUS_CONFIG = "/etc/prometheus/prometheus.yml";

/** Prometheus configurations written by any instance or launch template of the document. */
export function prometheusConfigs(doc: TfDocument): string[] {
  return doc
    .resources("aws_instance", "aws_launch_template")
    .flatMap((s) => filesOfUserData(s.config.user_data))
    .filter((f) => f.path === PROMETHEUS_CONFIG)
    .map((f) => f.content);
}

export const MonPairExportersScraped: PolicyRule = {
  id: "MON-PAIR-EXPORTERS-SCRAPED",
  severity: "error",
  title: `Every node of a load-balancer pair (tag ${PAIR_TAG}) is a Prometheus target on the HAProxy exporter port ${HAPROXY_EXPORTER_PORT}`,
  fix: "Pass every node's exporter target (HaproxyPair.exporterTargets) to the monitoring host's haproxyExporterTargets.",
  appliesTo: ["aws_instance"],
  evaluate(subject, doc) {
    const tags = isObject(subject.config.tags) ? subject.config.tags : {};
    const pair = asString(tags[PAIR_TAG]);
    if (pair === undefined) return NOT_APPLICABLE;
    const configs = prometheusConfigs(doc);
    if (configs.length === 0) return NOT_APPLICABLE;
    const ip = asString(subject.config.private_ip);
    if (ip === undefined || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) {
      return nonCompliant(`node of pair ${show(pair)} has no fixed private_ip (${show(subject.config.private_ip)}), so no scrape target can name it`);
    }
    const target = `"${ip}:${HAPROXY_EXPORTER_PORT}"`;
    return configs.some((c) => c.includes(target)) ? COMPLIANT : nonCompliant(`node ${ip} of pair ${show(pair)} is not scraped: no Prometheus configuration of the stack targets ${ip}:${HAPROXY_EXPORTER_PORT}`);
  },
};
