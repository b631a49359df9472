export * from "./server-fleet";
export * from "./nginx-fleet";
export * from "./tier-tls-slots";
