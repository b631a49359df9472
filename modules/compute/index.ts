export * from "./hardened-instance";
export * from "./instance-type";
