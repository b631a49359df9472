export * from "./firewall";
export * from "./peer";
export * from "./port";
