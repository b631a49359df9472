/** Facts about aws_autoscaling_group shared by the Auto Scaling rules. */
import type { TfDocument } from "../../document";
import type { TfSubject } from "../../types";
import { asArray } from "../../values";

/**
 * Whether a group is behind a load balancer: by its own target_group_arns or (classic) load_balancers, or by an
 * aws_autoscaling_attachment or aws_autoscaling_traffic_source_attachment that names it.
 */
export function behindLoadBalancer(doc: TfDocument, group: TfSubject): boolean {
  const c = group.config;
  return asArray(c.target_group_arns).length > 0 || asArray(c.load_balancers).length > 0 ||
    doc.referencing(group, "autoscaling_group_name", "aws_autoscaling_attachment", "aws_autoscaling_traffic_source_attachment").length > 0;
}
