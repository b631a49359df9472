export * from "./monitoring-host";
export * from "./alert-topic";
export * from "./operator-secret";
