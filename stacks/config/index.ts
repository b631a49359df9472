export * from "./infra-config";
export * from "./defaults";
export * from "./validate";
export * from "./load";
