export * from "./server-fleet";
export * from "./nginx-fleet";
