export * from "./hardened-instance";
export * from "./host-role";
export * from "./hardened-launch-template";
export * from "./instance-type";
