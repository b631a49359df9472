#!/usr/bin/python3
"""Platform reference application: proves the request path web -> app -> database.

GET /         the serving host and a database round trip: one row written on the
              writer, the row count read back from the reader; with a cache, a
              Redis round trip too (JSON; 503 when any of them fails).
GET /healthz  200 while the process runs.
GET /readyz   200 when writer and reader answer SELECT 1, else 503.

Settings come from the environment (systemd EnvironmentFile + Environment):
  APP_LISTEN          host:port to listen on (plain HTTP)
  APP_TLS_LISTEN      host:port of an HTTPS listener (certificate APP_TLS_CERT, key from the
                      systemd credential APP_TLS_KEY_CREDENTIAL)
  APP_PLAIN_PATHS     comma-separated paths the plain listener answers (default: all)
  DB_ENGINE           mysql | postgres (default mysql)
  DB_WRITER_HOST, DB_READER_HOST, DB_PORT, DB_NAME
  DB_SECRET_ARN, DB_REGION   password from Secrets Manager (instance role)
  DB_PASSWORD_CREDENTIAL     or a systemd credential name (stage 0 local MariaDB)
  DB_USER             user when the password is a credential
  DB_SOCKET           unix socket of a local server (stage 0)
  DB_TLS_CA           CA bundle: TLS with certificate and host name verified;
                      unset only for a local socket
  DB_TLS_SERVER_NAME  name the server certificate must carry when the hosts are
                      an alias of it (stage 4's private CNAME sql.db.internal);
                      default: the host name connected to
  REDIS_HOST, REDIS_PORT  an ElastiCache Redis (stage 4): TLS with certificate and host
                      name verified (system trust store, or REDIS_TLS_CA), IAM
                      authentication as REDIS_USER with a token signed by the
                      instance role for the replication group REDIS_CACHE_NAME in
                      APP_REGION (no password exists anywhere)
Debian packages only: python3, python3-pymysql, python3-psycopg2, python3-boto3,
python3-redis.
"""
import json
import os
import socket
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ENV = os.environ
ENGINE = ENV.get("DB_ENGINE", "mysql")
WRITER = ENV.get("DB_WRITER_HOST", "")
READER = ENV.get("DB_READER_HOST") or WRITER
PORT = int(ENV.get("DB_PORT") or (5432 if ENGINE == "postgres" else 3306))
NAME = ENV.get("DB_NAME") or ("postgres" if ENGINE == "postgres" else "platform")
SOCKET = ENV.get("DB_SOCKET", "")
TLS_CA = ENV.get("DB_TLS_CA", "")
TLS_NAME = ENV.get("DB_TLS_SERVER_NAME", "")
CONNECT_TIMEOUT = 3
HOST = socket.gethostname()
CACHE_HOST = ENV.get("REDIS_HOST", "")
CACHE_PORT = int(ENV.get("REDIS_PORT") or 6379)
CACHE_USER = ENV.get("REDIS_USER", "")
CACHE_NAME = ENV.get("REDIS_CACHE_NAME", "")
CACHE_TLS_CA = ENV.get("REDIS_TLS_CA", "")
REGION = ENV.get("APP_REGION") or ENV.get("DB_REGION", "")
CACHE_TOKEN_SECONDS = 900  # the longest ElastiCache accepts; each connection signs a fresh one

if ENGINE not in ("mysql", "postgres"):
    sys.exit(f"DB_ENGINE={ENGINE!r}: expected mysql or postgres")
if not SOCKET and not TLS_CA:
    sys.exit("DB_TLS_CA is required for a database reached over the network")
if not SOCKET and not WRITER:
    sys.exit("DB_WRITER_HOST (or DB_SOCKET) is required")
if CACHE_HOST and not (CACHE_USER and CACHE_NAME and REGION):
    sys.exit("REDIS_HOST needs REDIS_USER, REDIS_CACHE_NAME and APP_REGION (IAM authentication)")

_credentials = None
_lock = threading.Lock()


def credentials(refresh=False):
    """(user, password): from Secrets Manager with the instance role, or a systemd credential."""
    global _credentials
    with _lock:
        if _credentials is None or refresh:
            if ENV.get("DB_SECRET_ARN"):
                import boto3  # only hosts that use Secrets Manager need it
                client = boto3.client("secretsmanager", region_name=ENV.get("DB_REGION") or None)
                secret = json.loads(client.get_secret_value(SecretId=ENV["DB_SECRET_ARN"])["SecretString"])
                _credentials = (secret["username"], secret["password"])
            elif ENV.get("DB_PASSWORD_CREDENTIAL"):
                path = os.path.join(ENV["CREDENTIALS_DIRECTORY"], ENV["DB_PASSWORD_CREDENTIAL"])
                with open(path, encoding="utf-8") as f:
                    _credentials = (ENV.get("DB_USER", "platform-app"), f.read().strip())
            else:
                raise RuntimeError("no DB_SECRET_ARN or DB_PASSWORD_CREDENTIAL")
        return _credentials


