export * from "./cross-region-peering";
