export * from "./instance-connect-endpoint";
export * from "./operator-access";
