/**
 * Reads IAM policy documents out of the synthesized JSON. A policy attribute is
 * either a JSON string (JSON.stringify in TypeScript) or a reference to an
 * `aws_iam_policy_document` data source, whose statement blocks sit in the same
 * document. Anything else (e.g. an HCL `jsonencode(…)` expression) is unreadable
 * and reported, because an unreadable policy cannot be shown to be safe.
 */
import type { TfDocument } from "../document";
import type { TfSubject } from "../types";
import { asArray, blocks, isObject, Json, strings } from "../values";

export interface PolicyStatement {
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly hasCondition: boolean;
  /** Condition keys the statement tests, lower-cased (`ec2:osuser`, `aws:resourcetag/stack`). */
  readonly conditionKeys: readonly string[];
  /** Sid when present, else the index: for messages. */
  readonly label: string;
}

export interface PolicySource {
  /** Attribute the document came from: `policy` or `inline_policy[0].policy`. */
  readonly where: string;
  readonly statements: readonly PolicyStatement[];
  /** Set when the document could not be read. */
  readonly unreadable?: string;
}

/** Identity policies (not trust policies) carried by IAM resources. */
export const IAM_POLICY_TYPES = [
  "aws_iam_policy",
  "aws_iam_role_policy",
  "aws_iam_user_policy",
  "aws_iam_group_policy",
  "aws_iam_role",
] as const;

export function policySources(subject: TfSubject, doc: TfDocument): PolicySource[] {
  if (subject.type === "aws_iam_role") {
    return blocks(subject.config.inline_policy)
      .map((b, i) => ({ where: `inline_policy[${i}].policy`, value: b.policy }))
      .filter((p) => p.value !== undefined)
      .map((p) => readPolicy(p.where, p.value, doc));
  }
  if (subject.config.policy === undefined) return [];
  return [readPolicy("policy", subject.config.policy, doc)];
}

/**
 * The walk the IAM rules share: every policy of `subject`, each unreadable one
 * reported (an unreadable policy cannot be shown to be safe), and each Allow
 * statement given to `check`, whose problems are returned prefixed with the
 * policy's attribute. `withCondition: false` skips statements narrowed by a
 * Condition (their resources alone do not decide the scope).
 */
export function allowStatementProblems(subject: TfSubject, doc: TfDocument, options: { withCondition: boolean }, check: (s: PolicyStatement) => readonly string[]): string[] {
  const problems: string[] = [];
  for (const source of policySources(subject, doc)) {
    if (source.unreadable) {
      problems.push(`${source.where} cannot be checked: ${source.unreadable}`);
      continue;
    }
    for (const s of source.statements) {
      if (s.effect !== "Allow" || (s.hasCondition && !options.withCondition)) continue;
      for (const problem of check(s)) problems.push(`${source.where} ${problem}`);
    }
  }
  return problems;
}

function readPolicy(where: string, value: unknown, doc: TfDocument): PolicySource {
  try {
    return { where, statements: statementsOf(value, doc, new Set()) };
  } catch (error) {
    return { where, statements: [], unreadable: (error as Error).message };
  }
}

function statementsOf(value: unknown, doc: TfDocument, seen: Set<string>): PolicyStatement[] {
  if (isObject(value)) return fromJsonPolicy(value);
  if (typeof value !== "string") throw new Error(`policy is ${typeof value}, not a JSON string`);
  const text = value.trim();
  if (text.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error("policy is not valid JSON");
    }
    if (!isObject(parsed)) throw new Error("policy JSON is not an object");
    return fromJsonPolicy(parsed);
  }
  const target = doc.resolve(text);
  if (target && target.subject.kind === "data" && target.subject.type === "aws_iam_policy_document") {
    if (seen.has(target.subject.address)) throw new Error(`policy documents reference each other in a cycle at ${target.subject.address}`);
    seen.add(target.subject.address);
    return fromPolicyDocumentDataSource(target.subject.config, doc, seen);
  }
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  throw new Error(`policy ${JSON.stringify(shown)} is neither a JSON document nor a reference to a data.aws_iam_policy_document in this stack`);
}

function fromJsonPolicy(policy: Json): PolicyStatement[] {
  return asArray(policy.Statement).filter(isObject).map((s, i) => ({
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    actions: strings(s.Action),
    notActions: strings(s.NotAction),
    resources: strings(s.Resource),
    notResources: strings(s.NotResource),
    hasCondition: isObject(s.Condition) && Object.keys(s.Condition).length > 0,
    conditionKeys: isObject(s.Condition) ? Object.values(s.Condition).filter(isObject).flatMap((tests) => Object.keys(tests).map((k) => k.toLowerCase())) : [],
    label: typeof s.Sid === "string" && s.Sid ? `statement ${JSON.stringify(s.Sid)}` : `statement[${i}]`,
  }));
}

function fromPolicyDocumentDataSource(config: Readonly<Json>, doc: TfDocument, seen: Set<string>): PolicyStatement[] {
  const nested = [...strings(config.source_policy_documents), ...strings(config.override_policy_documents)]
    .flatMap((d) => statementsOf(d, doc, seen));
  const own = blocks(config.statement).map((s, i): PolicyStatement => ({
    effect: s.effect === "Deny" ? "Deny" : "Allow",
    actions: strings(s.actions),
    notActions: strings(s.not_actions),
    resources: strings(s.resources),
    notResources: strings(s.not_resources),
    hasCondition: blocks(s.condition).length > 0,
    conditionKeys: blocks(s.condition).flatMap((c) => strings(c.variable).map((k) => k.toLowerCase())),
    label: typeof s.sid === "string" && s.sid ? `statement ${JSON.stringify(s.sid)}` : `statement[${i}]`,
  }));
  return [...nested, ...own];
}

/** Whether an action pattern of a statement (`*`, `ec2-instance-connect:*`, `ec2-instance-connect:Send*`) covers `action`. */
export function actionCovers(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return regex.test(action);
}

/** `*` or a whole service (`ec2:*`). */
export function isWildcardAction(action: string): boolean {
  return action === "*" || /^[a-z0-9-]+:\*$/i.test(action);
}

/** Verbs that only read; an action with a wildcard counts as read only when its verb prefix is one of these. */
const READ_ONLY_VERBS = /^(Describe|Get|List|Head|BatchGet|Lookup|Search|Query|Scan|Select|View|Check|Validate)/;

/**
 * Write actions whose IAM service-authorization reference lists no resource type,
 * so `Resource: "*"` is the only possible value.
 */
const UNSCOPABLE_WRITE_ACTIONS = new Set([
  "cloudwatch:putmetricdata",
  "xray:puttracesegments",
  "xray:puttelemetryrecords",
  "ssmmessages:createcontrolchannel",
  "ssmmessages:createdatachannel",
  "ssmmessages:opencontrolchannel",
  "ssmmessages:opendatachannel",
  "ec2messages:acknowledgemessage",
  "ec2messages:deletemessage",
  "ec2messages:failmessage",
  "ec2messages:getendpoint",
  "ec2messages:getmessages",
  "ec2messages:sendreply",
  "kms:createkey",
  "acm:requestcertificate",
  "sts:getcalleridentity",
]);

export function isReadOnlyAction(action: string): boolean {
  const verb = action.split(":")[1] ?? "";
  return verb !== "" && verb !== "*" && READ_ONLY_VERBS.test(verb);
}

/** Write actions that could be scoped to specific resources, i.e. must not use Resource "*". */
export function isScopableWriteAction(action: string): boolean {
  if (isReadOnlyAction(action)) return false;
  return !UNSCOPABLE_WRITE_ACTIONS.has(action.toLowerCase());
}