def connect(host, database=NAME):
    user, password = credentials()
    try:
        return _connect(host, user, password, database)
    except Exception as error:  # a rotated password: fetch the secret once more
        if "denied" not in str(error) and "authentication" not in str(error):
            raise
        user, password = credentials(refresh=True)
        return _connect(host, user, password, database)


def tls_context():
    """Verifies the certificate chain and that it names TLS_NAME, whatever name was dialled.

    A private alias (sql.db.internal -> the RDS endpoint) is not on the RDS
    certificate; the certificate is checked against the endpoint's own name.
    """
    import ssl

    class NamedContext(ssl.SSLContext):
        def wrap_socket(self, sock, *args, server_hostname=None, **kwargs):
            return super().wrap_socket(sock, *args, server_hostname=TLS_NAME, **kwargs)

    context = NamedContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED and check_hostname
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_verify_locations(TLS_CA)
    return context


def _connect(host, user, password, database):
    if ENGINE == "postgres":
        import psycopg2
        # libpq dials hostaddr and verifies the certificate against host.
        address = {"host": TLS_NAME, "hostaddr": socket.gethostbyname(host)} if TLS_NAME else {"host": host}
        return psycopg2.connect(**address, port=PORT, user=user, password=password, dbname=database,
                                connect_timeout=CONNECT_TIMEOUT, sslmode="verify-full", sslrootcert=TLS_CA)
    import pymysql
    if SOCKET:
        return pymysql.connect(unix_socket=SOCKET, user=user, password=password, database=database,
                               connect_timeout=CONNECT_TIMEOUT, autocommit=True)
    if TLS_NAME:
        return pymysql.connect(host=host, port=PORT, user=user, password=password, database=database,
                               connect_timeout=CONNECT_TIMEOUT, autocommit=True, ssl=tls_context())
    return pymysql.connect(host=host, port=PORT, user=user, password=password, database=database,
                           connect_timeout=CONNECT_TIMEOUT, autocommit=True,
                           ssl_ca=TLS_CA, ssl_verify_cert=True, ssl_verify_identity=True)


SERVER_ID = {"mysql": "SELECT @@server_id", "postgres": "SELECT COALESCE(host(inet_server_addr()), 'local')"}
CREATE = {
    "mysql": "CREATE TABLE IF NOT EXISTS visits (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
             "app_host VARCHAR(255) NOT NULL, at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6))",
    "postgres": "CREATE TABLE IF NOT EXISTS visits (id BIGSERIAL PRIMARY KEY, "
                "app_host VARCHAR(255) NOT NULL, at TIMESTAMPTZ DEFAULT now())",
}
_schema_ready = False


def ensure_schema():
    global _schema_ready
    if _schema_ready:
        return
    if ENGINE == "mysql" and not SOCKET:
        db = connect(WRITER, database=None)
        try:
            with db.cursor() as cur:
                cur.execute(f"CREATE DATABASE IF NOT EXISTS `{NAME}`")
        finally:
            db.close()
    db = connect(WRITER)
    try:
        with db.cursor() as cur:
            cur.execute(CREATE[ENGINE])
        db.commit()
    finally:
        db.close()
    _schema_ready = True


def one(host, statements, database=NAME):
    db = connect(host, database)
    try:
        with db.cursor() as cur:
            rows = []
            for sql, args in statements:
                cur.execute(sql, args)
                rows.append(cur.fetchone() if cur.description else None)
        db.commit()
        return rows
    finally:
        db.close()


def round_trip():
    ensure_schema()
    insert = ("INSERT INTO visits (app_host) VALUES (%s) RETURNING id" if ENGINE == "postgres"
              else "INSERT INTO visits (app_host) VALUES (%s)")
    written = one(WRITER, [(insert, (HOST,)), (SERVER_ID[ENGINE], None),
                           ("SELECT LAST_INSERT_ID()" if ENGINE == "mysql" else "SELECT 0", None)])
    visit_id = written[0][0] if ENGINE == "postgres" else written[2][0]
    read = one(READER, [("SELECT COUNT(*) FROM visits", None), (SERVER_ID[ENGINE], None)])
    return {
        "host": HOST,
        "write": {"server": str(written[1][0]), "visit_id": int(visit_id)},
        "read": {"server": str(read[1][0]), "visits": int(read[0][0])},
    }


_cache_signer = None


