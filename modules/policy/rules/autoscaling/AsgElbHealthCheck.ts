/**
 * Groups behind a load balancer replace instances the load balancer marks
 * unhealthy (EC2 checks only notice a stopped VM, not a dead web server).
 *
 * Equivalents: checkov CKV2_AWS_15; trivy none; cdk-nag AwsSolutions-AS2 (AutoScalingGroupHealthCheck),
 * AutoScalingGroupELBHealthCheckRequired (NIST 800-53 packs).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE } from "../../types";
import { show } from "../../values";
import { behindLoadBalancer } from "./asg-facts";

export const AsgElbHealthCheck: PolicyRule = {
  id: "ASG-ELB-HEALTH-CHECK",
  severity: "error",
  title: "Auto Scaling groups attached to a load balancer use ELB health checks",
  fix: "Set health_check_type = \"ELB\" and a health_check_grace_period long enough for first boot.",
  appliesTo: ["aws_autoscaling_group"],
  evaluate(subject, doc) {
    if (!behindLoadBalancer(doc, subject)) return NOT_APPLICABLE;
    const c = subject.config;
    return c.health_check_type === "ELB" ? COMPLIANT : nonCompliant(`health_check_type is ${show(c.health_check_type)} although the group is behind a load balancer`);
  },
};
