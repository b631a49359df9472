import {
  renderBackendListParameterValue,
  renderHaproxyBackends,
  renderHaproxyBackendsHeader,
  renderHaproxyConfig,
  renderHaproxyDefaults,
} from "../../modules/server-config/haproxy";
import { InvalidInputError } from "../../modules/core/validation";
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
  });
  it("\"Admin socket `/run/haproxy/admin.sock` (mode 660, no TCP stats page)\"", () => {
    expect(cfg).toContain("stats socket /run/haproxy/admin.sock mode 660 level admin");
    expect(cfg).not.toMatch(/stats (enable|uri)/);
  });
  it("\"HSTS one year (`hstsMaxAgeSeconds: 0` removes it)\"", () => {
    expect(cfg).toContain('Strict-Transport-Security "max-age=31536000"');
    expect(renderHaproxyConfig({ ...base, hstsMaxAgeSeconds: 0 })).not.toContain("Strict-Transport-Security");
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
  const cases: [string, () => unknown, RegExp][] = [
    ["privateIp not an IP", () => renderHaproxyConfig({ ...base, privateIp: "lb.internal" }), /haproxy\.privateIp/],
    ["no exporter CIDR", () => renderHaproxyConfig({ ...base, exporterAllowedCidrs: [] }), /haproxy\.exporterAllowedCidrs/],
    ["exporter open to the internet", () => renderHaproxyConfig({ ...base, exporterAllowedCidrs: ["0.0.0.0/0"] }), /exporterAllowedCidrs\[0\].*not the whole internet/],
    ["malformed CIDR", () => renderHaproxyConfig({ ...base, exporterAllowedCidrs: ["10.0.0.0/40"] }), /exporterAllowedCidrs\[0\]/],
    ["exporter port out of range", () => renderHaproxyConfig({ ...base, exporterPort: 70000 }), /haproxy\.exporterPort/],
    ["exporter on 443", () => renderHaproxyConfig({ ...base, exporterPort: 443 }), /haproxy\.exporterPort/],
    ["acme port equals exporter port", () => renderHaproxyConfig({ ...base, acmePort: 8405 }), /haproxy\.acmePort/],
    ["relative cert path", () => renderHaproxyConfig({ ...base, certPath: "certs/site.pem" }), /haproxy\.certPath/],
    ["path with a space", () => renderHaproxyConfig({ ...base, statsSocketPath: "/run/ha proxy.sock" }), /haproxy\.statsSocketPath/],
    ["negative HSTS", () => renderHaproxyConfig({ ...base, hstsMaxAgeSeconds: -1 }), /haproxy\.hstsMaxAgeSeconds/],
    ["retries 0", () => renderHaproxyConfig({ ...base, retries: 0 }), /haproxy\.retries/],
    ["maxConnections tiny", () => renderHaproxyConfig({ ...base, maxConnections: 5 }), /haproxy\.maxConnections/],
    ["empty backend list", () => renderHaproxyBackends({ backends: [] }), /haproxy\.backends/],
    ["backend host name", () => renderHaproxyBackends({ backends: ["web1.internal:80"] }), /haproxy\.backends\[0\]/],
    ["backend without port", () => renderHaproxyBackends({ backends: ["10.0.0.1"] }), /haproxy\.backends\[0\]/],
    ["duplicate backend", () => renderHaproxyBackends({ backends: ["10.0.0.1:80", "10.0.0.1:80"] }), /haproxy\.backends.*at most once/],
    ["health path with a space", () => renderHaproxyBackends({ backends: ["10.0.0.1:80"], healthCheck: { path: "/a b" } }), /healthCheck\.path/],
    ["health interval too short", () => renderHaproxyBackends({ backends: ["10.0.0.1:80"], healthCheck: { intervalMs: 10 } }), /healthCheck\.intervalMs/],
    ["fall 0", () => renderHaproxyBackends({ backends: ["10.0.0.1:80"], healthCheck: { fall: 0 } }), /healthCheck\.fall/],
    ["rise 11", () => renderHaproxyBackends({ backends: ["10.0.0.1:80"], healthCheck: { rise: 11 } }), /healthCheck\.rise/],
    ["unresolved token as IP", () => renderHaproxyConfig({ ...base, privateIp: "${TfToken[TOKEN.1]}" }), /haproxy\.privateIp.*unresolved token/],
  ];
  it.each(cases)("rejects %s", (_name, fn, message) => {
    expect(fn).toThrow(InvalidInputError);
    expect(fn).toThrow(message);
  });
});

describeWithTools("first boot: a backend without servers", ["haproxy", "openssl"], true, () => {
  it("\"they boot with a `web` backend without servers (valid ...)\": passes haproxy -c -dW, so HAProxy starts before the first sync fills it", () => {
    const result = checkHaproxy(cfg, renderHaproxyBackendsHeader());
    expect(result.output).toContain("valid");
    expect(result.ok).toBe(true);
  });
});