def cache_token():
    """An ElastiCache IAM authentication token: a SigV4-presigned "connect" request
    for CACHE_USER on the replication group, signed with the instance role, sent
    as the AUTH password (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html)."""
    global _cache_signer
    from urllib.parse import urlencode
    if _cache_signer is None:  # one session: the role's credentials are fetched once and refreshed by botocore
        import botocore.session
        from botocore.model import ServiceId
        from botocore.signers import RequestSigner
        session = botocore.session.get_session()
        _cache_signer = RequestSigner(ServiceId("elasticache"), REGION, "elasticache", "v4",
                                      session.get_credentials(), session.get_component("event_emitter"))
    url = "https://%s/?%s" % (CACHE_NAME, urlencode({"Action": "connect", "User": CACHE_USER}))
    request = {"method": "GET", "url": url, "body": {}, "headers": {}, "context": {}}
    signed = _cache_signer.generate_presigned_url(request, operation_name="connect",
                                           expires_in=CACHE_TOKEN_SECONDS, region_name=REGION)
    return signed.removeprefix("https://")


def cache_round_trip():
    """Counts this visit in Redis over a fresh TLS connection (a token is valid 15 minutes)."""
    import redis
    client = redis.Redis(host=CACHE_HOST, port=CACHE_PORT, username=CACHE_USER, password=cache_token(),
                         ssl=True, ssl_cert_reqs="required", ssl_check_hostname=True,
                         ssl_ca_certs=CACHE_TLS_CA or None, socket_timeout=CONNECT_TIMEOUT,
                         socket_connect_timeout=CONNECT_TIMEOUT)
    try:
        return {"hits": int(client.incr("platform-app:hits"))}
    finally:
        client.close()


def ready():
    """The schema exists on the writer (made on first use) and both servers answer."""
    ensure_schema()
    for host in dict.fromkeys([WRITER, READER]):
        one(host, [("SELECT 1", None)], database=None if ENGINE == "mysql" and not SOCKET else NAME)


class Handler(BaseHTTPRequestHandler):
    server_version = "platform-app"
    sys_version = ""

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if self.server.paths and path not in self.server.paths:
            return self.reply(404, {"status": "not on this listener"})
        if path == "/healthz":
            return self.reply(200, {"status": "alive", "host": HOST})
        if path == "/readyz":
            try:
                ready()
                return self.reply(200, {"status": "ready", "host": HOST})
            except Exception as error:
                self.log_message("not ready: %r", error)
                return self.reply(503, {"status": "database unreachable", "host": HOST, "error": type(error).__name__})
        if path == "/":
            try:
                answer = round_trip()
            except Exception as error:
                self.log_message("database round trip failed: %r", error)
                return self.reply(503, {"status": "database unreachable", "host": HOST, "error": type(error).__name__})
            if CACHE_HOST:
                try:
                    answer["cache"] = cache_round_trip()
                except Exception as error:
                    self.log_message("cache round trip failed: %r", error)
                    return self.reply(503, {"status": "cache unreachable", "host": HOST, "error": type(error).__name__})
            return self.reply(200, answer)
        return self.reply(404, {"status": "not found"})

    def reply(self, status, payload):
        body = (json.dumps(payload) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # one line per request on stderr: the journal
        sys.stderr.write("%s %s\n" % (self.address_string(), format % args))


class TlsHandler(Handler):
    """The TLS handshake runs in the request's thread, so a slow client holds up no one else."""

    def setup(self):
        self.request.settimeout(10)
        self.request = self.server.tls.wrap_socket(self.request, server_side=True)
        super().setup()

    def finish(self):
        try:
            super().finish()
        finally:
            self.request.close()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    paths = ()
    tls = None

    def handle_error(self, request, client_address):  # one line (e.g. a refused handshake), not a traceback
        sys.stderr.write("%s %r\n" % (client_address[0], sys.exc_info()[1]))


def listener(address, handler):
    host, _, port = address.rpartition(":")
    return Server((host, int(port)), handler)


def main():
    servers = [listener(ENV.get("APP_LISTEN", "127.0.0.1:8000"), Handler)]
    servers[0].paths = tuple(p for p in ENV.get("APP_PLAIN_PATHS", "").split(",") if p)
    if ENV.get("APP_TLS_LISTEN"):
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.minimum_version = ssl.TLSVersion.TLSv1_2
        key = os.path.join(ENV["CREDENTIALS_DIRECTORY"], ENV["APP_TLS_KEY_CREDENTIAL"])
        tls.load_cert_chain(ENV["APP_TLS_CERT"], key)
        servers.append(listener(ENV["APP_TLS_LISTEN"], TlsHandler))
        servers[1].tls = tls
    names = ", ".join(("https://" if s.tls else "http://") + "%s:%d" % s.server_address[:2] for s in servers)
    cache = f", cache {CACHE_HOST}:{CACHE_PORT}" if CACHE_HOST else ""
    sys.stderr.write(f"platform-app on {names}, writer {WRITER or SOCKET}, reader {READER or SOCKET}{cache}\n")
    sys.stderr.flush()
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    servers[0].serve_forever()


if __name__ == "__main__":
    main()
