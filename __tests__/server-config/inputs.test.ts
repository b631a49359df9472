/**
 * The input checks every server-config renderer shares (modules/server-config/inputs.ts): each at its boundaries,
 * and each refusal word for word, since "field, value and what is allowed" is the whole message a pipeline shows.
 */
import {
  checkAbsolutePath,
  checkCidr,
  checkDomainName,
  checkHostPort,
  checkIntegerRange,
  checkIpv4,
  checkPort,
  checkRegion,
  checkSimpleName,
  checkSsmParameterName,
  checkUnique,
} from "../../modules/server-config/inputs";
import { InvalidInputError } from "../../modules/core/validation";

const TOKEN = "${TfToken[TOKEN.1]}";
const NOT_CONCRETE = 'f: "<unresolved token>" is not allowed; expected a concrete value known at synth time (not a resource attribute)';

/** The message of the InvalidInputError `run` throws. */
function refusal(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
  throw new Error("no error was thrown");
}

describe("checkIpv4", () => {
  it.each(["0.0.0.0", "10.0.1.10", "255.255.255.255"])("accepts %s", (ip) => {
    expect(() => checkIpv4("f", ip)).not.toThrow();
  });
  it.each(["10.0.1", "10.0.1.256", "10.0.01.1", "10.0.1.10/32", " 10.0.1.10", "host.example.com"])("refuses %j", (ip) => {
    expect(refusal(() => checkIpv4("f", ip))).toBe(`f: ${JSON.stringify(ip)} is not allowed; expected a dotted IPv4 address such as 10.0.1.10`);
  });
  it("refuses a value known only at apply time", () => {
    expect(refusal(() => checkIpv4("f", TOKEN))).toBe(NOT_CONCRETE);
  });
});

describe("checkCidr", () => {
  it.each(["10.0.0.0/16", "10.0.1.10/32", "0.0.0.0/1"])("accepts %s", (cidr) => {
    expect(() => checkCidr("f", cidr)).not.toThrow();
  });
  it("refuses the whole internet for an admin or metrics surface", () => {
    expect(refusal(() => checkCidr("f", "0.0.0.0/0"))).toBe(
      'f: "0.0.0.0/0" is not allowed; expected a private range, not the whole internet (0.0.0.0/0) for an admin or metrics surface',
    );
  });
  it("accepts the whole internet only where asked to", () => {
    expect(() => checkCidr("f", "0.0.0.0/0", true)).not.toThrow();
  });
  it("says why a text is not a CIDR", () => {
    expect(refusal(() => checkCidr("f", "10.0.0.1/16"))).toBe(
      'f: "10.0.0.1/16" is not allowed; expected an IPv4 CIDR such as 10.0.0.0/16 (host bits are set (the network address is 10.0.0.0/16))',
    );
    expect(refusal(() => checkCidr("f", "10.0.0.0"))).toBe(
      'f: "10.0.0.0" is not allowed; expected an IPv4 CIDR such as 10.0.0.0/16 (not in the form a.b.c.d/n)',
    );
  });
  it("refuses a value known only at apply time", () => {
    expect(refusal(() => checkCidr("f", TOKEN))).toBe(NOT_CONCRETE);
  });
});

describe("checkPort", () => {
  it.each([1, 80, 65535])("accepts %d", (port) => {
    expect(() => checkPort("f", port)).not.toThrow();
  });
  it.each([0, 65536, 80.5, -1, Number.NaN])("refuses %d", (port) => {
    expect(refusal(() => checkPort("f", port))).toBe(`f: ${JSON.stringify(port)} is not allowed; expected an integer TCP port 1-65535`);
  });
});

describe("checkIntegerRange", () => {
  it.each([10, 11, 59, 60])("accepts %d in 10..60", (value) => {
    expect(() => checkIntegerRange("f", value, 10, 60)).not.toThrow();
  });
  it.each([9, 61, 10.5])("refuses %d outside 10..60 or not whole", (value) => {
    expect(refusal(() => checkIntegerRange("f", value, 10, 60))).toBe(`f: ${value} is not allowed; expected an integer from 10 to 60`);
  });
});

describe("checkAbsolutePath", () => {
  it.each(["/", "/etc/nginx/nginx.conf", "/var/www/site_2/a-b.c"])("accepts %s", (path) => {
    expect(() => checkAbsolutePath("f", path)).not.toThrow();
  });
  // Each of these would change what a script or config does once pasted into it.
  it.each(["etc/nginx", "/etc/../root", "/a b", "/a;reboot", "/a'b", '/a"b', "/a$b", "/a\nb", "x/etc", "/etc/a`b`"])("refuses %j", (path) => {
    expect(refusal(() => checkAbsolutePath("f", path))).toBe(
      `f: ${JSON.stringify(path)} is not allowed; expected an absolute path of letters, digits, . _ - and /`,
    );
  });
});

describe("checkRegion", () => {
  it("accepts a region name", () => {
    expect(() => checkRegion("f", "eu-west-1")).not.toThrow();
  });
  it.each(["eu-west", "EU-WEST-1", "eu-west-1 "])("refuses %j", (region) => {
    expect(refusal(() => checkRegion("f", region))).toBe(`f: ${JSON.stringify(region)} is not allowed; expected an AWS region name such as eu-west-1`);
  });
  it("refuses a value known only at apply time", () => {
    expect(refusal(() => checkRegion("f", TOKEN))).toBe(NOT_CONCRETE);
  });
});

