/**
 * user-data.ts, construct-free: the frontend and backend hosts' first-boot cloud-config, the two Nginx sites
 * and the backend's env file, byte for byte, and every input check with its boundaries.
 */
import { CLOUD_CONFIG_HEADER, parseCloudConfig, fileFromCloudConfig } from "../../modules/core/cloud-config";
import { InvalidInputError } from "../../modules/core/validation";
import { rdsRootCa, renderReferenceApp } from "../../modules/server-config/reference-app/reference-app";
import {
  AMAZON_DNS_RESOLVER,
  SYSTEM_CA_BUNDLE,
  BackendUserDataInput,
  FrontendUserDataInput,
  backendEnvironment,
  backendNginxSite,
  backendUserData,
  frontendNginxSite,
  frontendUserData,
} from "../../modules/warm-standby/user-data";
import { invalidInputOf } from "../support/invalid-input";

const SECRET_ARN = "arn:aws:secretsmanager:us-west-2:123456789012:secret:acme-db-master-AbCdEf";
const backendInput: BackendUserDataInput = {
  region: "us-west-2",
  databaseHostname: "sql.db.internal",
  databasePort: 3306,
  databaseTlsName: "acme-db-dr.abcdefghijkl.us-west-2.rds.amazonaws.com",
  databaseSecretArn: SECRET_ARN,
  cacheHost: "__REDIS__",
  cachePort: 6379,
  cacheUser: "acme-dr-app",
  cacheName: "acme-dr-redis",
};
const frontendInput: FrontendUserDataInput = { region: "us-west-2", healthCheckPath: "/healthz", backendName: "backend-us-west-2.app.example.com" };

/** The frontend site exactly as a reviewer expects it (health path, backend name, dropped headers, resolver vary). */
function expectedFrontendSite(path: string, backend: string, dropped: string[], resolver: string): string {
  return `# The frontend tier: this region's backend load balancer over HTTPS, certificate verified.
server {
  listen 80 default_server;
  server_name _;
  server_tokens off;
  # A variable in proxy_pass makes Nginx re-resolve the name (ALB addresses change).
  resolver ${resolver} valid=30s ipv6=off;
  resolver_timeout 5s;

  # The frontend target group's check: this host and Nginx are alive.
  location = ${path} {
    access_log off;
    default_type text/plain;
    return 200 "ok\\n";
  }

  location / {
    set $backend_alb ${backend};
    proxy_pass https://$backend_alb;
    proxy_ssl_server_name on;
    proxy_ssl_name $backend_alb;
    proxy_ssl_verify on;
    proxy_ssl_verify_depth 4;
    proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;
    proxy_ssl_protocols TLSv1.2 TLSv1.3;
    proxy_set_header Host $backend_alb;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto https;
${dropped.map((h) => `    proxy_set_header ${h} "";\n`).join("")}    proxy_connect_timeout 3s;
    proxy_read_timeout 30s;
    add_header X-Served-By-Role frontend always;
  }
}
`;
}

const EXPECTED_BACKEND_SITE = `# The backend tier: the application on loopback; its /healthz is the target group's check.
server {
  listen 80 default_server;
  server_name _;
  server_tokens off;

  location / {
    proxy_pass http://127.0.0.1:8000;
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;
    proxy_connect_timeout 2s;
    add_header X-Served-By-Role backend always;
  }
}
`;

const NGINX_START = [
  ["nginx", "-t"],
  ["systemctl", "enable", "--now", "nginx"],
  ["systemctl", "reload", "nginx"],
];

/** The raw write_files entries (encoding included, which parseCloudConfig hides). */
function rawFiles(userData: string): { path: string; encoding?: string; permissions: string; owner: string }[] {
  expect(userData.startsWith(CLOUD_CONFIG_HEADER)).toBe(true);
  return (JSON.parse(userData.slice(CLOUD_CONFIG_HEADER.length)).write_files as Record<string, string>[]).map((f) => ({
    path: f.path,
    ...(f.encoding === undefined ? {} : { encoding: f.encoding }),
    permissions: f.permissions,
    owner: f.owner,
  }));
}

function expectInvalid(call: () => unknown, field: string, value: unknown, allowed: string): void {
  const error = invalidInputOf(call);
  expect(error).toBeInstanceOf(InvalidInputError);
  expect({ field: error.field, value: error.value, allowed: error.allowed }).toEqual({ field, value, allowed });
}

