export * from "./hardened-instance";
export * from "./host-role";
export * from "./instance-type";
