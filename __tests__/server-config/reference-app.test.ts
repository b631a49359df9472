import { renderNginxConfig } from "../../modules/server-config/nginx";
import { INSTANCE_CONNECT_KEYS_SCRIPT_PATH } from "../../modules/server-config/paths";
import { appServer } from "../../modules/server-config/roles/app-server";
import { nginxNode } from "../../modules/server-config/roles/nginx-node";
import { singleServer } from "../../modules/server-config/roles/single-server";
import {
  LOCAL_DB_SETUP_PATH,
  RDS_CA_PATH,
  REFERENCE_APP_PATH,
  REFERENCE_APP_UNIT_PATH,
  rdsRootCa,
  renderReferenceAppUnit,
} from "../../modules/server-config/reference-app/reference-app";
import { X509Certificate } from "crypto";
import { checkNginx } from "../support/validators";
import { describeWithTools } from "../support/tools";

const rds = { kind: "rds" as const, region: "us-east-1" };
const fileOf = (config: ReturnType<typeof appServer>, path: string) => config.writeFiles?.find((f) => f.path === path)?.content;

describe("reference application", () => {
  it("ships the RDS RSA2048 G1 root CA of the database's region only", () => {
    for (const region of ["us-east-1", "us-west-2", "eu-central-1"]) {
      const pem = rdsRootCa(region);
      expect(pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
      const cert = new X509Certificate(pem);
      expect(cert.subject).toContain(`CN=Amazon RDS ${region} Root CA RSA2048 G1`);
      expect(cert.ca).toBe(true);
    }
  });
  it("refuses a malformed region, or one without a vendored CA, naming the field and what is allowed", () => {
    expect(() => rdsRootCa("xx-nowhere-9")).toThrow('referenceApp.database.region: "xx-nowhere-9" is not allowed; expected a region with an RDS RSA2048 G1 root CA in rds-root-cas.pem');
    expect(() => rdsRootCa("EU-WEST-1")).toThrow('referenceApp.database.region: "EU-WEST-1" is not allowed; expected an AWS region name such as eu-west-1');
  });

  it("runs as an unprivileged user from the fleet's env file, verified TLS to RDS, restarted on failure", () => {
    const unit = renderReferenceAppUnit({ listen: "0.0.0.0:8080", database: rds });
    expect(unit).toMatch(/^User=platform-app$/m);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/platform\/app\.env$/m);
    expect(unit).toContain(`DB_TLS_CA=${RDS_CA_PATH}`);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^NoNewPrivileges=true$/m);
    expect(unit).toContain(`ExecStart=/usr/bin/python3 ${REFERENCE_APP_PATH}`);
    expect(() => renderReferenceAppUnit({ listen: "everywhere", database: rds })).toThrow(/referenceApp\.listen/);
  });

  it("installs only Debian packages and never writes a password into user data", () => {
    const config = appServer({ listen: "0.0.0.0:8080", database: rds });
    expect(config.packages).toEqual(expect.arrayContaining(["python3", "python3-pymysql", "python3-boto3"]));
    expect(fileOf(config, RDS_CA_PATH)).toContain("BEGIN CERTIFICATE");
    expect(fileOf(config, REFERENCE_APP_UNIT_PATH)).toContain("APP_LISTEN=0.0.0.0:8080");
    // Nothing downloaded at boot: the only curl is the Instance Connect keys script, which asks instance metadata.
    const downloads = JSON.stringify({ ...config, writeFiles: config.writeFiles?.filter((f) => f.path !== INSTANCE_CONNECT_KEYS_SCRIPT_PATH) });
    expect(downloads).not.toMatch(/pip install|curl |wget /);
    expect(fileOf(config, INSTANCE_CONNECT_KEYS_SCRIPT_PATH)).not.toMatch(/curl [^\n]*https?:\/\/(?!169\.254\.169\.254|\$)/);
    expect(appServer({ listen: "0.0.0.0:8080", database: { ...rds, engine: "postgres" } }).packages).toContain("python3-psycopg2");
  });

  it("stage 0 keeps its local MariaDB: socket, systemd credential, password made on the host", () => {
    const config = singleServer();
    const unit = fileOf(config, REFERENCE_APP_UNIT_PATH)!;
    expect(unit).toMatch(/^LoadCredential=db-password:\/etc\/platform\/db-password$/m);
    expect(unit).toMatch(/^Requires=mariadb\.service$/m);
    expect(fileOf(config, LOCAL_DB_SETUP_PATH)).toContain("openssl rand");
    expect(config.runcmd?.map((c) => c.join(" "))).toEqual(expect.arrayContaining(["systemctl enable --now platform-app.service", LOCAL_DB_SETUP_PATH]));
  });

  it("web servers of stages 1–2 proxy to their own app; stage 3 web servers run no app", () => {
    const local = nginxNode({ localApp: rds });
    expect(local.writeFiles?.map((f) => f.path)).toContain(REFERENCE_APP_PATH);
    const proxy = nginxNode({ upstreams: ["10.10.64.120:8080"] });
    expect(proxy.writeFiles?.map((f) => f.path)).not.toContain(REFERENCE_APP_PATH);
    expect(() => nginxNode({ localApp: rds, upstreams: ["10.10.64.120:8080"] })).toThrow(/nginx\.upstreams/);
  });
});

describe("nginx upstream over the application tier", () => {
  const conf = renderNginxConfig({ upstreams: ["10.10.64.120:8080", "10.10.80.120:8080"] });

  it("skips a failed server and retries the request on the next", () => {
    expect(conf).toContain("server 10.10.64.120:8080 max_fails=1 fail_timeout=10s;");
    expect(conf).toContain("server 10.10.80.120:8080 max_fails=1 fail_timeout=10s;");
    expect(conf).toContain("proxy_next_upstream error timeout http_502 http_503 http_504;");
    expect(conf).toContain("proxy_pass http://app_servers;");
  });

  it.each([
    ["no upstreams", () => renderNginxConfig({ upstreams: [] }), /nginx\.upstreams/],
    ["a bad upstream", () => renderNginxConfig({ upstreams: ["app:80"] }), /nginx\.upstreams\[0\]/],
    ["both proxyTo and upstreams", () => renderNginxConfig({ proxyTo: "127.0.0.1:8000", upstreams: ["10.0.0.1:80"] }), /nginx\.upstreams/],
    ["a fail timeout of 0", () => renderNginxConfig({ upstreams: ["10.0.0.1:80"], upstreamFailTimeoutSeconds: 0 }), /nginx\.upstreamFailTimeoutSeconds/],
  ])("rejects %s", (_name, render, error) => {
    expect(render).toThrow(error);
  });
});

describeWithTools("nginx accepts the upstream config", ["nginx"], true, () => {
  it("nginx -t", () => {
    const result = checkNginx(renderNginxConfig({ upstreams: ["10.10.64.120:8080", "10.10.80.120:8080"] }));
    expect(result.output).toMatch(/successful|^$/);
    expect(result.ok).toBe(true);
  });
});
