import { renderNginxConfig, renderStaticIndex } from "../../modules/server-config/nginx";
import { InvalidInputError } from "../../modules/core/validation";

describe("nginx.conf facts", () => {
  const conf = renderNginxConfig({ trustedProxies: ["10.0.1.10", "10.0.2.10"] });
  it("serves the site on port 80 only (TLS ends at HAProxy)", () => {
    expect(conf.match(/^\s+listen .*/gm)!.map((l) => l.trim())).toEqual(["listen 80 default_server;", "listen 127.0.0.1:8080;"]);
    expect(conf).not.toMatch(/listen .*443/);
  });
  it("\"`server_tokens off`\", \"`stub_status` on `127.0.0.1:8080` only\"", () => {
    expect(conf).toMatch(/listen 127\.0\.0\.1:8080;[\s\S]*stub_status;\n\s+allow 127\.0\.0\.1;\n\s+deny all;/);
    expect(conf).toContain("server_tokens off;");
  });
  it("\"`/healthz` answered by Nginx itself\", \"client address from `X-Forwarded-For` trusted only from the load balancers' addresses\"", () => {
    expect(conf).toMatch(/location = \/healthz \{[\s\S]*return 200/);
    expect(conf).toContain("set_real_ip_from 10.0.1.10;");
    expect(conf).toContain("real_ip_header X-Forwarded-For;");
    expect(renderNginxConfig()).not.toContain("set_real_ip_from");
  });
  it("proxies to a local app when asked", () => {
    expect(renderNginxConfig({ proxyTo: "127.0.0.1:8000" })).toContain("proxy_pass http://127.0.0.1:8000;");
  });
});

describe("nginx rejected inputs", () => {
  it.each([
    ["trusted proxy not an IP", () => renderNginxConfig({ trustedProxies: ["lb"] }), /nginx\.trustedProxies\[0\]/],
    ["trusted proxy 0.0.0.0/0", () => renderNginxConfig({ trustedProxies: ["0.0.0.0/0"] }), /nginx\.trustedProxies\[0\]/],
    ["relative site root", () => renderNginxConfig({ siteRoot: "www" }), /nginx\.siteRoot/],
    ["stub_status on 80", () => renderNginxConfig({ stubStatusPort: 80 }), /nginx\.stubStatusPort/],
    ["stub_status port 0", () => renderNginxConfig({ stubStatusPort: 0 }), /nginx\.stubStatusPort/],
    ["proxy target host name", () => renderNginxConfig({ proxyTo: "app:8000" }), /nginx\.proxyTo/],
    ["index title with markup", () => renderStaticIndex("<script>"), /nginx\.indexTitle/],
  ])("rejects %s", (_name, fn, message) => {
    expect(fn).toThrow(InvalidInputError);
    expect(fn).toThrow(message);
  });
});
