/**
 * Plan review: a report a reviewer reads before approving a plan (counts,
 * DANGER, replacements with their cause, exposure and IAM changes, policy
 * findings, a cost estimate, a generated architecture diagram), and the
 * stage-to-stage migration view. Pure: no cdktf import; the CLI is scripts/review.ts.
 */
export * from "./plan";
export { comparePlans, ignoredChanges } from "./compare";
export { FORCE_NEW, forcingAttributes } from "./force-new";
export { dangerItems, STATEFUL_TYPES } from "./danger";
export type { DangerItem } from "./danger";
export { exposureChanges } from "./exposure";
export type { ExposureChange } from "./exposure";
export { iamChanges, statementsOf } from "./iam";
export type { IamChange, Statement } from "./iam";
export { estimateCost, PRICES } from "./cost";
export type { CostEstimate, PriceTable } from "./cost";
export { architectureDiagram, nodeId } from "./diagram";
export type { Diagram, DiagramNode } from "./diagram";
export { EXIT_DANGER, NO_IGNORE_CHANGES_NOTE, reviewChanges, reviewPlan } from "./review";
export type { Review, ReviewInput } from "./review";
export { reviewMarkdown } from "./markdown";
export { migrationMarkdown, migrationReview } from "./migration";
export type { MigrationReview } from "./migration";