describe("checkDomainName", () => {
  const label63 = "a".repeat(63);
  it.each(["example.com", "www.example.com", "a-b.example.io", `${label63}.example.com`, "x1.example.museum"])("accepts %s", (name) => {
    expect(() => checkDomainName("f", name)).not.toThrow();
  });
  // 253 characters in all is the longest name DNS allows, whatever the length of each label.
  const withFourthLabel = (length: number): string => `${[label63, label63, label63].join(".")}.${"b".repeat(length)}.com`;
  it("accepts a name of 253 characters and refuses one of 254 whose labels are each short enough", () => {
    expect(withFourthLabel(57)).toHaveLength(253);
    expect(() => checkDomainName("f", withFourthLabel(57))).not.toThrow();
    expect(withFourthLabel(58)).toHaveLength(254);
    expect(refusal(() => checkDomainName("f", withFourthLabel(58)))).toMatch(/^f: "a+\.a+\.a+\.b+\.com" is not allowed; expected a lower-case DNS name/);
  });
  it.each([
    "example", "Example.com", "-a.example.com", "a-.example.com", `${label63}a.example.com`, "example.c0m", "example.c",
    "a..example.com", "example.com.", " example.com", "example.com;", "*.example.com", "a_b.example.com",
  ])("refuses %j", (name) => {
    expect(refusal(() => checkDomainName("f", name))).toBe(`f: ${JSON.stringify(name)} is not allowed; expected a lower-case DNS name such as www.example.com`);
  });
  it("refuses a value known only at apply time", () => {
    expect(refusal(() => checkDomainName("f", TOKEN))).toBe(NOT_CONCRETE);
  });
});

describe("checkSsmParameterName", () => {
  it.each(["/p", "/myproject/haproxy/backends", `/${"a".repeat(1010)}`, "/a.b_c-d/E9"])("accepts %s", (name) => {
    expect(() => checkSsmParameterName("f", name)).not.toThrow();
  });
  it.each(["/", "p/q", "/a b", "/a'b", "/a;b", `/${"a".repeat(1011)}`, "x/p"])("refuses %j", (name) => {
    expect(refusal(() => checkSsmParameterName("f", name))).toBe(
      `f: ${JSON.stringify(name)} is not allowed; expected an SSM parameter path such as /myproject/haproxy/backends`,
    );
  });
  it("refuses a value known only at apply time", () => {
    expect(refusal(() => checkSsmParameterName("f", TOKEN))).toBe(NOT_CONCRETE);
  });
});

describe("checkSimpleName", () => {
  it.each(["a", "A", "9", "web-1.a_b", "a".repeat(64)])("accepts %s (at most 64 by default)", (name) => {
    expect(() => checkSimpleName("f", name)).not.toThrow();
  });
  it.each(["", "-a", ".a", "_a", "a b", "a/b", "a:b", "a".repeat(65)])("refuses %j", (name) => {
    expect(refusal(() => checkSimpleName("f", name))).toBe(
      `f: ${JSON.stringify(name)} is not allowed; expected 1-64 characters of letters, digits, . _ - (starting with a letter or digit)`,
    );
  });
  it("takes its own maximum length", () => {
    expect(() => checkSimpleName("f", "a".repeat(8), 8)).not.toThrow();
    expect(refusal(() => checkSimpleName("f", "a".repeat(9), 8))).toBe(
      `f: "aaaaaaaaa" is not allowed; expected 1-8 characters of letters, digits, . _ - (starting with a letter or digit)`,
    );
  });
  it("refuses a value known only at apply time", () => {
    expect(refusal(() => checkSimpleName("f", TOKEN))).toBe(NOT_CONCRETE);
  });
});

describe("checkHostPort", () => {
  it.each(["10.0.11.10:80", "10.0.11.10:1", "10.0.11.10:65535"])("accepts %s", (hostPort) => {
    expect(() => checkHostPort("f", hostPort)).not.toThrow();
  });
  it.each([
    "10.0.11.10", "10.0.11.10:0", "10.0.11.10:65536", "10.0.11.10:123456", "app.internal:80", "10.0.11.256:80",
    "10.0.11.10:80 ", "x10.0.11.10:80", "10.0.11.10:8a", ":80",
    // A line before or after the address would become a line of its own in the HAProxy config.
    "server evil 192.0.2.1:80\n10.0.11.10:80", "10.0.11.10:80\nserver evil 192.0.2.1:80",
  ])("refuses %j", (hostPort) => {
    expect(refusal(() => checkHostPort("f", hostPort))).toBe(
      `f: ${JSON.stringify(hostPort)} is not allowed; expected an "ip:port" such as 10.0.11.10:80 (IP address, not a host name: HAProxy resolves names only at start)`,
    );
  });
  it("refuses a value known only at apply time", () => {
    expect(refusal(() => checkHostPort("f", TOKEN))).toBe(NOT_CONCRETE);
  });
});

describe("checkUnique", () => {
  it("accepts a list without repeats, and an empty one", () => {
    expect(() => checkUnique("f", ["a", "b", "c"])).not.toThrow();
    expect(() => checkUnique("f", [])).not.toThrow();
  });
  it("names the first repeated entry", () => {
    expect(refusal(() => checkUnique("f", ["a", "b", "a", "b"]))).toBe('f: "a" is not allowed; expected each entry at most once');
  });
});
