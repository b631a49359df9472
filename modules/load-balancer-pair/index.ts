export * from "./haproxy-pair";
