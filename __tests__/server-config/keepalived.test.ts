import { renderKeepalivedConfig } from "../../modules/server-config/keepalived";
import { InvalidInputError } from "../../modules/core/validation";

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
    expect(renderKeepalivedConfig({ ...base, authPassword: "s3cret" })).toMatch(/auth_type PASS\n\s+auth_pass s3cret/);
  });
});

describe("keepalived rejected inputs", () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["node name with a space", () => renderKeepalivedConfig({ ...base, nodeName: "lb a" }), /keepalived\.nodeName/],
    ["bad private IP", () => renderKeepalivedConfig({ ...base, privateIp: "10.0.1" }), /keepalived\.privateIp/],
    ["bad peer IP", () => renderKeepalivedConfig({ ...base, peerPrivateIp: "10.0.2.300" }), /keepalived\.peerPrivateIp/],
    ["peer equals self", () => renderKeepalivedConfig({ ...base, peerPrivateIp: "10.0.1.10" }), /keepalived\.peerPrivateIp.*other node/],
    ["priority 255", () => renderKeepalivedConfig({ ...base, priority: 255 }), /keepalived\.priority/],
    ["router id 0", () => renderKeepalivedConfig({ ...base, virtualRouterId: 0 }), /keepalived\.virtualRouterId/],
    ["interface name too long", () => renderKeepalivedConfig({ ...base, interface: "averyveryverylongname" }), /keepalived\.interface/],
    ["advert 0", () => renderKeepalivedConfig({ ...base, advertIntervalSeconds: 0 }), /keepalived\.advertIntervalSeconds/],
    ["check interval 0", () => renderKeepalivedConfig({ ...base, checkIntervalSeconds: 0 }), /keepalived\.checkIntervalSeconds/],
    ["fall 0", () => renderKeepalivedConfig({ ...base, checkFall: 0 }), /keepalived\.checkFall/],
    ["rise 20", () => renderKeepalivedConfig({ ...base, checkRise: 20 }), /keepalived\.checkRise/],
    ["relative notify script", () => renderKeepalivedConfig({ ...base, notifyMasterScript: "eip-failover" }), /keepalived\.notifyMasterScript/],
    ["password longer than 8", () => renderKeepalivedConfig({ ...base, authPassword: "123456789" }), /keepalived\.authPassword/],
  ];
  it.each(cases)("rejects %s", (_name, fn, message) => {
    expect(fn).toThrow(InvalidInputError);
    expect(fn).toThrow(message);
  });
  it("does not echo the password in the error", () => {
    expect(() => renderKeepalivedConfig({ ...base, authPassword: "toolongsecret" })).toThrow(/<redacted>/);
  });
});
