export * from "./monitoring-host";
