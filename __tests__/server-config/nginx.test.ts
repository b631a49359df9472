import { renderNginxConfig, renderStaticIndex } from "../../modules/server-config/nginx";
import { invalidInputOf } from "../support/invalid-input";

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
    expect(renderNginxConfig()).not.toContain("real_ip_header");
  });
  it("without a proxy target, serves the site's files (404 for a missing one)", () => {
    expect(renderNginxConfig()).toMatch(/ {8}location \/ \{\n {12}try_files \$uri \$uri\/ =404;\n {8}\}/);
  });
  it("each application server on its own line of the upstream block", () => {
    expect(renderNginxConfig({ upstreams: ["10.0.11.10:8000", "10.0.12.10:8000"] })).toMatch(
      /upstream app_servers \{\n {8}server 10\.0\.11\.10:8000 max_fails=1 fail_timeout=10s;\n {8}server 10\.0\.12\.10:8000 max_fails=1 fail_timeout=10s;\n {8}keepalive 16;/,
    );
  });
  it("proxies to a local app when asked", () => {
    expect(renderNginxConfig({ proxyTo: "127.0.0.1:8000" })).toContain("proxy_pass http://127.0.0.1:8000;");
  });
});

describe("nginx rejected inputs", () => {
  const upstreamTls = { trustedCertificate: "/etc/nginx/app-trust.pem", serverName: "app.x.internal" };
  const ABSOLUTE_PATH = /absolute path of letters, digits/;
  it.each([
    ["trusted proxy not an IP", () => renderNginxConfig({ trustedProxies: ["lb"] }), "nginx.trustedProxies[0]", /dotted IPv4 address/],
    ["trusted proxy 0.0.0.0/0", () => renderNginxConfig({ trustedProxies: ["0.0.0.0/0"] }), "nginx.trustedProxies[0]", /not the whole internet/],
    ["relative site root", () => renderNginxConfig({ siteRoot: "www" }), "nginx.siteRoot", ABSOLUTE_PATH],
    ["stub_status on 80", () => renderNginxConfig({ stubStatusPort: 80 }), "nginx.stubStatusPort", /a port other than 80/],
    ["stub_status port 0", () => renderNginxConfig({ stubStatusPort: 0 }), "nginx.stubStatusPort", /integer TCP port 1-65535/],
    ["proxy target host name", () => renderNginxConfig({ proxyTo: "app:8000" }), "nginx.proxyTo", /"ip:port"/],
    ["both a proxy target and upstreams", () => renderNginxConfig({ proxyTo: "127.0.0.1:8000", upstreams: ["10.0.0.1:8000"] }), "nginx.upstreams", /unset when nginx\.proxyTo is set/],
    ["an empty upstream list", () => renderNginxConfig({ upstreams: [] }), "nginx.upstreams", /at least one "ip:port"/],
    ["a relative certificate path", () => renderNginxConfig({ tls: { certPath: "c.pem", keyPath: "/k.pem" } }), "nginx.tls.certPath", ABSOLUTE_PATH],
    ["a relative key path", () => renderNginxConfig({ tls: { certPath: "/c.pem", keyPath: "k.pem" } }), "nginx.tls.keyPath", ABSOLUTE_PATH],
    ["upstream TLS without upstreams", () => renderNginxConfig({ upstreamTls }), "nginx.upstreamTls", /set only together with nginx\.upstreams/],
    ["a relative pinned bundle", () => renderNginxConfig({ upstreams: ["10.0.0.1:8443"], upstreamTls: { ...upstreamTls, trustedCertificate: "trust.pem" } }), "nginx.upstreamTls.trustedCertificate", ABSOLUTE_PATH],
    ["an app tier name that is no DNS name", () => renderNginxConfig({ upstreams: ["10.0.0.1:8443"], upstreamTls: { ...upstreamTls, serverName: "app x" } }), "nginx.upstreamTls.serverName", /lower-case DNS name/],
    ["index title with markup", () => renderStaticIndex("<script>"), "nginx.indexTitle", /1-80 characters/],
    ["index title ending in markup", () => renderStaticIndex("web1<script>"), "nginx.indexTitle", /1-80 characters/],
    ["index title starting with markup", () => renderStaticIndex("<b>web1"), "nginx.indexTitle", /1-80 characters/],
  ])("rejects %s, naming the field and what is allowed", (_name, render, field, allowed) => {
    const error = invalidInputOf(render);
    expect(error.field).toBe(field);
    expect(error.allowed).toMatch(allowed);
  });
});
