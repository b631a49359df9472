/**
 * cloud-config of the stage-0 single server: Nginx on port 80 proxying to a
 * tiny Python app on 127.0.0.1:8000 that counts visits in a local MariaDB
 * (socket authentication, no password anywhere), plus node_exporter.
 * Pure: no cdktf import.
 */
import { CloudConfig } from "../../core/cloud-config";
import { renderNginxConfig } from "../nginx";
import { withNodeExporter } from "../node-exporter";
import { NGINX_CONF_PATH, SINGLE_SERVER_APP_PATH, SYSTEMD_DIR } from "../paths";

export const SINGLE_SERVER_APP_PORT = 8000;
export const SINGLE_SERVER_APP_UNIT_PATH = `${SYSTEMD_DIR}/webapp.service`;
export const SINGLE_SERVER_DB_SETUP_PATH = "/usr/local/sbin/webapp-db-setup";

export function renderSingleServerApp(): string {
  return `#!/usr/bin/python3
"""Tiny demo app: counts visits in MariaDB (unix socket, user webapp)."""
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import pymysql


def visit():
    db = pymysql.connect(unix_socket="/run/mysqld/mysqld.sock", user="webapp", database="webapp")
    try:
        with db.cursor() as cur:
            cur.execute("INSERT INTO visits () VALUES ()")
            cur.execute("SELECT COUNT(*) FROM visits")
            (count,) = cur.fetchone()
        db.commit()
        return count
    finally:
        db.close()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"Hello from the single server. Visits: {visit()}\\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


ThreadingHTTPServer(("127.0.0.1", ${SINGLE_SERVER_APP_PORT}), Handler).serve_forever()
`;
}

export function renderSingleServerDbSetup(): string {
  return `#!/bin/bash
# Creates the app database and a socket-authenticated user (no password to leak).
set -euo pipefail
mysql <<'SQL'
CREATE DATABASE IF NOT EXISTS webapp;
CREATE USER IF NOT EXISTS 'webapp'@'localhost' IDENTIFIED VIA unix_socket;
GRANT ALL PRIVILEGES ON webapp.* TO 'webapp'@'localhost';
CREATE TABLE IF NOT EXISTS webapp.visits (id BIGINT AUTO_INCREMENT PRIMARY KEY, at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
SQL
`;
}

export function renderSingleServerAppUnit(): string {
  return `[Unit]
Description=Demo web app
After=network.target mariadb.service
Requires=mariadb.service

[Service]
User=webapp
ExecStart=/usr/bin/python3 ${SINGLE_SERVER_APP_PATH}
Restart=on-failure
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true

[Install]
WantedBy=multi-user.target
`;
}

export function singleServer(): CloudConfig {
  return withNodeExporter({
    packages: ["nginx-light", "mariadb-server", "python3-pymysql"],
    writeFiles: [
      { path: NGINX_CONF_PATH, content: renderNginxConfig({ proxyTo: `127.0.0.1:${SINGLE_SERVER_APP_PORT}` }) },
      { path: SINGLE_SERVER_APP_PATH, content: renderSingleServerApp(), permissions: "0755" },
      { path: SINGLE_SERVER_DB_SETUP_PATH, content: renderSingleServerDbSetup(), permissions: "0750" },
      { path: SINGLE_SERVER_APP_UNIT_PATH, content: renderSingleServerAppUnit() },
    ],
    runcmd: [
      ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "webapp"],
      [SINGLE_SERVER_DB_SETUP_PATH],
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", "webapp.service"],
      ["systemctl", "restart", "nginx"],
    ],
  });
}
