/**
 * Stage 4's backends dial the private alias sql.db.internal, which is not on
 * the RDS certificate: with DB_TLS_SERVER_NAME the app verifies the certificate
 * against the endpoint's own name instead. Proven with the app's own
 * tls_context() against a real TLS server on loopback: the right name is
 * accepted, a wrong name and an unknown CA are refused.
 */
import { execFileSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { describeWithTools } from "../support/tools";

const APP = resolve(__dirname, "../../modules/server-config/reference-app/app.py");
const ENDPOINT = "webplat-dev-stage4-db.abcdefghijkl.us-east-1.rds.amazonaws.com";

const PROBE = `
import importlib.util, os, socket, ssl, sys, threading
d = sys.argv[1]
server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
server.load_cert_chain(os.path.join(d, "server.pem"), os.path.join(d, "server.key"))
listener = socket.create_server(("127.0.0.1", 0))
port = listener.getsockname()[1]
def serve():
    while True:
        conn, _ = listener.accept()
        try:
            with server.wrap_socket(conn, server_side=True) as tls:
                tls.sendall(b"hello")
        except (ssl.SSLError, OSError):
            pass
threading.Thread(target=serve, daemon=True).start()
spec = importlib.util.spec_from_file_location("app", sys.argv[2])
app = importlib.util.module_from_spec(spec)
spec.loader.exec_module(app)
def attempt(name, ca):
    app.TLS_NAME, app.TLS_CA = name, ca
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=3) as raw:
            with app.tls_context().wrap_socket(raw, server_hostname="sql.db.internal") as tls:
                return "ok " + tls.recv(5).decode()
    except ssl.SSLCertVerificationError as error:
        return "refused " + error.verify_message
print(attempt(sys.argv[3], os.path.join(d, "ca.pem")))
print(attempt("sql.db.internal", os.path.join(d, "ca.pem")))
print(attempt(sys.argv[3], os.path.join(d, "other-ca.pem")))
`;

describeWithTools("reference app: TLS to a database reached by an alias", ["openssl", "python3"], false, () => {
  it("verifies the certificate against DB_TLS_SERVER_NAME, not the dialled alias", () => {
    const dir = mkdtempSync(join(tmpdir(), "tls-name-"));
    try {
      const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
      for (const ca of ["ca", "other-ca"]) ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", `/CN=${ca}`, "-keyout", `${ca}.key`, "-out", `${ca}.pem`);
      ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${ENDPOINT}`, "-keyout", "server.key", "-out", "server.csr");
      writeFileSync(join(dir, "san.ext"), `subjectAltName=DNS:${ENDPOINT}\n`);
      ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.pem");
      writeFileSync(join(dir, "probe.py"), PROBE);
      const env = { ...process.env, DB_WRITER_HOST: "sql.db.internal", DB_TLS_CA: join(dir, "ca.pem"), DB_TLS_SERVER_NAME: ENDPOINT };
      const out = execFileSync("/usr/bin/python3", [join(dir, "probe.py"), dir, APP, ENDPOINT], { env, encoding: "utf8", timeout: 30000 }).trim().split("\n");
      expect(out[0]).toBe("ok hello");
      expect(out[1]).toMatch(/^refused .*(Hostname mismatch|doesn't match)/i);
      expect(out[2]).toMatch(/^refused .*unable to get local issuer certificate/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
