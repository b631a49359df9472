/**
 * Groups behind a load balancer scale with their load: a fixed count either
 * wastes money or drops requests, and a warm standby must grow by itself on
 * failover.
 *
 * Equivalents: checkov none; trivy none; cdk-nag none (AWS Well-Architected REL07-BP01, "use automation when
 * obtaining or scaling resources").
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE } from "../../types";
import { behindLoadBalancer } from "./asg-facts";

export const AsgScalingPolicy: PolicyRule = {
  id: "ASG-SCALING-POLICY",
  severity: "error",
  title: "Auto Scaling groups behind a load balancer have a scaling policy",
  fix: "Add an aws_autoscaling_policy (target tracking on CPU or ALBRequestCountPerTarget) for the group; AutoScaledFleet does it with `scaling`.",
  appliesTo: ["aws_autoscaling_group"],
  evaluate(subject, doc) {
    if (!behindLoadBalancer(doc, subject)) return NOT_APPLICABLE;
    return doc.referencing(subject, "autoscaling_group_name", "aws_autoscaling_policy").length > 0
      ? COMPLIANT
      : nonCompliant("the group runs a fixed count: no aws_autoscaling_policy refers to it");
  },
};
