export * from "./haproxy-pair";
export * from "./haproxy-load-balancer";