describe("constants", () => {
  test("Amazon's DNS resolver at its fixed link-local address, Debian's CA bundle", () => {
    expect(AMAZON_DNS_RESOLVER).toBe("169.254.169.253");
    expect(SYSTEM_CA_BUNDLE).toBe("/etc/ssl/certs/ca-certificates.crt");
  });
});

describe("frontendNginxSite: its own health answer, everything else to the regional backend ALB over verified HTTPS", () => {
  test("the whole site, with the default resolver (AMAZON_DNS_RESOLVER) and no dropped header (@default [])", () => {
    expect(frontendNginxSite(frontendInput)).toBe(expectedFrontendSite("/healthz", "backend-us-west-2.app.example.com", [], "169.254.169.253"));
  });
  test("every header of dropRequestHeaders is blanked before the backend, in order; a given resolver replaces the default", () => {
    const site = frontendNginxSite({ ...frontendInput, healthCheckPath: "/status/ready", dropRequestHeaders: ["X-Origin-Verify", "X-Other"], resolver: "10.0.0.2" });
    expect(site).toBe(expectedFrontendSite("/status/ready", "backend-us-west-2.app.example.com", ["X-Origin-Verify", "X-Other"], "10.0.0.2"));
  });
});

describe("frontendNginxSite input checks", () => {
  const pathAllowed = "an absolute path other than / (Nginx answers it itself; / is the site)";
  test("health path: '/' alone (the site) is refused", () => {
    expectInvalid(() => frontendNginxSite({ ...frontendInput, healthCheckPath: "/" }), "frontend.healthCheckPath", "/", pathAllowed);
  });
  test("health path: 255 characters is the longest accepted, 256 is refused", () => {
    const longest = "/" + "a".repeat(254);
    expect(frontendNginxSite({ ...frontendInput, healthCheckPath: longest })).toContain(`location = ${longest} {`);
    expectInvalid(() => frontendNginxSite({ ...frontendInput, healthCheckPath: longest + "a" }), "frontend.healthCheckPath", longest + "a", pathAllowed);
  });
  test("health path: a two-character path and every allowed punctuation mark are accepted", () => {
    expect(frontendNginxSite({ ...frontendInput, healthCheckPath: "/a" })).toContain("location = /a {");
    const punctuated = "/Az09._~!$&'()*+,;=:@%/-";
    expect(frontendNginxSite({ ...frontendInput, healthCheckPath: punctuated })).toContain(`location = ${punctuated} {`);
  });
  test.each([["healthz"], ["x/healthz"], ["/health z"], ["/healthz\n"], ["/healthz;return 200"], ["/health{z}"], ['/he"z']])("health path %p is refused", (path) => {
    expectInvalid(() => frontendNginxSite({ ...frontendInput, healthCheckPath: path }), "frontend.healthCheckPath", path, pathAllowed);
  });

  const nameAllowed = "a lowercase DNS name such as backend-us-east-1.app.example.com";
  test.each([
    ["a.io"],
    ["a-b.example.com"],
    ["ab.example.com"],
    ["0.example.com"],
    [`${"a".repeat(63)}.example.com`],
    [`example.${"c".repeat(63)}`],
    [`${"a".repeat(61)}.${"b".repeat(61)}.${"c".repeat(61)}.${"d".repeat(61)}.abcde`], // 253 characters
  ])("backend name %p is accepted", (name) => {
    expect(frontendNginxSite({ ...frontendInput, backendName: name })).toContain(`set $backend_alb ${name};`);
  });
  test.each([
    ["Backend.example.com"],
    ["example"],
    ["example.c"],
    ["example.c0m"],
    [`${"a".repeat(64)}.example.com`],
    [`example.${"c".repeat(64)}`],
    [`${"a".repeat(61)}.${"b".repeat(61)}.${"c".repeat(61)}.${"d".repeat(61)}.abcdef`], // 254 characters
    ["-a.example.com"],
    ["a-.example.com"],
    ["a..example.com"],
    [".example.com"],
    ["a.example.com."],
    ["a_b.example.com"],
    ["a.example.com;"],
    [";a.example.com"],
  ])("backend name %p is refused", (name) => {
    expectInvalid(() => frontendNginxSite({ ...frontendInput, backendName: name }), "frontend.backendName", name, nameAllowed);
  });

  test("dropped header names: 1 to 100 letters, digits or '-'; the error names the index", () => {
    const longest = "X".repeat(100);
    expect(frontendNginxSite({ ...frontendInput, dropRequestHeaders: ["a", "Az-09", longest] })).toContain(`proxy_set_header ${longest} "";`);
    const allowed = "a header name (letters, digits, -)";
    expectInvalid(() => frontendNginxSite({ ...frontendInput, dropRequestHeaders: ["X-Ok", longest + "X"] }), "frontend.dropRequestHeaders[1]", longest + "X", allowed);
    expectInvalid(() => frontendNginxSite({ ...frontendInput, dropRequestHeaders: [""] }), "frontend.dropRequestHeaders[0]", "", allowed);
    expectInvalid(() => frontendNginxSite({ ...frontendInput, dropRequestHeaders: ["X Bad"] }), "frontend.dropRequestHeaders[0]", "X Bad", allowed);
    expectInvalid(() => frontendNginxSite({ ...frontendInput, dropRequestHeaders: ["X_Bad"] }), "frontend.dropRequestHeaders[0]", "X_Bad", allowed);
    expectInvalid(() => frontendNginxSite({ ...frontendInput, dropRequestHeaders: [";X"] }), "frontend.dropRequestHeaders[0]", ";X", allowed);
    expectInvalid(() => frontendNginxSite({ ...frontendInput, dropRequestHeaders: ["X;"] }), "frontend.dropRequestHeaders[0]", "X;", allowed);
  });

  test("resolver: an IPv4 address (1–3 digits per part, four parts)", () => {
    expect(frontendNginxSite({ ...frontendInput, resolver: "1.2.3.4" })).toContain("resolver 1.2.3.4 valid=30s ipv6=off;");
    expect(frontendNginxSite({ ...frontendInput, resolver: "100.200.255.253" })).toContain("resolver 100.200.255.253 valid=30s ipv6=off;");
    for (const bad of ["dns.example.com", "1.2.3", "1.2.3.4.5", "1234.1.1.1", "1.1.1.1234", "a1.2.3.4", "1.2.3.4a", "1.2.3.", "1..2.3", "1a2.3.4.5"]) {
      expectInvalid(() => frontendNginxSite({ ...frontendInput, resolver: bad }), "frontend.resolver", bad, "an IPv4 address");
    }
  });
});

