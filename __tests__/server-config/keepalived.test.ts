import { renderKeepalivedConfig } from "../../modules/server-config/keepalived";
import { invalidInputOf } from "../support/invalid-input";

const base = { nodeName: "lb-a", privateIp: "10.0.1.10", peerPrivateIp: "10.0.2.10", priority: 150 };
const conf = renderKeepalivedConfig(base);

describe("keepalived.conf facts", () => {
  it("\"Health check `/usr/bin/pgrep -x haproxy` every 1 s, `fall 2 rise 2`. Never `pidof`\"", () => {
    expect(conf).toContain('script "/usr/bin/pgrep -x haproxy"');
    expect(conf).not.toContain("pidof");
    expect(conf).toMatch(/interval 1\n\s+fall 2\n\s+rise 2/);
  });
  it("\"VRRP in unicast (`unicast_src_ip` own private IP, `unicast_peer` the other)\"", () => {
    expect(conf).toContain("unicast_src_ip 10.0.1.10");
    expect(conf).toMatch(/unicast_peer \{\n\s+10\.0\.2\.10\n\s+\}/);
  });
  it("\"`state BACKUP` on both nodes + `nopreempt` (default)\", and preempts only when asked", () => {
    expect(conf).toMatch(/^\s+nopreempt$/m);
    expect(conf).toContain("state BACKUP");
    expect(conf).not.toContain("state MASTER");
    expect(renderKeepalivedConfig({ ...base, nopreempt: false })).not.toMatch(/^\s+nopreempt$/m);
    // Nothing else takes its place: the next keyword follows directly.
    expect(renderKeepalivedConfig({ ...base, nopreempt: false })).toMatch(/\n    advert_int 1\n    unicast_src_ip 10\.0\.1\.10\n/);
  });
  it("\"`enable_script_security` + `script_user root`\"; \"runs `notify_master` → `/usr/local/sbin/eip-failover`\"", () => {
    expect(conf).toContain("enable_script_security");
    expect(conf).toContain("script_user root");
    expect(conf).toContain('notify_master "/usr/local/sbin/eip-failover"');
  });
  it("\"Interface default `ens5`\" (\"`interface: \"eth0\"`\" for Xen types) and \"`virtual_ipaddress { 192.0.2.<vrid>/32 dev lo }`\"", () => {
    expect(conf).toContain("interface ens5");
    expect(conf).toContain("192.0.2.51/32 dev lo");
    expect(renderKeepalivedConfig({ ...base, interface: "eth0", virtualRouterId: 7 })).toMatch(/interface eth0[\s\S]*192\.0\.2\.7\/32 dev lo/);
  });
  it("\"No VRRP authentication by default\" (\"`authPassword` enables it\")", () => {
    expect(conf).not.toContain("authentication");
    expect(conf).toMatch(/\n        10\.0\.2\.10\n    \}\n    virtual_ipaddress \{/);
    expect(renderKeepalivedConfig({ ...base, authPassword: "s3cret" })).toMatch(/auth_type PASS\n\s+auth_pass s3cret/);
  });
});

describe("keepalived rejected inputs", () => {
  // [case, call, field, what the message says is allowed]
  const cases: [string, () => unknown, string, RegExp][] = [
    ["node name with a space", () => renderKeepalivedConfig({ ...base, nodeName: "lb a" }), "keepalived.nodeName", /\S/],
    ["bad private IP", () => renderKeepalivedConfig({ ...base, privateIp: "10.0.1" }), "keepalived.privateIp", /IPv4 address/],
    ["bad peer IP", () => renderKeepalivedConfig({ ...base, peerPrivateIp: "10.0.2.300" }), "keepalived.peerPrivateIp", /IPv4 address/],
    ["peer equals self", () => renderKeepalivedConfig({ ...base, peerPrivateIp: "10.0.1.10" }), "keepalived.peerPrivateIp", /other node/],
    ["priority 255", () => renderKeepalivedConfig({ ...base, priority: 255 }), "keepalived.priority", /from 1 to 254/],
    ["router id 0", () => renderKeepalivedConfig({ ...base, virtualRouterId: 0 }), "keepalived.virtualRouterId", /from 1 to 255/],
    ["interface name too long", () => renderKeepalivedConfig({ ...base, interface: "averyveryverylongname" }), "keepalived.interface", /Linux interface name \(1-15 characters\)/],
    ["advert 0", () => renderKeepalivedConfig({ ...base, advertIntervalSeconds: 0 }), "keepalived.advertIntervalSeconds", /from 1 to 255/],
    ["check interval 0", () => renderKeepalivedConfig({ ...base, checkIntervalSeconds: 0 }), "keepalived.checkIntervalSeconds", /from 1 to 60/],
    ["fall 0", () => renderKeepalivedConfig({ ...base, checkFall: 0 }), "keepalived.checkFall", /from 1 to 10/],
    ["rise 20", () => renderKeepalivedConfig({ ...base, checkRise: 20 }), "keepalived.checkRise", /from 1 to 10/],
    ["relative notify script", () => renderKeepalivedConfig({ ...base, notifyMasterScript: "eip-failover" }), "keepalived.notifyMasterScript", /absolute path/],
    ["relative state script", () => renderKeepalivedConfig({ ...base, notifyScript: "state-metric" }), "keepalived.notifyScript", /absolute path/],
    ["password longer than 8", () => renderKeepalivedConfig({ ...base, authPassword: "123456789" }), "keepalived.authPassword", /1-8 characters/],
  ];
  it.each(cases)("rejects %s, naming the field and what is allowed", (_name, call, field, allowed) => {
    const error = invalidInputOf(call);
    expect(error.field).toBe(field);
    expect(error.allowed).toMatch(allowed);
    expect(error.message).toContain(`${field}: `);
  });
  it("does not echo the password in the error", () => {
    expect(() => renderKeepalivedConfig({ ...base, authPassword: "toolongsecret" })).toThrow(/<redacted>/);
    expect(() => renderKeepalivedConfig({ ...base, authPassword: "toolongsecret" })).not.toThrow(/toolongsecret/);
  });
});
