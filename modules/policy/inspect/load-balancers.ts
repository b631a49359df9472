/** Facts about ELBv2 resources (aws_lb and its older alias aws_alb). */
import type { TfDocument } from "../document";
import type { TfSubject } from "../types";
import { isTrue } from "../values";

export const LB_TYPES = ["aws_lb", "aws_alb"] as const;
export const LISTENER_TYPES = ["aws_lb_listener", "aws_alb_listener"] as const;
export const LISTENER_RULE_TYPES = ["aws_lb_listener_rule", "aws_alb_listener_rule"] as const;
export const TARGET_GROUP_TYPES = ["aws_lb_target_group", "aws_alb_target_group"] as const;

/** load_balancer_type defaults to "application". */
export function isApplicationLb(lb: TfSubject): boolean {
  return (lb.config.load_balancer_type ?? "application") === "application";
}

export function isInternetFacing(lb: TfSubject): boolean {
  return !isTrue(lb.config.internal);
}

export function listenersOf(doc: TfDocument, lb: TfSubject): TfSubject[] {
  return doc.referencing(lb, "load_balancer_arn", ...LISTENER_TYPES);
}

/** The listener's protocol; when unset it follows the load balancer type (HTTP for ALB, TCP for NLB). */
export function listenerProtocol(doc: TfDocument, listener: TfSubject): string {
  const explicit = listener.config.protocol;
  if (typeof explicit === "string" && explicit !== "") return explicit.toUpperCase();
  const lb = doc.resolve(listener.config.load_balancer_arn)?.subject;
  return lb && !isApplicationLb(lb) ? "TCP" : "HTTP";
}