describe("frontendUserData", () => {
  test("Nginx and the CA bundle (plus curl for EC2 Instance Connect), the site, then nginx -t, enable, reload", () => {
    const text = frontendUserData({ ...frontendInput, dropRequestHeaders: ["X-Origin-Verify"] });
    const doc = parseCloudConfig(text);
    expect(doc.packages).toEqual(["nginx", "ca-certificates", "curl"]);
    expect(doc.runcmd).toEqual(NGINX_START);
    expect(rawFiles(text)).toEqual([
      { path: "/etc/nginx/sites-available/default", permissions: "0644", owner: "root:root" },
      { path: "/usr/local/sbin/ec2-instance-connect-keys", encoding: "gz+b64", permissions: "0755", owner: "root:root" },
      { path: "/etc/ssh/sshd_config.d/60-ec2-instance-connect.conf", permissions: "0644", owner: "root:root" },
    ]);
    expect(fileFromCloudConfig(text, "/etc/nginx/sites-available/default")).toBe(expectedFrontendSite("/healthz", "backend-us-west-2.app.example.com", ["X-Origin-Verify"], "169.254.169.253"));
  });
  test("an invalid input fails the user data too", () => {
    expectInvalid(() => frontendUserData({ ...frontendInput, backendName: "Bad" }), "frontend.backendName", "Bad", "a lowercase DNS name such as backend-us-east-1.app.example.com");
  });
});

describe("backendNginxSite", () => {
  test("everything, health paths included, to the application on loopback port 8000", () => {
    expect(backendNginxSite()).toBe(EXPECTED_BACKEND_SITE);
  });
});

