import {
  renderBackendListParameterValue,
  renderHaproxyBackends,
  renderHaproxyBackendsHeader,
  renderHaproxyConfig,
  renderHaproxyDefaults,
} from "../../modules/server-config/haproxy";
import { invalidInputOf } from "../support/invalid-input";
import { describeWithTools } from "../support/tools";
import { checkHaproxy } from "../support/validators";

const base = { privateIp: "10.0.1.10", exporterAllowedCidrs: ["10.0.0.0/16"] };
const cfg = renderHaproxyConfig(base);

describe("haproxy.cfg facts", () => {
  it("\"443: TLS with `crt /etc/haproxy/certs/site.pem` (certificate chain + key in one PEM), TLS 1.2 minimum\"", () => {
    expect(cfg).toMatch(/^\s*bind :443 ssl crt \/etc\/haproxy\/certs\/site\.pem alpn h2,http\/1\.1$/m);
    expect(cfg).toContain("ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets");
    expect(cfg).not.toMatch(/ssl-default-bind-ciphers .*(RC4|3DES|CBC|SHA:)/);
  });
  it("TLS 1.2 ciphers are exactly Mozilla's \"intermediate\" set (forward secrecy, AEAD only), TLS 1.3 suites the three standard ones", () => {
    const ciphers = /^\s*ssl-default-bind-ciphers (\S+)$/m.exec(cfg)![1].split(":");
    expect(ciphers).toEqual([
      "ECDHE-ECDSA-AES128-GCM-SHA256",
      "ECDHE-RSA-AES128-GCM-SHA256",
      "ECDHE-ECDSA-AES256-GCM-SHA384",
      "ECDHE-RSA-AES256-GCM-SHA384",
      "ECDHE-ECDSA-CHACHA20-POLY1305",
      "ECDHE-RSA-CHACHA20-POLY1305",
    ]);
    expect(cfg).toMatch(/^\s*ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256$/m);
  });
  it("\"80: `301` to HTTPS, except `/.well-known/acme-challenge/`, routed to `127.0.0.1:8888`\"", () => {
    expect(cfg).toMatch(/acl acme_challenge path_beg \/\.well-known\/acme-challenge\//);
    expect(cfg).toContain("http-request redirect scheme https code 301 unless acme_challenge");
    expect(cfg).toContain("use_backend acme_certbot if acme_challenge");
    expect(cfg).toMatch(/backend acme_certbot\n\s+server certbot 127\.0\.0\.1:8888\n/);
  });
  it("\"`X-Forwarded-For` (`option forwardfor`) and `X-Forwarded-Proto: https`\"; \"`option redispatch`, `retries 3`\"", () => {
    expect(cfg).toContain("option forwardfor");
    expect(cfg).toContain("http-request set-header X-Forwarded-Proto https");
    expect(cfg).toContain("option redispatch");
    expect(cfg).toMatch(/^\s+retries 3$/m);
  });
  it("\"Prometheus exporter (`http-request use-service prometheus-exporter`) on `<private IP>:8405`, plus `tcp-request connection reject unless { src <exporterAllowedCidrs> }`\"", () => {
    expect(cfg).toMatch(/bind 10\.0\.1\.10:8405\n/);
    expect(cfg).toContain("tcp-request connection reject unless { src 10.0.0.0/16 }");
    expect(cfg).toContain("http-request use-service prometheus-exporter if { path /metrics }");
    expect(cfg).not.toMatch(/0\.0\.0\.0\/0/);
    expect(renderHaproxyConfig({ ...base, exporterAllowedCidrs: ["10.0.0.0/16", "10.1.0.0/16"] })).toContain("tcp-request connection reject unless { src 10.0.0.0/16 10.1.0.0/16 }");
  });
  it("\"Admin socket `/run/haproxy/admin.sock` (mode 660, no TCP stats page)\"", () => {
    expect(cfg).toContain("stats socket /run/haproxy/admin.sock mode 660 level admin");
    expect(cfg).not.toMatch(/stats (enable|uri)/);
  });
  it("\"HSTS one year (`hstsMaxAgeSeconds: 0` removes it)\"", () => {
    expect(cfg).toContain('Strict-Transport-Security "max-age=31536000"');
    expect(renderHaproxyConfig({ ...base, hstsMaxAgeSeconds: 0 })).not.toContain("Strict-Transport-Security");
    expect(renderHaproxyConfig({ ...base, hstsMaxAgeSeconds: 0 })).toMatch(/X-Forwarded-Proto https\n    default_backend /);
  });
});

describe("backends.cfg facts", () => {
  const backends = renderHaproxyBackends({ backends: ["10.1.0.5:80", "10.0.11.10:80"] });
  it("\"Web backend: round-robin, HTTP check `GET /healthz` (Nginx answers it), `inter 1000ms fall 2 rise 2` by default\"", () => {
    expect(backends).toContain("balance roundrobin");
    expect(backends).toContain("http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host localhost");
    expect(backends).toContain("default-server check inter 1000ms fall 2 rise 2");
  });
  it("\"Servers are named after their address (`server 10.0.11.10:80 10.0.11.10:80`)\", sorted", () => {
    expect(backends.match(/^ {4}server .*/gm)!.map((l) => l.trim())).toEqual(["server 10.0.11.10:80 10.0.11.10:80", "server 10.1.0.5:80 10.1.0.5:80"]);
  });
  it("takes health check settings", () => {
    expect(renderHaproxyBackends({ backends: ["10.0.0.1:80"], healthCheck: { path: "/", intervalMs: 2000, fall: 3, rise: 4 } })).toContain("inter 2000ms fall 3 rise 4");
  });
  it("\"`renderBackendListParameterValue(ips)` = `\"10.0.11.10:80,10.0.12.10:80,…\"`\"", () => {
    expect(renderBackendListParameterValue(["10.1.0.5:80", "10.0.11.10:80"])).toBe("10.0.11.10:80,10.1.0.5:80");
  });
  it("\"`EXTRAOPTS=\"-S /run/haproxy-master.sock -f /etc/haproxy/backends.cfg\"`\"", () => {
    expect(renderHaproxyDefaults()).toContain('EXTRAOPTS="-S /run/haproxy-master.sock -f /etc/haproxy/backends.cfg"');
  });
});

describe("haproxy rejected inputs", () => {
  // [case, call, field, what the message says is allowed]
  const cases: [string, () => unknown, string, RegExp][] = [
    ["privateIp not an IP", () => renderHaproxyConfig({ ...base, privateIp: "lb.internal" }), "haproxy.privateIp", /dotted IPv4 address/],
    ["no exporter CIDR", () => renderHaproxyConfig({ ...base, exporterAllowedCidrs: [] }), "haproxy.exporterAllowedCidrs", /at least one CIDR/],
    ["exporter open to the internet", () => renderHaproxyConfig({ ...base, exporterAllowedCidrs: ["0.0.0.0/0"] }), "haproxy.exporterAllowedCidrs[0]", /not the whole internet/],
    ["malformed CIDR", () => renderHaproxyConfig({ ...base, exporterAllowedCidrs: ["10.0.0.0/40"] }), "haproxy.exporterAllowedCidrs[0]", /IPv4 CIDR/],
    ["exporter port out of range", () => renderHaproxyConfig({ ...base, exporterPort: 70000 }), "haproxy.exporterPort", /TCP port 1-65535/],
    ["acme port out of range", () => renderHaproxyConfig({ ...base, acmePort: 0 }), "haproxy.acmePort", /TCP port 1-65535/],
    ["exporter on 443", () => renderHaproxyConfig({ ...base, exporterPort: 443 }), "haproxy.exporterPort", /other than 80 and 443/],
    ["exporter on 80", () => renderHaproxyConfig({ ...base, exporterPort: 80 }), "haproxy.exporterPort", /other than 80 and 443/],
    ["acme on 80", () => renderHaproxyConfig({ ...base, acmePort: 80 }), "haproxy.acmePort", /other than 80 and 443/],
    ["acme port equals exporter port", () => renderHaproxyConfig({ ...base, acmePort: 8405 }), "haproxy.acmePort", /different from exporterPort \(8405\)/],
    ["relative cert path", () => renderHaproxyConfig({ ...base, certPath: "certs/site.pem" }), "haproxy.certPath", /absolute path/],
    ["path with a space", () => renderHaproxyConfig({ ...base, statsSocketPath: "/run/ha proxy.sock" }), "haproxy.statsSocketPath", /absolute path/],
    ["relative chroot", () => renderHaproxyConfig({ ...base, chrootPath: "lib/haproxy" }), "haproxy.chrootPath", /absolute path/],
    ["negative HSTS", () => renderHaproxyConfig({ ...base, hstsMaxAgeSeconds: -1 }), "haproxy.hstsMaxAgeSeconds", /from 0 to 63072000/],
    ["retries 0", () => renderHaproxyConfig({ ...base, retries: 0 }), "haproxy.retries", /\S/],
    ["maxConnections tiny", () => renderHaproxyConfig({ ...base, maxConnections: 5 }), "haproxy.maxConnections", /\S/],
    ["empty backend list", () => renderHaproxyBackends({ backends: [] }), "haproxy.backends", /at least one "ip:port"/],
    ["backend host name", () => renderHaproxyBackends({ backends: ["web1.internal:80"] }), "haproxy.backends[0]", /\S/],
    ["backend without port", () => renderHaproxyBackends({ backends: ["10.0.0.1"] }), "haproxy.backends[0]", /\S/],
    ["duplicate backend", () => renderHaproxyBackends({ backends: ["10.0.0.1:80", "10.0.0.1:80"] }), "haproxy.backends", /at most once/],
    ["health path with a space", () => renderHaproxyBackends({ backends: ["10.0.0.1:80"], healthCheck: { path: "/a b" } }), "haproxy.healthCheck.path", /absolute URL path/],
    ["health path without the leading slash", () => renderHaproxyBackends({ backends: ["10.0.0.1:80"], healthCheck: { path: "x/healthz" } }), "haproxy.healthCheck.path", /absolute URL path/],
    ["health interval too short", () => renderHaproxyBackends({ backends: ["10.0.0.1:80"], healthCheck: { intervalMs: 10 } }), "haproxy.healthCheck.intervalMs", /from 100 to 60000/],
    ["fall 0", () => renderHaproxyBackends({ backends: ["10.0.0.1:80"], healthCheck: { fall: 0 } }), "haproxy.healthCheck.fall", /from 1 to 10/],
    ["rise 11", () => renderHaproxyBackends({ backends: ["10.0.0.1:80"], healthCheck: { rise: 11 } }), "haproxy.healthCheck.rise", /from 1 to 10/],
    ["relative backend CA file", () => renderHaproxyBackendsHeader(undefined, { caFile: "trust.pem", verifyHost: "web.internal" }), "haproxy.backendTls.caFile", /absolute path/],
    ["backend verifyHost not a name", () => renderHaproxyBackendsHeader(undefined, { caFile: "/etc/haproxy/trust.pem", verifyHost: "web internal" }), "haproxy.backendTls.verifyHost", /\S/],
    ["unresolved token as IP", () => renderHaproxyConfig({ ...base, privateIp: "${TfToken[TOKEN.1]}" }), "haproxy.privateIp", /\S/],
    ["relative backends file in EXTRAOPTS", () => renderHaproxyDefaults("backends.cfg"), "haproxy.backendsPath", /absolute path/],
  ];
  it.each(cases)("rejects %s, naming the field and what is allowed", (_name, call, field, allowed) => {
    const error = invalidInputOf(call);
    expect(error.field).toBe(field);
    expect(error.allowed).toMatch(allowed);
  });
  it("an unresolved token is named as such", () => {
    expect(() => renderHaproxyConfig({ ...base, privateIp: "${TfToken[TOKEN.1]}" })).toThrow(/haproxy\.privateIp.*unresolved token/);
  });
});

describeWithTools("first boot: a backend without servers", ["haproxy", "openssl"], true, () => {
  it("\"they boot with a `web` backend without servers (valid ...)\": passes haproxy -c -dW, so HAProxy starts before the first sync fills it", () => {
    const result = checkHaproxy(cfg, renderHaproxyBackendsHeader());
    expect(result.output).toContain("valid");
    expect(result.ok).toBe(true);
  });
});
