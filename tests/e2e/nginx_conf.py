"""The nginx configuration the download tests serve their files with (real Range, ETag and
Last-Modified, a per-connection rate so that runs can be cut mid-file), written once for the
single-host tests (download_e2e.py) and the 3-node ones (tests/cluster). Nothing happens on import."""

import os

TEMPLATE = """worker_processes 1;
error_log {prefix}/error.log warn;
pid {prefix}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
  log_format dl '$status $request_uri';
  access_log {prefix}/access.log dl;
  client_body_temp_path {prefix}/tmp;
  proxy_temp_path {prefix}/tmp;
  fastcgi_temp_path {prefix}/tmp;
  uwsgi_temp_path {prefix}/tmp;
  scgi_temp_path {prefix}/tmp;
  default_type application/octet-stream;
  server {{
    listen {listen};
    root {prefix}/html;
    limit_rate {rate};
  }}
}}
"""


def write_nginx_conf(prefix, listen, rate):
    """Writes PREFIX/nginx.conf serving PREFIX/html on `listen` ("ADDRESS:PORT") at `rate` per
    connection (nginx's limit_rate, e.g. "256k"); returns its path. Daemon mode is the caller's
    (-g "daemon on;" or "daemon off;")."""
    os.makedirs(os.path.join(prefix, "tmp"), exist_ok=True)
    conf = os.path.join(prefix, "nginx.conf")
    with open(conf, "w") as f:
        f.write(TEMPLATE.format(prefix=prefix, listen=listen, rate=rate))
    return conf