describe("backendEnvironment: the env file the reference application reads", () => {
  test("the private name (writer and reader), the port, the certificate's name, this region's secret copy and Redis; engine mysql by default", () => {
    expect(backendEnvironment(backendInput)).toBe(
      [
        "APP_REGION=us-west-2",
        "DB_ENGINE=mysql",
        "DB_WRITER_HOST=sql.db.internal",
        "DB_READER_HOST=sql.db.internal",
        "DB_PORT=3306",
        "DB_TLS_SERVER_NAME=acme-db-dr.abcdefghijkl.us-west-2.rds.amazonaws.com",
        `DB_SECRET_ARN=${SECRET_ARN}`,
        "DB_REGION=us-west-2",
        "REDIS_HOST=__REDIS__",
        "REDIS_PORT=6379",
        "REDIS_USER=acme-dr-app",
        "REDIS_CACHE_NAME=acme-dr-redis",
        "",
      ].join("\n"),
    );
  });
  test("a given engine is written", () => {
    expect(backendEnvironment({ ...backendInput, databaseEngine: "postgres", databasePort: 5432 })).toContain("\nDB_ENGINE=postgres\nDB_WRITER_HOST=");
  });
  test.each([["databasePort"], ["cachePort"]] as const)("%s: 1 and 65535 are accepted; 0, 65536 and 1.5 are refused", (field) => {
    expect(backendEnvironment({ ...backendInput, [field]: 1 })).toContain(field === "databasePort" ? "\nDB_PORT=1\n" : "\nREDIS_PORT=1\n");
    expect(backendEnvironment({ ...backendInput, [field]: 65535 })).toContain(field === "databasePort" ? "\nDB_PORT=65535\n" : "\nREDIS_PORT=65535\n");
    for (const bad of [0, 65536, 1.5]) {
      expectInvalid(() => backendEnvironment({ ...backendInput, [field]: bad }), `backend.${field}`, bad, "a port from 1 to 65535");
    }
  });
  test.each([["cacheUser"], ["cacheName"]] as const)("%s: an ElastiCache id of 1–40 characters, starting with a letter", (field) => {
    const allowed = "an ElastiCache id: 1–40 lowercase letters, digits or hyphens, starting with a letter";
    for (const good of ["a", "a0-b", `a${"b".repeat(39)}`]) expect(() => backendEnvironment({ ...backendInput, [field]: good })).not.toThrow();
    for (const bad of ["", `a${"b".repeat(40)}`, "0ab", "-ab", "Ab", "a_b", "app\nDB_WRITER_HOST=evil", " ab", "ab "]) {
      expectInvalid(() => backendEnvironment({ ...backendInput, [field]: bad }), `backend.${field}`, bad, allowed);
    }
  });
});

describe("backendUserData", () => {
  test("the reference application (mysql driver, Redis client), its env file (0640), the Nginx site, Instance Connect; the app and the CA compressed", () => {
    const text = backendUserData(backendInput);
    const doc = parseCloudConfig(text);
    expect(doc.packages).toEqual(["nginx", "python3", "python3-pymysql", "python3-boto3", "python3-redis", "curl"]);
    expect(doc.runcmd).toEqual([["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "platform-app"], ["systemctl", "daemon-reload"], ["systemctl", "enable", "--now", "platform-app.service"], ...NGINX_START]);
    expect(rawFiles(text)).toEqual([
      { path: "/opt/platform-app/app.py", encoding: "gz+b64", permissions: "0755", owner: "root:root" },
      { path: "/etc/systemd/system/platform-app.service", permissions: "0644", owner: "root:root" },
      { path: "/etc/platform/rds-ca.pem", encoding: "gz+b64", permissions: "0644", owner: "root:root" },
      { path: "/etc/platform/app.env", permissions: "0640", owner: "root:root" },
      { path: "/etc/nginx/sites-available/default", permissions: "0644", owner: "root:root" },
      { path: "/usr/local/sbin/ec2-instance-connect-keys", encoding: "gz+b64", permissions: "0755", owner: "root:root" },
      { path: "/etc/ssh/sshd_config.d/60-ec2-instance-connect.conf", permissions: "0644", owner: "root:root" },
    ]);
    expect(fileFromCloudConfig(text, "/etc/platform/app.env")).toBe(backendEnvironment(backendInput));
    expect(fileFromCloudConfig(text, "/etc/nginx/sites-available/default")).toBe(EXPECTED_BACKEND_SITE);
    expect(fileFromCloudConfig(text, "/opt/platform-app/app.py")).toBe(renderReferenceApp());
    expect(fileFromCloudConfig(text, "/etc/platform/rds-ca.pem")).toBe(rdsRootCa("us-west-2"));
    expect(fileFromCloudConfig(text, "/etc/systemd/system/platform-app.service")).toContain("EnvironmentFile=/etc/platform/app.env");
  });
  test("postgres backends get the postgres driver and DB_ENGINE=postgres", () => {
    const text = backendUserData({ ...backendInput, databaseEngine: "postgres", databasePort: 5432 });
    expect(parseCloudConfig(text).packages).toEqual(["nginx", "python3", "python3-psycopg2", "python3-boto3", "python3-redis", "curl"]);
    expect(fileFromCloudConfig(text, "/etc/platform/app.env")).toContain("\nDB_ENGINE=postgres\n");
  });
  test("an invalid input fails the user data too", () => {
    expectInvalid(() => backendUserData({ ...backendInput, cachePort: 0 }), "backend.cachePort", 0, "a port from 1 to 65535");
  });
});
