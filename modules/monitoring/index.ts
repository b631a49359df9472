export * from "./monitoring-host";
export * from "./alert-topic";
